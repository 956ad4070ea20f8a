import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { runEnforcement, type RunOptions } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';

export const PROD = { id: '111111111111', name: 'prod' };
export const STAGING = { id: '222222222222', name: 'staging' };
export const START = new Date('2027-01-01T09:00:00.000Z');
export const DAY_MS = 86_400_000;

/** A small world for engine tests: simulated IAM and Slack, a memory ledger and a manual clock. */
export class EngineHarness {
  readonly clock = new ManualClock(START);
  readonly iam = new SimulatedIam({ clock: this.clock });
  readonly slack: SimulatedSlack;
  readonly ledger = new MemoryLedger();
  config: EnforcerConfig;

  constructor(overrides: Partial<EnforcerConfigInput> = {}, members: string[] = ['U0ALICE01', 'U0BOB0001']) {
    this.slack = new SimulatedSlack({ clock: this.clock, members });
    for (const account of [PROD, STAGING]) this.iam.addAccount(account.id);
    this.config = parseConfig({
      accounts: [PROD, STAGING],
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
      // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
      digest: { weekly: { enabled: false } },
      ...overrides,
    });
  }

  /** An engineer whose only key turns `ageOnDayZero` days old at the start. */
  engineer(
    userName: string,
    slackId: string,
    ageOnDayZero: number,
    account = PROD,
    extraTags: Record<string, string> = {},
  ): string {
    this.iam.addUser(account.id, userName, {
      type: 'engineer',
      'slack-id': slackId,
      'full-name': userName,
      ...extraTags,
    });
    return this.key(account, userName, ageOnDayZero);
  }

  key(account: { id: string }, userName: string, ageOnDayZero: number): string {
    const created = new Date(START.getTime() - ageOnDayZero * DAY_MS - 3_600_000);
    return this.iam.createAccessKey(account.id, userName, created).accessKeyId;
  }

  run(options: RunOptions = {}): Promise<RunReport> {
    return runEnforcement(
      this.config,
      {
        reader: this.iam,
        deactivator: this.iam,
        notifier: this.slack,
        ledger: this.ledger,
        clock: this.clock,
      },
      options,
    );
  }

  /** Runs on `days` consecutive days from the current clock; returns every report. */
  async runDays(days: number): Promise<RunReport[]> {
    const reports: RunReport[] = [];
    for (let i = 0; i < days; i++) {
      reports.push(await this.run());
      this.clock.advanceDays(1);
    }
    return reports;
  }

  dms(slackId: string): string[] {
    return this.slack.messagesTo(slackId).map((d) => d.message.text);
  }

  /** Channel notices, top-level or in a key's thread; thread parents (a key's state) are left out. */
  channel(): string[] {
    const parents = new Set(this.threadParents());
    return this.slack
      .channelMessages()
      .filter((d) => d.ts === undefined || !parents.has(d.ts))
      .map((d) => d.message.text);
  }

  /** `ts` of every key thread's parent: replied to, or updated. */
  threadParents(): string[] {
    const replied = this.slack.threadReplies().map((d) => d.threadTs ?? '');
    return [...new Set([...replied, ...this.slack.updates.map((u) => u.ts)])];
  }
}
