import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Slack's Web API, for any test that sends through a real `WebClient`
 * (the Slack adapter, the handler end to end, the CLI). It listens on 127.0.0.1 on a free port,
 * records every request, and answers like Slack unless a test has scripted the answer.
 *
 * ```ts
 * const slack = await startFakeSlack({ members: ['U0OWNER01'] });
 * const notifier = new SlackNotifier({ token: slack.token, apiUrl: slack.url, infraChannel: 'C0INFRA01' });
 * slack.script('chat.postMessage', [slackError('ratelimited', 429, { 'Retry-After': '1' })]);
 * // ... act ...
 * expect(slack.messages()).toEqual([expect.objectContaining({ channel: 'DU0OWNER01' })]);
 * await slack.close();
 * ```
 *
 * Default answers, after any scripted ones for that method are used up:
 * - a request whose `Authorization` is not `Bearer <token>`: `invalid_auth` (`not_authed` if absent);
 *   a token in the body is deliberately not accepted;
 * - `auth.test`: ok with `user_id` {@link FAKE_SLACK_BOT_USER_ID} and `team` "Fake Workspace";
 * - `conversations.open`: `{ channel: { id: 'D' + userId } }` for a member, else `user_not_found`;
 * - `chat.postMessage`: ok with `ts` and `channel`; `no_text` without text and blocks;
 *   `channel_not_found` for a DM channel of a non-member, or for a channel not in `channels` when given;
 *   `thread_not_found` for a `thread_ts` that is not a live message;
 * - `chat.update`: ok; `message_not_found` for a `ts` never posted or deleted;
 * - `conversations.info`: ok for a channel in `channels` (any, when not given), else `channel_not_found`;
 * - any other method: `unknown_method`.
 */
export interface FakeSlack {
  /** Web API base URL ending in `/api/` (pass as `apiUrl` / `slackApiUrl`). */
  readonly url: string;
  /** The token the server accepts. */
  readonly token: string;
  /** Every request received, in order (live array). */
  readonly requests: readonly RecordedRequest[];
  /** Member ids that `conversations.open` accepts; tests may add or delete. */
  readonly members: Set<string>;
  /** Channel ids `chat.postMessage` accepts besides members' DM channels; `undefined` accepts any. */
  readonly channels: Set<string> | undefined;
  /** Queues answers for `method`, used one per request, in order, before the default behaviour. */
  script(method: string, responses: readonly ScriptedResponse[]): void;
  /** The recorded requests for one method. */
  requestsTo(method: string): RecordedRequest[];
  /** Messages Slack accepted (`chat.postMessage` answered ok), decoded. */
  messages(): PostedMessage[];
  /** The same with where each landed: its `ts` and, for a reply, its parent's. */
  posts(): (PostedMessage & ThreadPosition)[];
  /** Deletes a posted message, as a channel member could: `chat.update` and replies to it then fail. */
  deleteMessage(ts: string): void;
  /** Forgets recorded requests and pending scripts (members and channels are kept). */
  reset(): void;
  /** Stops the server, dropping open connections and delayed answers. */
  close(): Promise<void>;
}

/** Options for {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /** @default FAKE_SLACK_TOKEN */
  readonly token?: string;
  /** @default [FAKE_SLACK_MEMBER] */
  readonly members?: Iterable<string>;
  /** @default undefined: any channel id is accepted */
  readonly channels?: Iterable<string>;
  /** Stamps `receivedAt` (epoch ms): a test on a manual clock reads request spacing in its time. @default Date.now */
  readonly clock?: () => number;
}

/** One scripted answer. */
export interface ScriptedResponse {
  /** @default 200 */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded unless a string. @default { ok: true } */
  readonly body?: unknown;
  /** Answer this late (to provoke client timeouts). @default 0 */
  readonly delayMs?: number;
}

/** A request as the server saw it. */
export interface RecordedRequest {
  /** Web API method from the path, e.g. `chat.postMessage`. */
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** Form or JSON fields; form values that hold JSON (`blocks`) are decoded. */
  readonly body: Readonly<Record<string, unknown>>;
  /** `Date.now()` (or the `clock` option's time) on arrival. */
  readonly receivedAt: number;
  /** What the server answered. */
  readonly response: { readonly status: number; readonly body: unknown };
}

/** A `chat.postMessage` that Slack accepted. */
export interface PostedMessage {
  readonly channel: string;
  readonly text: unknown;
  readonly blocks: unknown;
}

/** Where a posted message sits. */
export interface ThreadPosition {
  readonly ts: string;
  /** Set for a thread reply. */
  readonly threadTs?: string;
}

/** The token {@link startFakeSlack} accepts unless told otherwise. Looks like a bot token on purpose. */
export const FAKE_SLACK_TOKEN = 'xoxb-000000000-fake-slack-token';
/** The one member known by default. */
export const FAKE_SLACK_MEMBER = 'U0OWNER01';
/** `auth.test`'s `user_id`. */
export const FAKE_SLACK_BOT_USER_ID = 'U0FAKEBOT';

/** A Slack error answer: `{ ok: false, error: code }` with an optional HTTP status and headers. */
export function slackError(
  code: string,
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): ScriptedResponse {
  return { status, headers, body: { ok: false, error: code } };
}

