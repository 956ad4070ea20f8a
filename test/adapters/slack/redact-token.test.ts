import { redactToken } from '../../../lambda/adapters/slack/redact-token';

describe('redactToken', () => {
  const token = 'xoxb-1234-5678/abc+def';

  it.each([
    ['one raw occurrence', `auth ${token}`, 'auth [redacted]'],
    [
      'every raw occurrence',
      `${token} and ${token} and ${token}`,
      '[redacted] and [redacted] and [redacted]',
    ],
    [
      'the URL-encoded form',
      `token=${encodeURIComponent(token)}&x=${encodeURIComponent(token)}`,
      'token=[redacted]&x=[redacted]',
    ],
    ['nothing when the token is absent', 'all fine', 'all fine'],
  ])('replaces %s', (_what, text, expected) => {
    expect(redactToken(text, token)).toBe(expected);
  });

  it('leaves text alone when there is no token to hide', () => {
    expect(redactToken('xoxb-anything', '')).toBe('xoxb-anything');
  });
});
