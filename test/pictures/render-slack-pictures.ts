/**
 * `npm run pictures`: draws the README's pictures of one owner DM and one channel thread, from the
 * messages the real engine sends in the demo (`npm start`, with the Slack buttons on), with headless Chromium (Debian's
 * `chromium` package: `apt-get install chromium fonts-noto-color-emoji`). Not part of `npm test`:
 * it needs a browser, and a picture is reviewed by eye, not by assertion.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { runDemoWorld } from '../../lambda/demo/run-demo';
import { type SlackDelivery, TAG } from '../../lambda/simulation';
import { dmPage, type DrawnMessage, type MentionNames, threadPage } from './slack-html';

const OUT_DIR = resolve(__dirname, '../../docs/images');
const WIDTH = 760;

async function main(): Promise<void> {
  const { slack, org } = await runDemoWorld({ write: () => undefined, buttons: true });
  const names = await mentionNames(org);

  // The fullest ordinary story: the thread with most replies that ends in a deactivation made on
  // time (the demo also has late notices after a Slack outage, which are the exception).
  const threads = new Map<string, SlackDelivery[]>();
  for (const reply of slack.threadReplies()) {
    const parentTs = reply.threadTs ?? '';
    threads.set(parentTs, [...(threads.get(parentTs) ?? []), reply]);
  }
  const [parentTs, replies] =
    [...threads]
      .filter(([, list]) => {
        const header = list.at(-1)?.message.blocks.find((block) => block.type === 'header');
        return header?.type === 'header' && header.text.text === 'Access key deactivated';
      })
      .sort(([, a], [, b]) => b.length - a.length)[0] ??
    fail('the demo has no thread that ends in a deactivation');
  const parent = slack.channelMessage(parentTs) ?? fail(`the thread parent ${parentTs} is gone`);
  const keyId = /AKIA[A-Z0-9]{16}/.exec(parent.text)?.[0] ?? fail('the thread parent names no access key');
  const parentPost = slack.channelMessages().find((post) => post.ts === parentTs);

  const firstDm =
    slack.deliveries.find((d) => d.to.kind === 'dm' && d.message.text.includes(keyId)) ??
    fail(`no DM about ${keyId}`);
  const recipient = firstDm.to.kind === 'dm' ? (names.get(firstDm.to.slackId) ?? firstDm.to.slackId) : '';

  mkdirSync(OUT_DIR, { recursive: true });
  screenshot(
    dmPage({ recipientName: recipient, messages: [drawn(firstDm.message, firstDm.at)] }, names),
    join(OUT_DIR, 'owner-dm.png'),
  );
  screenshot(
    threadPage(
      {
        channelName: 'infra',
        parent: drawn(parent, parentPost?.at ?? firstDm.at),
        replies: replies.map((reply) => drawn(reply.message, reply.at)),
      },
      names,
    ),
    join(OUT_DIR, 'channel-thread.png'),
  );
  process.stdout.write(`wrote docs/images/owner-dm.png and docs/images/channel-thread.png (key ${keyId})\n`);
}

function drawn(message: DrawnMessage['message'], at: Date): DrawnMessage {
  return { message, time: `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC` };
}

/** Slack shows a mention as the person's name; the demo's people carry it in their `full-name` tag. */
async function mentionNames(org: Awaited<ReturnType<typeof runDemoWorld>>['org']): Promise<MentionNames> {
  const names = new Map<string, string>();
  for (const account of org.accounts) {
    const scan = await org.iam.readAccount(account);
    for (const user of scan.users) {
      const slackId = user.tags[TAG.slackId];
      if (slackId) names.set(slackId, user.tags[TAG.fullName] ?? user.userName);
    }
  }
  return names;
}

/**
 * Two passes: the first asks the page how tall it is, the second shoots exactly that, so the
 * picture has no empty band below the messages.
 */
function screenshot(html: string, outFile: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'slack-picture-'));
  try {
    const page = join(dir, 'page.html');
    const measuring = html.replace(
      '</body>',
      `<script>document.title = 'height:' + document.querySelector('main').scrollHeight;</script></body>`,
    );
    writeFileSync(page, measuring);
    const dom = chromium(dir, ['--dump-dom', `file://${page}`]);
    const height = Number(
      /<title>height:(\d+)<\/title>/.exec(dom)?.[1] ?? fail('could not measure the page'),
    );
    writeFileSync(page, html);
    chromium(dir, [`--window-size=${WIDTH},${height}`, `--screenshot=${outFile}`, `file://${page}`]);
    readFileSync(outFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chromium(profileDir: string, args: readonly string[]): string {
  return execFileSync(
    process.env.CHROMIUM ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--force-device-scale-factor=2',
      `--user-data-dir=${join(profileDir, 'profile')}`,
      ...args,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

function fail(message: string): never {
  throw new Error(message);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
