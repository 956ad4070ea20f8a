import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { type AwsCredentialIdentityProvider } from '@smithy/types';
import { type Readable } from 'node:stream';

import { type AwsPartition } from './partition';

/**
 * One SigV4-signed JSON POST to an AWS REST-JSON API, built from the SDK's own signer, HTTP handler
 * and credential chain. It exists for Security Hub: its SDK client carries the whole ASFF model
 * (165 KB of schemas, every resource type's details) to send a document we already build as JSON,
 * and it would have made the daily Lambda's bundle a quarter larger and its cold start slower. The
 * interactivity endpoint uses it too, for one asynchronous `Invoke` of itself.
 */
export interface SignedJsonClientOptions {
  /** Signing name and endpoint prefix, e.g. `securityhub`. */
  readonly service: string;
  readonly region: string;
  readonly partition: AwsPartition;
  /**
   * Base URL; defaults to the SDK's environment overrides (`AWS_ENDPOINT_URL_<SERVICE>`, then
   * `AWS_ENDPOINT_URL`), then the service's regional endpoint.
   */
  readonly endpoint?: string;
  /** @default the SDK's default chain (in Lambda: the function's role) */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** A failed answer, shaped like an SDK service error so the shared retry rules classify it. */
export class AwsJsonServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number };

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = code;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status };
  }
}

export interface SignedJsonClient {
  /** `headers` are signed with the request, e.g. Lambda's `X-Amz-Invocation-Type`. */
  post(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<unknown>;
}

/** The endpoint an SDK client would use for `service`, environment overrides first. */
export function serviceEndpoint(
  service: string,
  region: string,
  partition: AwsPartition,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const override = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ?? env.AWS_ENDPOINT_URL;
  if (override !== undefined && override !== '') return override.replace(/\/+$/, '');
  const suffix = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service}.${region}.${suffix}`;
}

export function signedJsonClient(options: SignedJsonClientOptions): SignedJsonClient {
  const base = new URL(
    options.endpoint ?? serviceEndpoint(options.service, options.region, options.partition, options.env),
  );
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  const http = new NodeHttpHandler({
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    connectionTimeout: 3_000,
  });
  const basePath = base.pathname.replace(/\/+$/, '');

  return {
    async post(path, body, extraHeaders = {}) {
      const payload = JSON.stringify(body);
      const request = new HttpRequest({
        method: 'POST',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port !== '' && { port: Number(base.port) }),
        path: `${basePath}${path}`,
        headers: {
          host: base.host,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
          ...Object.fromEntries(
            Object.entries(extraHeaders).map(([name, value]) => [name.toLowerCase(), value]),
          ),
        },
        body: payload,
      });
      const signed = await signer.sign(request);
      const { response } = await http.handle(signed as HttpRequest);
      const text = Buffer.from(await streamCollector(response.body as Readable)).toString('utf8');
      const parsed = parseJson(text);
      if (response.statusCode >= 200 && response.statusCode < 300) return parsed;
      throw serviceError(response.statusCode, response.headers, parsed, text);
    },
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * REST-JSON services name the error in `x-amzn-errortype` or the body's `__type`/`code`, in
 * either case possibly prefixed by a namespace (`aws.securityhub#`) or suffixed (`:http://…`).
 */
function serviceError(
  status: number,
  headers: Record<string, string | undefined>,
  parsed: unknown,
  text: string,
): AwsJsonServiceError {
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const raw = [headers['x-amzn-errortype'], fields.__type, fields.code, fields.Code].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const code =
    raw?.split(':')[0]?.split('#').pop() ?? (status === 429 ? 'TooManyRequestsException' : `Http${status}`);
  const message = [fields.message, fields.Message].find(
    (value): value is string => typeof value === 'string',
  );
  return new AwsJsonServiceError(code, message ?? (text.slice(0, 200) || `HTTP ${status}`), status);
}
