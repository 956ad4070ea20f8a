import { createServer, type IncomingMessage } from 'node:http';
import { type AddressInfo } from 'node:net';

import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from './fake-slack-server';

/**
 * The loopback Slack stand-in (`fake-slack-server.ts`) plus the three methods the buttons use
 * (issue 11 item 3), answered as Slack does: `views.open`, `chat.postEphemeral` and
 * `usergroups.users.list`. It listens on its own 127.0.0.1 port, answers those itself and passes
 * every other request through to the stand-in unchanged, so threads, DMs and updates behave as in
 * the other tests.
 *
 * - `views.open`: ok with the view's id; `invalid_arguments` without a `trigger_id` or a view;
 * - `chat.postEphemeral`: ok with a `message_ts`; `user_not_in_channel` for a user outside
 *   `members`;
 * - `usergroups.users.list`: the group's members from `userGroups`; `no_such_subteam` otherwise.
 * Each checks the token like the stand-in does.
 */
export interface FakeSlackWithInteractions extends FakeSlack {
  /** The requests to the three methods above, in order. */
  readonly interactionRequests: readonly InteractionRequest[];
  /** Views opened, decoded. */
  modals(): Record<string, unknown>[];
  /** Ephemeral messages accepted: to whom, where, and the text. */
  ephemerals(): { readonly channel: string; readonly user: string; readonly text: string }[];
}

export interface InteractionRequest {
  readonly method: 'views.open' | 'chat.postEphemeral' | 'usergroups.users.list';
  readonly body: Readonly<Record<string, unknown>>;
  readonly response: Readonly<Record<string, unknown>>;
}

export interface FakeSlackInteractionsOptions extends FakeSlackOptions {
  /** User group id → member ids. @default {} */
  readonly userGroups?: Readonly<Record<string, readonly string[]>>;
}

const OWN_METHODS = new Set(['views.open', 'chat.postEphemeral', 'usergroups.users.list']);

export async function startFakeSlackWithInteractions(
  options: FakeSlackInteractionsOptions = {},
): Promise<FakeSlackWithInteractions> {
  const inner = await startFakeSlack(options);
  const interactionRequests: InteractionRequest[] = [];
  const userGroups = options.userGroups ?? {};

  const answer = (
    method: InteractionRequest['method'],
    headers: IncomingMessage['headers'],
    body: Record<string, unknown>,
  ) => {
    if (headers.authorization !== `Bearer ${inner.token}`)
      return { ok: false, error: headers.authorization === undefined ? 'not_authed' : 'invalid_auth' };
    switch (method) {
      case 'views.open':
        return typeof body.trigger_id === 'string' && typeof body.view === 'object'
          ? { ok: true, view: { id: `V${interactionRequests.length + 1}` } }
          : { ok: false, error: 'invalid_arguments' };
      case 'chat.postEphemeral':
        return inner.members.has(String(body.user))
          ? { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.9${interactionRequests.length}` }
          : { ok: false, error: 'user_not_in_channel' };
      case 'usergroups.users.list': {
        const members = userGroups[String(body.usergroup)];
        return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
      }
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const method = path.slice('/api/'.length);
      if (OWN_METHODS.has(method)) {
        const body = parseBody(raw, req.headers['content-type']);
        const response = answer(method as InteractionRequest['method'], req.headers, body);
        interactionRequests.push({ method: method as InteractionRequest['method'], body, response });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(response));
        return;
      }
      const forwarded = await fetch(
        new URL(`${method}${new URL(req.url ?? '/', 'http://127.0.0.1').search}`, inner.url),
        {
          method: req.method ?? 'POST',
          headers: Object.fromEntries(
            Object.entries(req.headers).flatMap(([name, value]) =>
              typeof value === 'string' && name !== 'host' && name !== 'content-length'
                ? [[name, value]]
                : [],
            ),
          ),
          ...(raw === '' ? {} : { body: raw }),
        },
      );
      const headers = Object.fromEntries(forwarded.headers.entries());
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      res.writeHead(forwarded.status, headers);
      res.end(Buffer.from(await forwarded.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    ...inner,
    url: `http://127.0.0.1:${port}/api/`,
    interactionRequests,
    modals: () =>
      interactionRequests
        .filter((r) => r.method === 'views.open' && r.response.ok === true)
        .map((r) => r.body.view as Record<string, unknown>),
    ephemerals: () =>
      interactionRequests
        .filter((r) => r.method === 'chat.postEphemeral' && r.response.ok === true)
        .map((r) => ({
          channel: String(r.body.channel),
          user: String(r.body.user),
          text: String(r.body.text),
        })),
    reset: () => {
      inner.reset();
      interactionRequests.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await inner.close();
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends form fields, with objects (`view`, `blocks`) JSON-encoded inside them. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) return { ...(JSON.parse(raw) as Record<string, unknown>) };
  return Object.fromEntries(
    [...new URLSearchParams(raw)].map(([key, value]) => {
      if (!value.startsWith('[') && !value.startsWith('{')) return [key, value];
      try {
        return [key, JSON.parse(value) as unknown];
      } catch {
        return [key, value];
      }
    }),
  );
}
