import { interactivityEnabled } from '../../lambda/config/interactivity-schema';
import { parseConfig } from '../../lambda/config/parse-config';

const minimal = { accounts: [{ id: '111111111111' }] };

function withInteractivity(interactivity: unknown) {
  return parseConfig({ ...minimal, slack: { infraChannel: 'C0123ABCD', interactivity } });
}

describe('slack.interactivity (issue 11 item 3)', () => {
  it('is off when absent', () => {
    const config = parseConfig({ ...minimal, slack: { infraChannel: 'C0123ABCD' } });
    expect(interactivityEnabled(config.slack)).toBe(false);
  });

  it('is on with approvers by member id, a user group, or both', () => {
    expect(withInteractivity({ approvers: { users: ['U0LEAD001'] } }).slack.interactivity).toEqual({
      enabled: true,
      approvers: { users: ['U0LEAD001'] },
    });
    expect(
      withInteractivity({ approvers: { userGroup: 'S0INFRA01' } }).slack.interactivity?.approvers,
    ).toEqual({ users: [], userGroup: 'S0INFRA01' });
    expect(
      interactivityEnabled(withInteractivity({ enabled: false, approvers: { users: ['W0LEAD001'] } }).slack),
    ).toBe(false);
  });

  it.each([
    [{}, 'slack.interactivity.approvers: Invalid input'],
    [{ approvers: {} }, 'slack.interactivity.approvers: must name at least one approver'],
    [
      { approvers: { users: ['@alice'] } },
      'slack.interactivity.approvers.users[0]: must be a Slack member id',
    ],
    [
      { approvers: { userGroup: 'infra-leads' } },
      'slack.interactivity.approvers.userGroup: must be a Slack user group id',
    ],
    [{ approvers: { users: ['U0LEAD001'], groups: [] } }, 'slack.interactivity.approvers'],
  ])('names the field for %j', (interactivity, expected) => {
    expect(() => withInteractivity(interactivity)).toThrow(expected);
  });
});
