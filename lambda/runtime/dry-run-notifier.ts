import { type Notifier } from '../ports';

/** Refuses every send: the engine never sends in a dry run (or while planning), and this makes sure of it. */
export const DRY_RUN_NOTIFIER: Notifier = {
  sendDirect: () => Promise.reject(new Error('dry run: no Slack message may be sent')),
  postToChannel: () => Promise.reject(new Error('dry run: no Slack message may be sent')),
  updateChannelMessage: () => Promise.reject(new Error('dry run: no Slack message may be sent')),
};
