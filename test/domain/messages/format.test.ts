import {
  daysLeftPhrase,
  escapeMrkdwn,
  joinCapped,
  link,
  mention,
  packLines,
  utcTimestamp,
} from '../../../lambda/domain/messages/format';

describe('message formatting', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<@U123|alice>', '&lt;@U123|alice&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['&lt;', '&amp;lt;'],
    ['plain', 'plain'],
  ])('escapes %j for Slack mrkdwn', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each([
    ['U0123ABCD', '<@U0123ABCD>'],
    ['W0123ABCD', '<@W0123ABCD>'],
    ['!channel', '!channel'],
    ['U0123ABCD><!here', 'U0123ABCD&gt;&lt;!here'],
  ])('mentions only well-formed member ids: %j', (slackId, expected) => {
    expect(mention(slackId)).toBe(expected);
  });

  it('escapes a link so that it cannot be split by its label separator', () => {
    expect(link('https://x.example/a?b=1&c=|2', 'Guide <x>')).toBe(
      '<https://x.example/a?b=1&amp;c=%7C2|Guide &lt;x&gt;>',
    );
  });

  it.each([
    [15, '15 days left'],
    [1, '1 day left'],
    [0, 'today'],
    [-1, '1 day ago'],
    [-12, '12 days ago'],
  ])('words a deadline %i days away as %j', (daysLeft, expected) => {
    expect(daysLeftPhrase(daysLeft)).toBe(expected);
  });

  it('prints instants in UTC without milliseconds', () => {
    expect(utcTimestamp(new Date('2025-06-01T23:59:59.999+02:00'))).toBe('2025-06-01T21:59:59Z');
  });

  it('packs lines into chunks under the limit and counts what did not fit', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(90)}`);

    const chunks = packLines(lines, 1000, 3);

    expect(chunks).toHaveLength(3);
    expect(chunks.every((chunk) => chunk.length <= 1000)).toBe(true);
    const shown = chunks
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('line ')).length;
    expect(chunks.at(-1)).toMatch(new RegExp(`\\nand ${100 - shown} more$`));
  });

  it('keeps everything when it fits', () => {
    expect(packLines(['a', 'b'], 1000, 1)).toEqual(['a\nb']);
  });

  it('truncates a single line longer than a chunk', () => {
    const [chunk] = packLines(['y'.repeat(5000)], 3000, 1);

    expect(chunk!.length).toBeLessThanOrEqual(3000);
    expect(chunk!.endsWith('…')).toBe(true);
  });

  it('joins names under a character budget', () => {
    const names = Array.from({ length: 50 }, (_, i) => `user-${i}`);

    const joined = joinCapped(names, 100);

    expect(joined.length).toBeLessThanOrEqual(100);
    expect(joined).toMatch(/^user-0, user-1, .* and \d+ more$/);
  });
});
