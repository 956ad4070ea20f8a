import { createOutboxSender } from './outbox/outbox-sender-handler';
import { outboxSenderDeps } from './runtime/outbox-sender-deps';

/** The Slack outbox's sender (issue 12 item 4). Dependencies are built on first invocation, once per container. */
export const handler = createOutboxSender(() => outboxSenderDeps(process.env));
