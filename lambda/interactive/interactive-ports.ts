import { type ModalView } from '../domain/interactive/more-time-modal';
import { type SlackMessage } from '../domain/slack-message';
import { type Interaction } from '../adapters/slack/interaction-payload';
import { type AccountReader, type KeyDeactivator, type UserTagsReader } from '../ports';

/**
 * What the interactivity endpoint needs besides the engine's ports (issue 11 item 3). Adapters:
 * `lambda/adapters/aws/self-invoke-queue.ts`, `lambda/adapters/dynamodb/dynamodb-replay-guard.ts`,
 * `lambda/adapters/slack/slack-interactions.ts`; in-memory ones for tests.
 */

/** A press to be worked on after Slack has its acknowledgement (see docs/slack-buttons.md). */
export interface InteractiveJob {
  readonly interaction: Interaction;
  /** ISO instant Slack's request arrived. */
  readonly receivedAt: string;
}

/** Hands a job to a later invocation of the same function; resolves once it is accepted. */
export interface WorkQueue {
  enqueue(job: InteractiveJob): Promise<void>;
}

/**
 * Remembers signed requests for as long as their signature is valid. `firstSeen` is true exactly
 * once per id (a conditional write), so a request captured and sent again is refused.
 */
export interface ReplayGuard {
  firstSeen(requestId: string, expiresAt: Date): Promise<boolean>;
}

/** The Slack calls only the buttons need, beyond the notifier's DMs and channel posts. */
export interface SlackInteractions {
  /** `views.open`, within the 3 seconds the trigger id lives. */
  openModal(triggerId: string, view: ModalView): Promise<void>;
  /** `chat.postEphemeral`: seen by `userId` only, in `channelId`. */
  postEphemeral(channelId: string, userId: string, message: SlackMessage): Promise<void>;
  /** `usergroups.users.list`: the member ids of a user group. */
  userGroupMembers(userGroupId: string): Promise<readonly string[]>;
}

/** One key record without reading the whole account: the port the outbox sender uses too. */
export { type KeyRecordReader } from '../ports';

/** IAM through the member role: the key's user's tags and keys, and setting a key Inactive. */
export type InteractiveIam = UserTagsReader & Required<Pick<AccountReader, 'readUserKeys'>> & KeyDeactivator;
