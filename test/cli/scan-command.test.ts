import { cli } from './cli-harness';

describe('scan --demo (the simulated organisation of npm start)', () => {
  it.each(['table', 'json', 'csv'])('prints a stable %s inventory', async (format) => {
    const result = await cli(['scan', '--demo', '--format', format]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
  });

  it('fits an 80-column terminal', async () => {
    const { stdout } = await cli(['scan', '--demo']);

    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('keeps stdout machine-readable: progress and warnings go to stderr', async () => {
    const { stdout, stderr } = await cli(['scan', '--demo', '--format', 'json']);

    const parsed = JSON.parse(stdout) as { asOf: string; keys: { accessKeyId: string; state: string }[] };
    expect(parsed.asOf).toBe('2027-03-01');
    expect(parsed.keys).toHaveLength(14);
    expect(stderr).toContain('reading prod');
    expect(stderr).toContain('warning: 518273649021/legacy-etl: no type tag');
  });

  it.each<[string[], number]>([
    [[], 0],
    [['--fail-on', 'overdue'], 1],
    [['--fail-on', 'warning'], 1],
    [['--account', '431296587140', '--fail-on', 'overdue'], 0],
    [['--account', '431296587140', '--fail-on', 'warning'], 1],
    [['--as-of', '2027-01-01', '--fail-on', 'warning', '--account', '629384750132'], 1],
  ])('exits %j → %i for compliance pipelines', async (flags, code) => {
    expect((await cli(['scan', '--demo', ...flags])).code).toBe(code);
  });

  it('selects an account by its config name as well as by id', async () => {
    const byName = await cli(['scan', '--demo', '--format', 'json', '--account', 'prod']);
    const byId = await cli(['scan', '--demo', '--format', 'json', '--account', '431296587140']);

    expect(byName.code).toBe(0);
    const accounts = (JSON.parse(byName.stdout) as { keys: { accountName: string }[] }).keys.map(
      (key) => key.accountName,
    );
    expect(new Set(accounts)).toEqual(new Set(['prod']));
    expect(byName.stdout).toBe(byId.stdout);
  });

  it.each<[string[], string]>([
    [['--format', 'xml'], "argument 'xml' is invalid"],
    [['--as-of', '31/01/2027'], '--as-of 31/01/2027: expected a date like 2027-01-31'],
    [['--account', '42'], '--account 42: not in the config'],
    [['--account', 'qa'], "--account qa: not in the config's accounts (431296587140 (prod)"],
    [['--account', '999999999999'], '--account 999999999999: not in the config'],
    [['--bogus'], "unknown option '--bogus'"],
  ])('refuses %j with exit 2 and says why', async (flags, message) => {
    const result = await cli(['scan', '--demo', ...flags]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('says what to do when the config file is missing', async () => {
    const result = await cli(['scan', '--config', '/nonexistent/enforcer.config.json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Config file /nonexistent/enforcer.config.json not found. Pass --config PATH',
    );
  });
});
