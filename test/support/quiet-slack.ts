import { type Notifier } from '../../lambda/ports';

/** A Slack that takes every message and keeps none: for runs measured on their IAM calls alone. */
export const quietSlack: Notifier = {
  sendDirect: () => Promise.resolve({ ok: true }),
  postToChannel: () => Promise.resolve({ ok: true }),
  updateChannelMessage: () => Promise.resolve({ ok: true }),
};
