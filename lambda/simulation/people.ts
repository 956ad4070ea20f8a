import { type SeededRandom } from './seeded-random';

/** A person in a simulated org: how they appear in IAM tags and in Slack. */
export interface Person {
  /** As written in the `full-name` tag. */
  readonly fullName: string;
  /** IAM user name in the usual `first.last` form, ASCII only. */
  readonly userName: string;
  /** Slack member id, `U…` (or `W…` on Enterprise Grid). */
  readonly slackId: string;
}

const FIRST_NAMES: readonly string[] = (
  'María James Priya Wei Aisha Tom Sofia Lena Noah Daniel Fatima Kenji Olga Mateo Chloé Arjun ' +
  'Grace Samuel Yuki Ahmed Emma Lucas Zanele Ingrid Diego Hannah Omar Mei Ravi Elena Kwame ' +
  'Sara Jonas Leila Pedro Anya Tariq Nora Felix Amara'
).split(' ');

const LAST_NAMES: readonly string[] = (
  'García Okafor Nair Chen Bello Becker Rossi Schmidt Kim Park Haddad Tanaka Ivanova López ' +
  'Dubois Sharma Mensah Cohen Sato Hassan Johansson Silva Dlamini Novak Fernández Müller Ali ' +
  'Wong Patel Popescu Asante Levi Berg Karimi Costa Petrova Khan Murphy Weber Eze'
).split(' ');

/** Service users as real orgs name them. */
export const MACHINE_USER_NAMES: readonly string[] = (
  'ci-deploy terraform-runner backup-sync datadog-integration grafana-cloudwatch ' +
  'sftp-partner-acme jenkins athena-reporting airflow-worker github-actions-legacy ' +
  'log-shipper cost-explorer-export'
).split(' ');

/** Users nobody owns any more: the ones that turn up untagged. */
export const ORPHAN_USER_NAMES: readonly string[] = (
  'legacy-etl old-jenkins test-user tmp-migration-2021 ses-smtp-user.20210914-101504 ' +
  'quicksight-poc admin2'
).split(' ');

const SLACK_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Hands out distinct people: user names and Slack ids never repeat, so a test can tell any two
 * apart.
 */
export class PeoplePool {
  private readonly userNames = new Set<string>();
  private readonly slackIds = new Set<string>();

  constructor(private readonly random: SeededRandom) {}

  next(): Person {
    let first = this.random.pick(FIRST_NAMES);
    let last = this.random.pick(LAST_NAMES);
    for (let retry = 0; retry < 5 && this.userNames.has(baseName(first, last)); retry++) {
      first = this.random.pick(FIRST_NAMES);
      last = this.random.pick(LAST_NAMES);
    }
    // Once names run out (large orgs), disambiguate the way IT departments do: jane.doe2.
    const base = baseName(first, last);
    let userName = base;
    for (let n = 2; this.userNames.has(userName); n++) userName = `${base}${n}`;
    this.userNames.add(userName);
    return { fullName: `${first} ${last}`, userName, slackId: this.slackId() };
  }

  /** A fresh, well-formed Slack member id that no one else in the pool has. */
  slackId(): string {
    for (;;) {
      const prefix = this.random.chance(0.1) ? 'W' : 'U';
      const id = `${prefix}${this.random.string(10, SLACK_ID_ALPHABET)}`;
      if (this.slackIds.has(id)) continue;
      this.slackIds.add(id);
      return id;
    }
  }
}

function baseName(first: string, last: string): string {
  return `${ascii(first)}.${ascii(last)}`;
}

/** `María` → `maria`, `Müller` → `muller`. */
function ascii(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
