import { addDays, utcDate } from '../../lambda/domain/dates';
import { ACTION, type KeyRef } from '../../lambda/domain/interactive/key-ref';
import { buildInventory } from '../../lambda/domain/inventory';
import { formatTable } from '../../lambda/cli/inventory-table';
import { ALICE, BOB, GROUP_LEAD, INFRA, InteractiveWorld, LEAD, PROD } from './interactive-world';

const DM_ALICE = `D${ALICE}`;

function blocksOf(post: { blocks: unknown }): { type: string; elements?: { action_id: string }[] }[] {
  return Array.isArray(post.blocks)
    ? (post.blocks as { type: string; elements?: { action_id: string }[] }[])
    : [];
}

function actionIds(post: { blocks: unknown }): string[] {
  return blocksOf(post).flatMap((block) => (block.elements ?? []).map((e) => e.action_id).filter(Boolean));
}

describe('buttons, through the real endpoint (issue 11 item 3)', () => {
  let world: InteractiveWorld;

  beforeEach(async () => {
    world = await InteractiveWorld.start();
  });
  afterEach(async () => {
    await world.close();
  });

  /** Alice's key, reminded at 86 days by a daily run: her DM carries the buttons, the channel a thread. */
  async function remindedKey(ageDays = 86): Promise<KeyRef> {
    const ref = world.engineer('alice', ALICE, ageDays);
    await world.dailyRun();
    return ref;
  }

  async function keyThread(ref: KeyRef): Promise<string> {
    const ts = (await world.record(ref))?.channelThread?.ts;
    if (ts === undefined) throw new Error('the key has no thread');
    return ts;
  }

  describe('"I’ve rotated – check now"', () => {
    it('is on the reminder DM the daily run sent', async () => {
      await remindedKey();
      const dm = world.slack.posts().find((p) => p.channel === DM_ALICE);
      expect(dm && actionIds(dm)).toEqual([ACTION.rotated, ACTION.moreTime]);
    });

    it('acknowledges first, then re-reads the keys, thanks the owner and says so in the key’s thread', async () => {
      const ref = await remindedKey();
      world.iam.setKeyStatus(PROD.id, 'alice', ref.accessKeyId, 'Inactive');
      world.iam.clearCalls();
      const dmsBefore = world.textsIn(DM_ALICE).length;

      const answer = await world.press(ACTION.rotated, ref, ALICE);

      // Acknowledged with nothing read or sent yet: the work is a queued job.
      expect(answer.statusCode).toBe(200);
      expect(world.iam.calls).toEqual([]);
      expect(world.textsIn(DM_ALICE)).toHaveLength(dmsBefore);

      expect(await world.drain()).toEqual([expect.objectContaining({ outcome: 'done', action: 'rotated' })]);
      expect(world.iam.calls).toEqual(
        expect.arrayContaining([expect.objectContaining({ op: 'readUserKeys', userNames: ['alice'] })]),
      );
      expect(world.textsIn(DM_ALICE).at(-1)).toMatch(
        /^Thanks: access key AKIA\w+ of IAM user alice .* is inactive now/,
      );
      expect(world.repliesTo(await keyThread(ref)).at(-1)).toMatch(
        /^<@U0ALICE01> pressed "I've rotated – check now": the key is inactive now/,
      );
      const record = await world.record(ref);
      expect(record?.thankedOn).toBe(utcDate(new Date()));
      expect(record?.audit?.at(-1)).toMatchObject({
        action: 'rotation-checked',
        to: [`slack:${ALICE}`, `dm:${ALICE}`],
      });
    });

    it('is not thanked a second time by the next run', async () => {
      const ref = await remindedKey();
      world.iam.setKeyStatus(PROD.id, 'alice', ref.accessKeyId, 'Inactive');
      await world.press(ACTION.rotated, ref, ALICE);
      await world.drain();
      const dms = world.textsIn(DM_ALICE).length;

      await world.dailyRun(1);

      expect(world.textsIn(DM_ALICE)).toHaveLength(dms);
    });

    it('tells the owner the key is still active and the deadline, the one `scan` shows', async () => {
      const ref = await remindedKey();

      await world.press(ACTION.rotated, ref, ALICE);
      await world.drain();

      const scan = buildInventory({
        account: PROD,
        scan: await world.iam.readAccount(PROD),
        ledger: await world.ledger.readAccount(PROD.id),
        config: world.config,
        now: new Date(),
      });
      const deadline = scan.rows[0]?.deadline ?? 'none';
      expect(world.textsIn(DM_ALICE).at(-1)).toContain('is still Active (86 days old)');
      expect(world.textsIn(DM_ALICE).at(-1)).toContain(
        `It will be deactivated by the daily run on ${deadline}`,
      );
      expect(world.repliesTo(await keyThread(ref)).at(-1)).toContain(
        'the key is still Active; deactivation by the daily run on',
      );
    });

    it('refuses someone other than the owner, telling them who the owner is', async () => {
      const ref = await remindedKey();

      await world.press(ACTION.rotated, ref, BOB, { channelId: INFRA });
      expect(await world.drain()).toEqual([expect.objectContaining({ outcome: 'refused' })]);

      expect(world.slack.ephemerals()).toEqual([
        { channel: INFRA, user: BOB, text: expect.stringContaining("only the key's owner (<@U0ALICE01>") },
      ]);
      expect((await world.record(ref))?.audit?.some((e) => e.action === 'rotation-checked')).toBe(false);
    });
  });

  describe('new-key alerts', () => {
    /** Alice already has a key; a second one appears after the baseline and is alerted. */
    async function newKey(): Promise<{ ref: KeyRef; alertTs: string }> {
      world.engineer('alice', ALICE, 10);
      await world.dailyRun();
      // Created after the first run read the account, as a new key always is.
      const { accessKeyId } = world.iam.createAccessKey(
        PROD.id,
        'alice',
        new Date(world.started.getTime() + 60_000),
      );
      await world.dailyRun(0.01);
      return {
        ref: { accountId: PROD.id, userName: 'alice', accessKeyId },
        alertTs: world.channelPostTs('New access key'),
      };
    }

    it('carry "It was me" and "Not me – deactivate"', async () => {
      await newKey();
      const alert = world.slack.posts().find((p) => String(p.text).startsWith('New access key'));
      expect(alert && actionIds(alert)).toEqual([ACTION.newKeyMine, ACTION.newKeyNotMine]);
    });

    it('"It was me" from someone other than the owner is refused with a message, and nothing is recorded', async () => {
      const { ref, alertTs } = await newKey();

      expect(
        (await world.press(ACTION.newKeyMine, ref, BOB, { channelId: INFRA, messageTs: alertTs })).statusCode,
      ).toBe(200);
      expect(await world.drain()).toEqual([expect.objectContaining({ outcome: 'refused', action: 'mine' })]);

      expect(world.slack.ephemerals()).toEqual([
        {
          channel: INFRA,
          user: BOB,
          text: expect.stringMatching(
            /^Nothing was done: only the key's owner \(<@U0ALICE01>, from the IAM user's slack-id tag\)/,
          ),
        },
      ]);
      expect(world.repliesTo(alertTs)).toEqual([]);
      expect((await world.record(ref))?.audit?.some((e) => e.action === 'new-key-confirmed')).toBe(false);
    });

    it('"It was me" from the owner is recorded and said in the alert’s thread', async () => {
      const { ref, alertTs } = await newKey();

      await world.press(ACTION.newKeyMine, ref, ALICE, { channelId: INFRA, messageTs: alertTs });
      await world.drain();

      expect(world.repliesTo(alertTs)).toEqual([
        expect.stringContaining('<@U0ALICE01>, the owner of IAM user alice, confirmed creating'),
      ]);
      expect((await world.record(ref))?.audit?.at(-1)).toMatchObject({
        action: 'new-key-confirmed',
        to: [`slack:${ALICE}`],
      });
    });

    it('"Not me – deactivate" from an approver in the user group sets the key Inactive and records who asked', async () => {
      const { ref, alertTs } = await newKey();

      await world.press(ACTION.newKeyNotMine, ref, GROUP_LEAD, { channelId: INFRA, messageTs: alertTs });
      expect(await world.drain()).toEqual([expect.objectContaining({ outcome: 'done', action: 'not-mine' })]);

      expect(world.iam.deactivations).toEqual([expect.objectContaining({ accessKeyId: ref.accessKeyId })]);
      const record = await world.record(ref);
      expect(record?.audit?.at(-1)).toMatchObject({
        action: 'deactivated-on-request',
        to: [`slack:${GROUP_LEAD}`],
        detail: 'asked by the approver',
      });
      expect(record?.deactivatedByUsOn).toBe(utcDate(new Date()));
      expect(world.repliesTo(alertTs)).toEqual([
        expect.stringContaining('was set Inactive at the request of <@U0LEAD002> (an approver)'),
      ]);
      expect(world.textsIn(DM_ALICE).at(-1)).toContain('was set Inactive at the request of <@U0LEAD002>');
      expect(
        world.slack.interactionRequests.filter((r) => r.method === 'usergroups.users.list'),
      ).toHaveLength(1);
    });

    it('"Not me – deactivate" when the user\'s keys cannot be listed says nothing was done, never "already inactive"', async () => {
      const { ref, alertTs } = await newKey();
      // Tags read, keys not: what a throttled ListAccessKeys leaves in the read's failedUsers.
      jest.spyOn(world.iam, 'readUserKeys').mockResolvedValueOnce({
        keys: new Map(),
        failedUsers: [{ userName: 'alice', message: 'Throttling: Rate exceeded' }],
      });

      await world.press(ACTION.newKeyNotMine, ref, GROUP_LEAD, { channelId: INFRA, messageTs: alertTs });
      expect(await world.drain()).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          action: ACTION.newKeyNotMine,
          detail: 'could not list the keys of alice: Throttling: Rate exceeded',
        }),
      ]);

      expect(world.iam.deactivations).toEqual([]);
      const told = JSON.stringify(world.slack.ephemerals().at(-1) ?? world.textsIn(DM_ALICE).at(-1));
      expect(told).toContain('did not work this time');
      expect(told).not.toContain('nactive');
      expect((await world.record(ref))?.deactivatedByUsOn).toBeUndefined();
    });

    it('"Not me – deactivate" from neither the owner nor an approver is refused and the key stays active', async () => {
      const { ref, alertTs } = await newKey();

      await world.press(ACTION.newKeyNotMine, ref, BOB, { channelId: INFRA, messageTs: alertTs });
      await world.drain();

      expect(world.iam.deactivations).toEqual([]);
      expect(world.slack.ephemerals()[0]?.text).toContain('or an approver');
    });
  });

  describe('"Ask for more time"', () => {
    const today = (): string => utcDate(new Date());

    async function requested(ref: KeyRef, until: string): Promise<string> {
      await world.press(ACTION.moreTime, ref, ALICE);
      await world.submitMoreTime(ref, ALICE, 'migrating the CI runner first', until);
      await world.drain();
      const ts = (await world.record(ref))?.exemptionRequest?.messageTs;
      if (ts === undefined) throw new Error('request not posted');
      return ts;
    }

    it('opens the modal within the acknowledgement, with the key and the latest date allowed', async () => {
      const ref = await remindedKey(80);

      const answer = await world.press(ACTION.moreTime, ref, ALICE);

      expect(answer.statusCode).toBe(200);
      expect(world.queue.jobs).toEqual([]);
      const [modal] = world.slack.modals();
      expect(modal).toMatchObject({
        type: 'modal',
        callback_id: 'ake.more-time-request',
        private_metadata: `1|${PROD.id}|alice|${ref.accessKeyId}`,
      });
      expect(JSON.stringify(modal)).toContain(`At most 90 days ahead: ${addDays(today(), 90)} or earlier.`);
    });

    it.each([
      ['a date too far ahead', 'because', () => addDays(today(), 91), { until: 'At most 90 days ahead' }],
      ['a date in the past', 'because', () => addDays(today(), -1), { until: 'Pick today' }],
      ['no reason', '  ', () => addDays(today(), 5), { reason: 'Say why' }],
    ])('keeps the modal open on %s, naming the field', async (_name, reason, until, errors) => {
      const ref = await remindedKey(80);

      const answer = await world.submitMoreTime(ref, ALICE, reason, until());

      expect(answer.statusCode).toBe(200);
      const body = JSON.parse(answer.body) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      for (const [field, text] of Object.entries(errors)) expect(body.errors[field]).toContain(text);
      expect(world.queue.jobs).toEqual([]);
    });

    it('posts the request to the key’s thread with Approve / Deny, and tells the owner', async () => {
      const ref = await remindedKey(80);
      const until = addDays(today(), 10);

      const requestTs = await requested(ref, until);

      const post = world.slack.posts().find((p) => p.ts === requestTs);
      expect(post?.threadTs).toBe(await keyThread(ref));
      expect(post && actionIds(post)).toEqual([ACTION.approveExemption, ACTION.denyExemption]);
      expect(String(post?.text)).toContain(`<@U0ALICE01> asks that access key ${ref.accessKeyId}`);
      expect(String(post?.text)).toContain('Approvers: <@U0LEAD001>, <!subteam^S0LEADS01>');
      expect((await world.record(ref))?.exemptionRequest).toMatchObject({
        status: 'pending',
        until,
        requestedBy: ALICE,
      });
      expect(world.textsIn(DM_ALICE).at(-1)).toContain('went to the approvers');
    });

    it('refuses Approve from someone who is not an approver, and nothing is exempt', async () => {
      const ref = await remindedKey(80);
      const requestTs = await requested(ref, addDays(today(), 10));

      await world.press(ACTION.approveExemption, ref, BOB, { channelId: INFRA, messageTs: requestTs });
      expect(await world.drain()).toEqual([
        expect.objectContaining({ outcome: 'refused', action: 'approve' }),
      ]);

      expect(world.slack.ephemerals()).toEqual([
        {
          channel: INFRA,
          user: BOB,
          text: 'Nothing was done: only a configured approver can decide this request.',
        },
      ]);
      expect((await world.record(ref))?.approvedExemption).toBeUndefined();
    });

    it('refuses Approve on a key that became inactive after the request: there is nothing to postpone', async () => {
      const ref = await remindedKey(80);
      const requestTs = await requested(ref, addDays(today(), 10));
      world.iam.setKeyStatus(PROD.id, 'alice', ref.accessKeyId, 'Inactive');

      await world.press(ACTION.approveExemption, ref, LEAD, { channelId: INFRA, messageTs: requestTs });
      expect(await world.drain()).toEqual([
        expect.objectContaining({ outcome: 'refused', action: 'approve' }),
      ]);

      expect(world.slack.ephemerals().at(-1)?.text).toBe(
        `Nothing was done: access key ${ref.accessKeyId} is inactive already: nothing to postpone.`,
      );
      const record = await world.record(ref);
      expect(record?.approvedExemption).toBeUndefined();
      expect(record?.exemptionRequest?.status).toBe('pending');
    });

    it('refuses an approver approving their own request', async () => {
      const ref = world.engineer('lead', LEAD, 88);
      await world.dailyRun();
      await world.press(ACTION.moreTime, ref, LEAD);
      await world.submitMoreTime(ref, LEAD, 'on leave', addDays(today(), 5));
      await world.drain();
      const requestTs = (await world.record(ref))?.exemptionRequest?.messageTs;

      await world.press(ACTION.approveExemption, ref, LEAD, { channelId: INFRA, messageTs: requestTs ?? '' });
      await world.drain();

      expect(world.slack.ephemerals()[0]?.text).toContain('cannot approve their own request');
      expect((await world.record(ref))?.approvedExemption).toBeUndefined();
    });

    it('once approved, stops the deactivation in the next run, and shows in scan and the digest', async () => {
      // Reminded at 76 today: without an exemption the run of day 11 (age 91) deactivates it.
      const ref = await remindedKey(80);
      const until = addDays(today(), 15);
      const requestTs = await requested(ref, until);

      await world.press(ACTION.approveExemption, ref, LEAD, { channelId: INFRA, messageTs: requestTs });
      expect(await world.drain()).toEqual([expect.objectContaining({ outcome: 'done', action: 'approve' })]);

      const record = await world.record(ref);
      expect(record?.approvedExemption).toMatchObject({
        until,
        approvedBy: LEAD,
        requestedBy: ALICE,
        reason: 'migrating the CI runner first',
      });
      expect(record?.audit?.at(-1)).toMatchObject({ action: 'exemption-approved', to: [`slack:${LEAD}`] });
      // The request's buttons are replaced by the decision; the thread and the owner hear it.
      const update = world.slack.requestsTo('chat.update').find((r) => r.body.ts === requestTs);
      expect(String(update?.body.text)).toContain(`Approved by <@${LEAD}>`);
      expect(JSON.stringify(update?.body.blocks)).not.toContain(ACTION.approveExemption);
      expect(world.repliesTo(await keyThread(ref)).at(-1)).toContain(
        `approved more time for access key ${ref.accessKeyId}`,
      );
      expect(world.textsIn(DM_ALICE).at(-1)).toContain(`it is not deactivated through ${until}`);

      // Day 11, age 91, past the deadline: the approved exemption holds the key, as the tag would.
      const run = await world.dailyRun(11, {
        slack: {
          infraChannel: INFRA,
          apiUrl: world.slack.url,
          runDigest: 'always',
          interactivity: { approvers: { users: [LEAD] } },
        },
      });
      expect(world.iam.deactivations).toEqual([]);
      expect(run.exemptions).toEqual([
        expect.objectContaining({ accessKeyId: ref.accessKeyId, until, approvedBy: LEAD }),
      ]);
      // That day is a Monday: the daily digest lists the exemption as new, the weekly one as in force.
      const posts = world.textsIn(INFRA);
      const daily = posts.find((text) => text.includes('New exemptions')) ?? '';
      expect(daily).toContain(`alice in prod (${PROD.id}) until ${until}`);
      expect(daily).toContain(`approved in Slack by <@${LEAD}>`);
      const weekly = posts.find((text) => text.includes('Exemptions in force (1)')) ?? '';
      expect(weekly).toContain(`alice until ${until}`);
      expect(weekly).toContain(`approved in Slack by <@${LEAD}>`);

      const scanNow = new Date(Date.now() + 11 * 86_400_000);
      const rows = buildInventory({
        account: PROD,
        scan: await world.iam.readAccount(PROD),
        ledger: await world.ledger.readAccount(PROD.id),
        config: world.config,
        now: scanNow,
      }).rows;
      expect(rows).toEqual([
        expect.objectContaining({
          exemptUntil: until,
          exemptionApprovedBy: LEAD,
          deadline: addDays(until, 1),
        }),
      ]);
      expect(
        formatTable(rows, {
          asOf: utcDate(scanNow),
          policy: world.config.policy,
          accountsTotal: 1,
          accountsFailed: 0,
        }),
      ).toContain(`prod/alice ${ref.accessKeyId} until ${until} (approved in Slack by ${LEAD})`);

      // The first run after the exemption's last day deactivates.
      await world.dailyRun(15);
      expect(world.iam.deactivations).toEqual([]);
      await world.dailyRun(16);
      expect(world.iam.deactivations).toEqual([expect.objectContaining({ accessKeyId: ref.accessKeyId })]);
    });

    it('Deny leaves the deadline as it was and tells the owner', async () => {
      const ref = await remindedKey(80);
      const requestTs = await requested(ref, addDays(today(), 10));

      await world.press(ACTION.denyExemption, ref, GROUP_LEAD, { channelId: INFRA, messageTs: requestTs });
      await world.drain();

      const record = await world.record(ref);
      expect(record?.approvedExemption).toBeUndefined();
      expect(record?.exemptionRequest).toMatchObject({ status: 'denied', decidedBy: GROUP_LEAD });
      expect(world.textsIn(DM_ALICE).at(-1)).toContain(`<@${GROUP_LEAD}> denied more time`);
      await world.dailyRun(11);
      expect(world.iam.deactivations).toEqual([expect.objectContaining({ accessKeyId: ref.accessKeyId })]);
    });
  });
});
