import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CSV_COLUMNS } from '../../lambda/cli/inventory-formats';
import { cli } from './cli-harness';

const FORMATS = readFileSync(join(__dirname, '..', '..', 'docs', 'formats.md'), 'utf8');

describe('docs/formats.md documents scan json and csv field by field', () => {
  it('lists every column, numbered in csv order', () => {
    const documented = [...FORMATS.matchAll(/^\| (\d+) +\| `(\w+)` +\|/gm)].map((m) => [Number(m[1]), m[2]]);

    expect(documented).toEqual(CSV_COLUMNS.map((column, i) => [i + 1, column]));
  });

  it('shows json with the keys scan prints, in its order', async () => {
    const printed = JSON.parse((await cli(['scan', '--demo', '--format', 'json'])).stdout) as {
      keys: Record<string, unknown>[];
    };
    const example = /```json\n([\s\S]*?)```/.exec(FORMATS)?.[1] ?? '{}';
    const shown = JSON.parse(example) as Record<string, unknown> & { keys: Record<string, unknown>[] };

    expect(Object.keys(shown)).toEqual(Object.keys(printed));
    expect(Object.keys(shown.keys[0] ?? {})).toEqual(Object.keys(printed.keys[0] ?? {}));
    expect(printed.keys).toContainEqual(shown.keys[0]);
  });
});
