import { type EnforcerConfig } from '../config/schema';
import { decideAccount } from '../domain/account-policy';
import { utcDate } from '../domain/dates';
import { type AccountPlan } from '../domain/decisions';
import {
  chooseReadPath,
  type ExhaustiveReason,
  firstScanOrder,
  reportIsStale,
  scanFromInventory,
  sweepBatch,
  usersWithDecisions,
  withLiveKeys,
  withUnlisted,
} from '../domain/fast-read';
import { type AccountInventory } from '../domain/inventory-read';
import { type AccountLedger } from '../domain/ledger-records';
import { type AccountRef, type AccountScan } from '../domain/model';
import {
  type AccountReader,
  CredentialReportUnavailableError,
  isReadIncomplete,
  type UserKeysRead,
} from '../ports';

/** How an account was read, for the run report. */
export type AccountReadPath =
  | { readonly path: 'fast'; readonly usersReadLive: number }
  | {
      readonly path: 'exhaustive';
      readonly reason: ExhaustiveReason;
      readonly detail?: string;
      /** The read stopped for time (a large first scan or sweep) and goes on next run. */
      readonly continues?: boolean;
    };

export interface ReadAndDecideInput {
  readonly account: AccountRef;
  readonly ledger: AccountLedger;
  readonly reader: AccountReader;
  readonly config: EnforcerConfig;
  readonly now: Date;
  readonly wallClock: Date;
}

export interface ReadAndDecideResult {
  readonly plan: AccountPlan;
  readonly read: AccountReadPath;
  /** True when every user was read live, which restarts the full-sweep interval. */
  readonly exhaustive: boolean;
  /** Where an unfinished full sweep resumes next run: the first user it could not list in time. */
  readonly sweepCursor?: string;
  /** The scan the plan was decided over, for the rule checks (issue 10). */
  readonly scan: AccountScan;
  /** The credential report and tags, when this read used them. */
  readonly inventory?: AccountInventory;
}

/** Counts as people read them in the run report and digest: 3,447, not 3447. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A live look can reveal a key that gives another decision; a few rounds always settle it. */
const MAX_LOOK_ROUNDS = 3;

/**
 * Reads one account by the cheapest path that is safe today and decides it. Whatever the path,
 * the plan is `decideAccount` over a scan in which every user with a decision was read live.
 */
