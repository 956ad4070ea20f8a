import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const MANIFEST = readFileSync(join(__dirname, '..', '..', 'slack-app-manifest.yaml'), 'utf8');

/** The bot scopes listed under `oauth_config.scopes.bot` (comments excluded). */
function botScopes(): string[] {
  const lines = MANIFEST.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'bot:');
  const scopes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+- ([\w:.]+)\s*$/.exec(line);
    if (!match?.[1]) break;
    scopes.push(match[1]);
  }
  return scopes;
}

describe('the Slack app manifest', () => {
  it('asks for exactly the scopes the adapters call: the buttons add none by default', () => {
    expect(botScopes()).toEqual(['chat:write', 'im:write']);
  });

  it('names usergroups:read, for approvers given as a user group, in a comment only', () => {
    expect(MANIFEST).toMatch(/^#\s+usergroups:read - usergroups\.users\.list/m);
  });

  it('turns interactivity on, with the request URL to replace by the SlackInteractivityUrl output', () => {
    expect(MANIFEST).toMatch(
      /\n {2}interactivity:\n {4}is_enabled: true\n {4}request_url: https:\/\/REPLACE-WITH-SlackInteractivityUrl\.lambda-url\./,
    );
  });
});
