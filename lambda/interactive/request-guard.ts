import { createHash } from 'node:crypto';

import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request';

import { type ReplayGuard } from './interactive-ports';
import * as z from '../config/zod';

/** A v0 signature exactly as Slack sends it: a lowercase hex HMAC-SHA256. */
const V0_SIGNATURE = /^v0=[0-9a-f]{64}$/;

/** Slack's window for a request's timestamp, either way (its signing docs: five minutes). */
export const SIGNATURE_WINDOW_SECONDS = 300;

/** A Lambda Function URL request (payload format 2.0), as far as Slack's requests need it. */
export interface FunctionUrlRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly routeKey: string;
  readonly version: string;
  readonly requestContext: { readonly http: { readonly method: string } };
}

const FunctionUrlRequestSchema = z.object({
  version: z.string(),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  headers: z.record(z.string(), z.optional(z.string())),
  body: z.optional(z.string()),
  isBase64Encoded: z.boolean(),
  requestContext: z.looseObject({ http: z.looseObject({ method: z.string() }) }),
});

/**
 * The event, when it is an HTTP request through the Function URL. Anything else reaching the
 * function (the worker's job) was sent with `lambda:InvokeFunction`, which only its own role has:
 * a request through the URL always arrives wrapped in this shape, its body a string.
 */
export function parseFunctionUrlRequest(event: unknown): FunctionUrlRequest | undefined {
  const parsed = FunctionUrlRequestSchema.safeParse(event);
  return parsed.success ? parsed.data : undefined;
}

/** The body as Slack signed it. Function URLs may base64 it; Slack's bytes are UTF-8. */
export function rawBody(request: FunctionUrlRequest): string {
  const body = request.body ?? '';
  return request.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function header(request: FunctionUrlRequest, name: string): string | undefined {
  const key = Object.keys(request.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : request.headers[key];
}

export type GuardVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'unsigned' | 'stale' | 'bad-signature' | 'replayed' };

/**
 * Before Bolt sees a request: Slack's v0 signature (HMAC-SHA256 of `v0:<timestamp>:<body>` with
 * the signing secret, verified by Bolt's own `isValidSlackRequest` against our clock), a
 * timestamp within five minutes either way (Bolt only refuses old ones), and no replay: every
 * accepted request (its timestamp and body, what the signature covers) is remembered, with a
 * conditional write, for as long as it would verify. Only a correctly signed request is remembered, so nobody without the secret can
 * fill the table. Bolt's receiver then verifies the signature again.
 */
export async function guardRequest(
  request: FunctionUrlRequest,
  signingSecret: string,
  now: Date,
  replays: ReplayGuard,
): Promise<GuardVerdict> {
  const signature = header(request, 'x-slack-signature');
  const timestamp = Number(header(request, 'x-slack-request-timestamp'));
  if (signature === undefined || !Number.isInteger(timestamp)) return { ok: false, reason: 'unsigned' };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  const valid = isValidSlackRequest({
    signingSecret,
    body: rawBody(request),
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: now.getTime(),
  });
  // Bolt reads only the part of the header after `v0=` up to a further `=`, so `<sig>=1` verifies
  // too: the header is held to its exact form, and the guard remembers what Slack signed.
  if (!valid || !V0_SIGNATURE.test(signature)) return { ok: false, reason: 'bad-signature' };
  const id = createHash('sha256')
    .update(`${timestamp}:${rawBody(request)}`)
    .digest('hex');
  const expiresAt = new Date((timestamp + 2 * SIGNATURE_WINDOW_SECONDS) * 1000);
  return (await replays.firstSeen(id, expiresAt)) ? { ok: true } : { ok: false, reason: 'replayed' };
}