export async function readAndDecide(input: ReadAndDecideInput): Promise<ReadAndDecideResult> {
  const { account, ledger, reader, config } = input;
  const decide = (scan: AccountScan): AccountPlan =>
    decideAccount({ account, scan, ledger, config, now: input.now, wallClock: input.wallClock });
  const choice = chooseReadPath({
    account: ledger.account,
    // The real date, not the as-of date: a preview never changes which calls the read makes.
    today: utcDate(input.wallClock),
    fastPath: config.read.fastPath,
    fullSweepDays: config.read.fullSweepDays,
    readerSupportsFastPath: reader.readInventory !== undefined && reader.readUserKeys !== undefined,
  });
  const readInventory = reader.readInventory?.bind(reader);
  const readUserKeys = reader.readUserKeys?.bind(reader);
  const sweeping = choice.path === 'exhaustive' && choice.reason === 'full-sweep';
  const firstScan = choice.path === 'exhaustive' && choice.reason === 'first-scan';
  if ((choice.path === 'exhaustive' && !sweeping && !firstScan) || !readInventory || !readUserKeys) {
    const reason = choice.path === 'exhaustive' ? choice.reason : 'not-supported';
    return exhaustiveRead(reason);
  }
  const listKeys: NonNullable<AccountReader['readUserKeys']> = readUserKeys;

  let inventory: AccountInventory;
  try {
    inventory = await readInventory(account);
  } catch (error) {
    // The fast path may never fail an account the exhaustive path can read: anything but running
    // out of time (an unexpected answer, a role without the report actions) falls back to it.
    if (isReadIncomplete(error)) throw error;
    const detail =
      error instanceof CredentialReportUnavailableError
        ? error.message
        : `fast path failed: ${error instanceof Error ? error.message : String(error)}`;
    return exhaustiveRead('report-unavailable', detail);
  }
  if (reportIsStale(inventory.reportGeneratedAt, ledger.account)) {
    return exhaustiveRead(
      'report-stale',
      `credential report generated ${inventory.reportGeneratedAt.toISOString()}, before the last read at ${ledger.account?.lastReadAt ?? '?'}`,
      // Stale for keys; for MFA and password facts the rules read, as good as a new one.
      inventory,
    );
  }

  const fromReport = scanFromInventory(inventory, ledger.keys);
  const present = new Set(fromReport.scan.users.map((user) => user.userName));
  const looked = new Set<string>();
  // A first scan lists every user the ledger does not know yet (everyone, on its first run) with
  // the time left, after those it already has something to do about.
  let scan = await lookUntilSettled(
    fromReport.scan,
    firstScan ? new Set() : new Set(fromReport.needsLook.keys()),
  );
  if (firstScan) return finishFirstScan(fromReport.needsLook);
  if (!sweeping) {
    return {
      plan: decide(scan),
      read: { path: 'fast', usersReadLive: looked.size },
      exhaustive: false,
      scan,
      inventory,
    };
  }

  // The full sweep, after today's decisions are safe: whatever it cannot list in the time left
  // (a very large account behind throttling) is listed from where it stopped on the next run,
  // instead of the whole account being read again, and never finishing, every day.
  const cursor = ledger.account?.sweepCursor;
  const batch = sweepBatch([...present], cursor, looked);
  const swept = await listPartly(batch);
  const unread = new Set(swept.unread ?? []);
  const listed = new Set(batch.filter((name) => !unread.has(name)));
  for (const name of listed) looked.add(name);
  scan = await lookUntilSettled(withLiveKeys(scan, swept, listed), new Set());
  const resumeAt = batch.find((name) => unread.has(name));
  const from = cursor === undefined ? '' : ` from "${cursor}"`;
  const sweepDetail =
    resumeAt !== undefined
      ? `swept ${count(listed.size)} of ${count(batch.length)} users${from}; resumes at "${resumeAt}" next run`
      : cursor !== undefined
        ? `swept the last ${count(listed.size)} users${from}; every user listed`
        : undefined;
  return {
    plan: decide(scan),
    read: {
      path: 'exhaustive',
      reason: 'full-sweep',
      ...(sweepDetail ? { detail: sweepDetail } : {}),
      ...(resumeAt === undefined ? {} : { continues: true }),
    },
    exhaustive: resumeAt === undefined,
    ...(resumeAt === undefined ? {} : { sweepCursor: resumeAt }),
    scan,
    inventory,
  };

  /**
   * Lists the users not recorded yet, oldest key first, as far as the time left goes. A first
   * scan too large for one run records what it listed and goes on next run: the ledger is its
   * cursor, as recorded users agree with the report and need no second listing. The baseline (and
   * its summary) completes with the run that lists the last user.
   */
  async function finishFirstScan(unknown: ReadonlyMap<string, unknown>): Promise<ReadAndDecideResult> {
    const pending = firstScanOrder(
      inventory.users,
      new Set([...unknown.keys()].filter((name) => !looked.has(name))),
    );
    // Users the report shows without a key are listed too, last and as time allows: a report
    // hours old does not show a key created since. Left unread, they keep the report's word.
    const recorded = new Set(
      ledger.keys.filter((record) => record.goneOn === undefined).map((record) => record.userName),
    );
    const keyless = sweepBatch(
      inventory.users
        .map((user) => user.userName)
        .filter((name) => !unknown.has(name) && !recorded.has(name)),
      undefined,
      looked,
    );
    const listing = await listPartly([...pending, ...keyless]);
    const notReached = new Set(listing.unread ?? []);
    const unlisted = pending.filter((name) => notReached.has(name));
    const nowListed = new Set(pending.filter((name) => !notReached.has(name)));
    const alsoListed = new Set(keyless.filter((name) => !notReached.has(name)));
    for (const name of [...nowListed, ...alsoListed]) looked.add(name);
    scan = await lookUntilSettled(
      withUnlisted(withLiveKeys(scan, listing, new Set([...nowListed, ...alsoListed])), unlisted),
      new Set(),
    );
    const continuing = ledger.account?.lastReadAt !== undefined;
    // decideAccount holds the baseline while a user cannot be read, so the scan goes on for them.
    const failed = scan.failedUsers.map((failure) => failure.userName);
    const waiting =
      failed.length === 0
        ? ''
        : `; the baseline waits for ${count(failed.length)} user(s) that could not be read: ${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}`;
    const detail =
      unlisted.length > 0
        ? `listed ${count(nowListed.size)} of ${count(pending.length)} users not yet recorded, oldest keys first; the first scan goes on next run`
        : failed.length > 0
          ? `listed ${count(nowListed.size)} users not yet recorded${waiting}`
          : continuing
            ? nowListed.size > 0
              ? `listed the last ${count(nowListed.size)} users not yet recorded; the first scan is complete`
              : 'every user recorded; the first scan is complete'
            : undefined;
    return {
      plan: decide(scan),
      read: {
        path: 'exhaustive',
        reason: 'first-scan',
        ...(detail ? { detail } : {}),
        ...(unlisted.length > 0 || failed.length > 0 ? { continues: true } : {}),
      },
      // Every user listed live, as a sweep would have: the sweep interval starts today.
      exhaustive: notReached.size === 0,
      scan,
      inventory,
    };
  }

  /**
   * A partial listing: one that ran out of time before it could start (a member session to renew
   * with no time left) has listed nobody, and today's decisions stand without it.
   */
  async function listPartly(names: readonly string[]): Promise<UserKeysRead> {
    try {
      return await listKeys(account, names, { partial: true });
    } catch (error) {
      if (!isReadIncomplete(error)) throw error;
      return { keys: new Map(), failedUsers: [], unread: names };
    }
  }

  /** Lists live every user with a decision or a report that disagrees, until none is left. */
  async function lookUntilSettled(start: AccountScan, toLookFirst: Set<string>): Promise<AccountScan> {
    let current = start;
    let toLook = toLookFirst;
    for (let round = 0; round < MAX_LOOK_ROUNDS; round++) {
      for (const userName of usersWithDecisions(decide(current))) {
        // A user gone from the inventory needs no look: decideAccount records its keys as deleted.
        if (present.has(userName) && !looked.has(userName)) toLook.add(userName);
      }
      if (toLook.size === 0) break;
      const names = [...toLook];
      const live = await listKeys(account, names);
      for (const name of names) looked.add(name);
      current = withLiveKeys(current, live, new Set(names));
      toLook = new Set();
    }
    return current;
  }

  async function exhaustiveRead(
    reason: ExhaustiveReason,
    detail?: string,
    report?: AccountInventory,
  ): Promise<ReadAndDecideResult> {
    const full = await reader.readAccount(account);
    return {
      plan: decide(full),
      read: { path: 'exhaustive', reason, ...(detail ? { detail } : {}) },
      exhaustive: true,
      scan: full,
      ...(report ? { inventory: report } : {}),
    };
  }
}
