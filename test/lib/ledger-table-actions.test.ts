import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SENDER_LEDGER_ACTIONS } from '../../lib/constructs/slack-outbox';
import { INTERACTIVITY_LEDGER_ACTIONS } from '../../lib/constructs/slack-interactivity';
import { LEDGER_TABLE_ACTIONS } from '../../lib/hub-stack';

const ADAPTER_DIR = join(__dirname, '..', '..', 'lambda', 'adapters', 'dynamodb');

/** Every `XxxCommand` the DynamoDB ledger adapter constructs, as an IAM action. */
function actionsTheAdapterCalls(): string[] {
  const sources = readdirSync(ADAPTER_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(ADAPTER_DIR, file), 'utf8'));
  const commands = sources.flatMap((source) => [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]));
  return [...new Set(commands)].map((name) => `dynamodb:${name}`).sort();
}

describe('hub role ledger permissions', () => {
  it('grants exactly the DynamoDB calls the ledger adapter makes, no more', () => {
    expect([...LEDGER_TABLE_ACTIONS].sort()).toEqual(actionsTheAdapterCalls());
  });

  it('grants the outbox sender the same calls: it reads one key with the same Query (issue 12 item 4)', () => {
    expect([...SENDER_LEDGER_ACTIONS].sort()).toEqual(actionsTheAdapterCalls());
  });

  it('grants the interactivity endpoint the same calls (its key reads and the replay guard are Query and PutItem)', () => {
    expect([...INTERACTIVITY_LEDGER_ACTIONS].sort()).toEqual(actionsTheAdapterCalls());
  });
});
