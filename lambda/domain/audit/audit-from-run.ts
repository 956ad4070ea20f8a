import { type AccountPlan, type ExemptionNote } from '../decisions';
import { type KeyRecord } from '../ledger-records';
import { type AuditAction, type AuditEntry } from './audit-entry';

/** What the run did, as the engine reports it (a structural subset of its `ActionRecord`). */
export interface DoneAction {
  readonly accountId: string;
  readonly kind: string;
  readonly accessKeyId?: string;
  readonly milestone?: number | string;
  readonly outcome: string;
  readonly detail?: string;
  readonly messages: readonly {
    readonly to: { readonly kind: 'dm'; readonly slackId: string } | { readonly kind: 'channel' };
    readonly delivered: boolean;
    readonly thread?: 'parent' | 'reply';
  }[];
}

const ACTIONS: Readonly<Record<string, AuditAction>> = {
  remind: 'reminder',
  'final-notice': 'final-notice',
  deactivate: 'deactivated',
  'deactivation-notice-retry': 'deactivation-notice',
  thanks: 'thanks',
  'new-key': 'new-key-alert',
  'rule-finding': 'rule-finding',
};

/**
 * Pure: the audit entries of one run, by key (`accountId/accessKeyId`). Only actions carried out
 * count (a failed or withheld one did nothing); a baseline's silent recording is not an action.
 */
export function auditEntriesOfRun(
  actions: readonly DoneAction[],
  plans: readonly AccountPlan[],
  at: string,
): Map<string, AuditEntry[]> {
  const reactivated = new Set(
    plans.flatMap((plan) =>
      plan.decisions.flatMap((d) =>
        d.kind === 'deactivate' && d.reason === 'reactivated'
          ? [`${plan.account.id}/${d.subject.key.accessKeyId}`]
          : [],
      ),
    ),
  );
  const byKey = new Map<string, AuditEntry[]>();
  for (const action of actions) {
    const mapped = ACTIONS[action.kind];
    if (!mapped || !action.accessKeyId || action.outcome !== 'done') continue;
    if (action.kind === 'new-key' && action.detail === 'baseline') continue;
    const id = `${action.accountId}/${action.accessKeyId}`;
    const to = action.messages
      .filter((m) => m.delivered && m.thread !== 'parent')
      .map((m) => (m.to.kind === 'dm' ? `dm:${m.to.slackId}` : 'channel'));
    const entry: AuditEntry = {
      at,
      action: mapped === 'deactivated' && reactivated.has(id) ? 'reactivation-deactivated' : mapped,
      to: [...new Set(to)],
      ...(action.milestone !== undefined ? { detail: String(action.milestone) } : {}),
      ...(action.kind === 'rule-finding' && action.detail ? { detail: action.detail } : {}),
    };
    const list = byKey.get(id) ?? [];
    list.push(entry);
    byKey.set(id, list);
  }
  return byKey;
}

/**
 * Pure: an exemption entry for each live key of an exempt user, when the key's trail does not
 * already record this exemption (same end date and origin). A tag covers every key of its user;
 * an exemption approved in Slack covers its own key.
 */
export function exemptionEntries(
  exemptions: readonly ExemptionNote[],
  records: readonly KeyRecord[],
  tagKey: string,
  at: string,
): Map<string, AuditEntry> {
  const entries = new Map<string, AuditEntry>();
  // A key with an approved exemption in force is under that one (the later date), not the tag.
  const approvedKeys = new Set(
    exemptions.flatMap((e) => (e.approvedBy === undefined ? [] : [e.accessKeyId])),
  );
  for (const exemption of exemptions) {
    const origin =
      exemption.approvedBy === undefined ? `tag ${tagKey}` : `approved in Slack by ${exemption.approvedBy}`;
    const detail = `until ${exemption.until}; origin: ${origin}`;
    for (const record of records) {
      if (record.userName !== exemption.userName || record.goneOn !== undefined) continue;
      if (exemption.accessKeyId !== undefined && record.accessKeyId !== exemption.accessKeyId) continue;
      if (exemption.approvedBy === undefined && approvedKeys.has(record.accessKeyId)) continue;
      const last = [...(record.audit ?? [])].reverse().find((e) => e.action === 'exemption');
      if (last?.detail === detail) continue;
      entries.set(`${record.accountId}/${record.accessKeyId}`, { at, action: 'exemption', to: [], detail });
    }
  }
  return entries;
}