/** Starts a fake Slack on 127.0.0.1 (port chosen by the OS). Close it in `afterEach`/`afterAll`. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? FAKE_SLACK_TOKEN;
  const members = new Set(options.members ?? [FAKE_SLACK_MEMBER]);
  const channels = options.channels ? new Set(options.channels) : undefined;
  const clock = options.clock ?? Date.now;
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, ScriptedResponse[]>();
  const timers = new Set<NodeJS.Timeout>();
  let posted = 0;
  /** Channel and `ts` of every message still there, as `channel/ts`. */
  const live = new Set<string>();

  const answer = (
    method: string,
    headers: IncomingHttpHeaders,
    body: Record<string, unknown>,
  ): ScriptedResponse => {
    const scripted = scripts.get(method)?.shift();
    if (scripted) return scripted;
    if (headers.authorization !== `Bearer ${token}`)
      return slackError(headers.authorization === undefined ? 'not_authed' : 'invalid_auth');
    switch (method) {
      case 'auth.test':
        return ok({
          url: 'https://fake.slack.test/',
          team: 'Fake Workspace',
          team_id: 'T0FAKE001',
          user: 'access-key-enforcer',
          user_id: FAKE_SLACK_BOT_USER_ID,
          bot_id: 'B0FAKEBOT',
        });
      case 'conversations.open': {
        const user = (typeof body.users === 'string' ? body.users : '').split(',')[0] ?? '';
        return members.has(user) ? ok({ channel: { id: `D${user}` } }) : slackError('user_not_found');
      }
      case 'chat.postMessage': {
        const channel = typeof body.channel === 'string' ? body.channel : '';
        if (body.text === undefined && body.blocks === undefined) return slackError('no_text');
        const isDm = channel.startsWith('D');
        if (isDm ? !members.has(channel.slice(1)) : channels !== undefined && !channels.has(channel))
          return slackError('channel_not_found');
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        if (threadTs !== undefined && !live.has(`${channel}/${threadTs}`))
          return slackError('thread_not_found');
        posted += 1;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(posted).padStart(6, '0')}`;
        live.add(`${channel}/${ts}`);
        return ok({ channel, ts, message: { text: body.text, ts } });
      }
      case 'chat.update': {
        const channel = typeof body.channel === 'string' ? body.channel : '';
        const ts = typeof body.ts === 'string' ? body.ts : '';
        if (body.text === undefined && body.blocks === undefined) return slackError('no_text');
        if (!live.has(`${channel}/${ts}`)) return slackError('message_not_found');
        return ok({ channel, ts, text: body.text });
      }
      case 'conversations.info': {
        const channel = typeof body.channel === 'string' ? body.channel : '';
        return channels === undefined || channels.has(channel)
          ? ok({ channel: { id: channel, is_member: true } })
          : slackError('channel_not_found');
      }
      default:
        return slackError('unknown_method');
    }
  };

  const server = createServer((req, res) => {
    void readBody(req).then((rawBody) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (!path.startsWith('/api/')) return send(res, { status: 404, body: 'Not Found' });
      const method = path.slice('/api/'.length);
      const body = parseBody(rawBody, req.headers['content-type']);
      const response = answer(method, req.headers, body);
      requests.push({
        method,
        url: req.url ?? '',
        headers: req.headers,
        rawBody,
        body,
        receivedAt: clock(),
        response: { status: response.status ?? 200, body: response.body ?? { ok: true } },
      });
      if (!response.delayMs) return send(res, response);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, response);
      }, response.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    requests,
    members,
    channels,
    script: (method, responses) => scripts.set(method, [...(scripts.get(method) ?? []), ...responses]),
    requestsTo: (method) => requests.filter((r) => r.method === method),
    messages: () =>
      accepted(requests).map((r) => ({
        channel: String(r.body.channel),
        text: r.body.text,
        blocks: r.body.blocks,
      })),
    posts: () =>
      accepted(requests).map((r) => ({
        channel: String(r.body.channel),
        text: r.body.text,
        blocks: r.body.blocks,
        ts: responseTs(r.response.body),
        ...(typeof r.body.thread_ts === 'string' ? { threadTs: r.body.thread_ts } : {}),
      })),
    deleteMessage: (ts) => {
      for (const entry of live) if (entry.endsWith(`/${ts}`)) live.delete(entry);
    },
    reset: () => {
      requests.length = 0;
      scripts.clear();
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function ok(fields: Record<string, unknown>): ScriptedResponse {
  return { body: { ok: true, ...fields } };
}

function accepted(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'chat.postMessage' && isOk(r.response.body));
}

function responseTs(body: unknown): string {
  return typeof body === 'object' && body !== null && 'ts' in body && typeof body.ts === 'string'
    ? body.ts
    : '';
}

function isOk(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'ok' in body && body.ok === true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends form-encoded fields and JSON-encodes objects (`blocks`) inside them. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
  }
  return Object.fromEntries(
    [...new URLSearchParams(raw)].map(([key, value]) => [key, decodeJsonField(value)]),
  );
}

function decodeJsonField(value: string): unknown {
  if (!value.startsWith('[') && !value.startsWith('{')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function send(res: ServerResponse, response: ScriptedResponse): void {
  // The client may have given up (timeout) while a delayed answer was pending.
  if (res.destroyed || res.writableEnded) return;
  const body = response.body ?? { ok: true };
  res.writeHead(response.status ?? 200, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
    ...response.headers,
  });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
