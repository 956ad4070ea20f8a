import { parseConfig } from '../config/parse-config';
import { type EnforcerConfig } from '../config/schema';
import { addDays, utcDate } from '../domain/dates';
import { MemoryLedger } from '../adapters/memory-ledger';
import { runEnforcement } from '../engine/run-enforcement';
import { type RunReport } from '../engine/run-report';
import { demoOrg, ManualClock, type SimulatedOrg, SimulatedSlack } from '../simulation';
import { TimelineFormatter } from './timeline-format';

export interface DemoOptions {
  /** Where lines go (stdout in the CLI). */
  readonly write: (line: string) => void;
  /** Days to simulate. @default the demo org's window (30) */
  readonly days?: number;
  /** First simulated day (UTC). Fixed so the output is the same on every machine. @default 2027-03-01 */
  readonly start?: string;
  /**
   * Messages as a deployment with Slack buttons (`slack.interactivity`) sends them, for the
   * README's pictures. The demo has no endpoint to answer a press, so it is off by default.
   */
  readonly buttons?: boolean;
}

/** The approver named when the demo draws buttons; nobody presses them. */
const DEMO_APPROVER = 'U0INFRALEAD';

export const DEMO_INFRA_CHANNEL = 'C0INFRA001';

/** What the demo leaves behind: each day's run report and everything Slack received. */
export interface DemoResult {
  readonly reports: RunReport[];
  readonly slack: SimulatedSlack;
  readonly org: SimulatedOrg;
}

/**
 * The product's main job on an embedded default: the real engine, run once a day over a simulated
 * three-account organisation, printing what it sends to whom and what it deactivates.
 */
export async function runDemo(options: DemoOptions): Promise<RunReport[]> {
  return (await runDemoWorld(options)).reports;
}

/** {@link runDemo}, keeping the simulated Slack for those who draw its messages (the README's pictures). */
export async function runDemoWorld(options: DemoOptions): Promise<DemoResult> {
  const start = options.start ?? '2027-03-01';
  const clock = new ManualClock(new Date(`${start}T09:00:00.000Z`));
  const org = demoOrg(clock.now(), clock);
  const slack = new SimulatedSlack({ clock, ...org.slack });
  const ledger = new MemoryLedger();
  const config: EnforcerConfig = parseConfig({
    accounts: org.accounts.map((a) => ({ id: a.id, name: a.name })),
    slack: {
      infraChannel: DEMO_INFRA_CHANNEL,
      runDigest: 'never',
      ...(options.buttons ? { interactivity: { approvers: { users: [DEMO_APPROVER] } } } : {}),
    },
    rotation: { awsVaultProfileHint: '<account-name>' },
  });
  const days = options.days ?? org.windowDays;
  const { write } = options;

  write('access-key-enforcer demo: the real engine over a simulated organisation, one run a day.');
  write(`Accounts: ${org.accounts.map((a) => `${a.name} (${a.id})`).join(', ')}.`);
  write(
    `Policy: remind at ${config.policy.remindAtDays.join('/')} days, deactivate at ${config.policy.deactivateAtDays}, ` +
      `${config.policy.minimumNoticeDays} days minimum notice. DMs go to owners; each key has one thread in #infra with every notice about it.`,
  );
  write('');

  const reports: RunReport[] = [];
  const timeline = new TimelineFormatter();
  for (let day = 0; day < days; day++) {
    const events = org.events.filter((event) => event.day === day);
    for (const event of events) event.apply({ iam: org.iam, slack }, clock.now());
    const report = await runEnforcement(
      config,
      { reader: org.iam, deactivator: org.iam, notifier: slack, ledger, clock },
      {
        runId: `demo-day-${day}`,
      },
    );
    reports.push(report);
    for (const line of timeline.formatDay(
      day,
      utcDate(clock.now()),
      events.map((e) => e.description),
      report,
    ))
      write(line);
    clock.advanceDays(1);
  }

  write('');
  write(`Summary of ${days} daily runs (${start} to ${addDays(start, days - 1)}):`);
  const total = (pick: (r: RunReport) => number): number => reports.reduce((sum, r) => sum + pick(r), 0);
  write(
    `  reminders delivered ${total((r) => r.summary.reminders)}, keys deactivated ${total((r) => r.summary.deactivations)}, ` +
      `new keys alerted ${total((r) => r.summary.newKeys)}, thanks ${total((r) => r.summary.thanks)}, ` +
      `Slack messages ${slack.deliveries.length}, failed sends retried ${total((r) => r.errors.length)}`,
  );
  write(
    `  #infra: ${slack.channelTopLevel().length} top-level posts, ${slack.threadReplies().length} replies ` +
      `in key threads, ${slack.updates.length} thread parents updated; DMs ${slack.deliveries.length - slack.channelMessages().length}`,
  );
  write(
    `  IAM deactivations (never deletions): ${org.iam.deactivations.length}; ledger keys tracked: ${ledger.contents().keys.length}`,
  );
  write('');
  write('Run it against your own accounts: npm run cli -- scan --config enforcer.config.json (see README).');
  return { reports, slack, org };
}
