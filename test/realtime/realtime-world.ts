import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { type KeyRecord } from '../../lambda/domain/ledger-records';
import { type Notifier, type UserTagsReader } from '../../lambda/ports';
import { processRealtimeEvent } from '../../lambda/realtime/process-realtime-event';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';
import { EVENT_TIME, KEY_ID, MEMBER_ACCOUNT } from './events';

export const HUB = { id: '111111111111', name: 'hub' };
export const PRODUCTION = { id: MEMBER_ACCOUNT, name: 'production' };

/**
 * One member account over simulated IAM and Slack, a memory ledger and a manual clock, with the
 * real-time path and the daily run side by side. The account is baselined by a daily run before
 * the key under test exists, as in a deployment that has been running for a while.
 */
export class RealtimeWorld {
  readonly clock = new ManualClock(new Date('2027-01-10T08:00:00Z'));
  readonly iam = new SimulatedIam();
  readonly slack = new SimulatedSlack({ clock: this.clock, members: ['U0BOB0001'] });
  readonly ledger = new MemoryLedger();
  readonly config: EnforcerConfig;
  /** How often the real-time path asked for a notifier (it should only when it holds a key). */
  notifierRequests = 0;

  constructor(overrides: Partial<EnforcerConfigInput> = {}) {
    this.config = parseConfig({
      accounts: [HUB, PRODUCTION],
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
      // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
      digest: { weekly: { enabled: false } },
      ...overrides,
    });
    for (const account of [HUB, PRODUCTION]) this.iam.addAccount(account.id);
    this.iam.addUser(PRODUCTION.id, 'alice', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    this.iam.addUser(PRODUCTION.id, 'bob', { type: 'engineer', 'slack-id': 'U0BOB0001' });
  }

  /** The daily run that first scans both accounts, then a clean Slack log. */
  async baseline(): Promise<void> {
    await this.dailyRun();
    this.slack.clear();
  }

  /** Bob's new key appears in IAM, at the time the event says. */
  createKey(accessKeyId = KEY_ID): void {
    this.clock.set(new Date(EVENT_TIME));
    this.iam.createAccessKey(PRODUCTION.id, 'bob', new Date(EVENT_TIME), { accessKeyId });
    this.advanceMinutes(1);
  }

  advanceMinutes(minutes: number): void {
    this.clock.advanceDays(minutes / (24 * 60));
  }

  /** Processes one event; `notifier` replaces the simulated Slack (e.g. a token that cannot be read). */
  realtime(
    event: unknown,
    notifier: () => Promise<Notifier> = () => Promise.resolve(this.slack),
    tags: UserTagsReader | undefined = this.iam,
  ) {
    return processRealtimeEvent(event, {
      config: this.config,
      ledger: this.ledger,
      clock: this.clock,
      notifier: () => {
        this.notifierRequests += 1;
        return notifier();
      },
      ...(tags && { tags }),
    });
  }

  /** Tag reads the real-time path made (one per alert it holds the key for). */
  tagReads(): number {
    return this.iam.calls.filter((call) => call.op === 'readUserTags').length;
  }

  dailyRun(): Promise<RunReport> {
    return runEnforcement(this.config, {
      reader: this.iam,
      deactivator: this.iam,
      ledger: this.ledger,
      notifier: this.slack,
      clock: this.clock,
    });
  }

  channelTexts(): string[] {
    return this.slack.channelMessages().map((delivery) => delivery.message.text);
  }

  async record(accessKeyId = KEY_ID): Promise<KeyRecord | undefined> {
    const { keys } = await this.ledger.readAccount(PRODUCTION.id);
    return keys.find((key) => key.accessKeyId === accessKeyId);
  }
}
