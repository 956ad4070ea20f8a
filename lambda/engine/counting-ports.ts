import {
  type AccountReader,
  type KeyDeactivator,
  type Ledger,
  type Notifier,
  type OutboxQueue,
} from '../ports';
import { type PortCalls } from './run-report';

/** The ports the engine talks to, each wrapped so every call is counted for the run summary. */
export interface EnginePorts {
  readonly reader: AccountReader;
  readonly deactivator: KeyDeactivator;
  readonly notifier: Notifier;
  readonly ledger: Ledger;
  /** The Slack outbox's queue (issue 12 item 4): with it, the act step queues its notices instead of sending. */
  readonly outbox?: OutboxQueue;
}

export function countingPorts(ports: EnginePorts, calls: PortCalls): EnginePorts {
  const count = (name: string): void => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  return {
    reader: countingReader(ports.reader, count),
    deactivator: {
      deactivateKey: (account, user, key) => (
        count('iam.deactivateKey'),
        ports.deactivator.deactivateKey(account, user, key)
      ),
    },
    notifier: {
      sendDirect: (id, message) => (count('slack.sendDirect'), ports.notifier.sendDirect(id, message)),
      postToChannel: (message, options) => (
        count('slack.postToChannel'),
        ports.notifier.postToChannel(message, options)
      ),
      updateChannelMessage: (ts, message) => (
        count('slack.updateChannelMessage'),
        ports.notifier.updateChannelMessage(ts, message)
      ),
    },
    ledger: {
      readAccount: (id) => (count('ledger.readAccount'), ports.ledger.readAccount(id)),
      putKey: (record, version) => (count('ledger.putKey'), ports.ledger.putKey(record, version)),
      putAccount: (record, version) => (count('ledger.putAccount'), ports.ledger.putAccount(record, version)),
      readDigest: (id) => (count('ledger.readDigest'), ports.ledger.readDigest(id)),
      putDigest: (record, version) => (count('ledger.putDigest'), ports.ledger.putDigest(record, version)),
    },
    ...(ports.outbox && {
      outbox: { enqueue: (message) => (count('outbox.enqueue'), ports.outbox!.enqueue(message)) },
    }),
  };
}

/** Keeps the reader's optional methods only where the reader has them: their presence is the signal. */
function countingReader(reader: AccountReader, count: (name: string) => void): AccountReader {
  const readPasswordPolicy = reader.readPasswordPolicy?.bind(reader);
  // The rules read the credential report even from a reader without the fast path (the CLI's).
  const readInventory = reader.readInventory?.bind(reader);
  const readUserKeys = reader.readUserKeys?.bind(reader);
  return {
    readAccount: (account) => (count('iam.readAccount'), reader.readAccount(account)),
    ...(readPasswordPolicy && {
      readPasswordPolicy: (account) => (count('iam.readPasswordPolicy'), readPasswordPolicy(account)),
    }),
    ...(readInventory && {
      readInventory: (account) => (count('iam.readInventory'), readInventory(account)),
    }),
    ...(readUserKeys && {
      readUserKeys: (account, users, options) => (
        count('iam.readUserKeys'),
        readUserKeys(account, users, options)
      ),
    }),
  };
}
