import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';

/** The credentials a client under test must sign with for the stand-in to accept it. */
export const STAND_IN_CREDENTIALS = {
  accessKeyId: 'AKIASTANDIN000000000',
  secretAccessKey: 'stand-in-secret',
};

/** One scripted answer: a `FailedFindings` list, or an HTTP error. */
export type ScriptedAnswer =
  | { readonly failedFindings: readonly { Id: string; ErrorCode: string; ErrorMessage: string }[] }
  | { readonly status: number; readonly errorType: string; readonly message: string };

/**
 * Security Hub's `BatchImportFindings` on 127.0.0.1: checks the SigV4 signature (service
 * `securityhub`, the region it was given) by signing the same request again, keeps every batch it
 * accepted, and answers from a script first, then with success.
 */
export class SecurityHubStandIn {
  readonly batches: unknown[][] = [];
  /** Requests answered, refused ones included. */
  requests = 0;
  private readonly script: ScriptedAnswer[] = [];
  private server?: Server;

  constructor(private readonly region: string) {}

  get url(): string {
    if (!this.server) throw new Error('stand-in not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every finding accepted, in order. */
  get findings(): unknown[] {
    return this.batches.flat();
  }

  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  reset(): void {
    this.batches.length = 0;
    this.script.length = 0;
    this.requests = 0;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests++;
    const reply = (status: number, payload: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType && { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/` }),
      });
      response.end(JSON.stringify(payload));
    };
    if (request.method !== 'POST' || request.url !== '/findings/import')
      return reply(
        404,
        { message: `no route ${request.method} ${request.url}` },
        'ResourceNotFoundException',
      );
    if (!(await this.signatureHolds(request, body)))
      return reply(
        403,
        { message: 'The request signature we calculated does not match' },
        'InvalidSignatureException',
      );
    const scripted = this.script.shift();
    if (scripted && 'status' in scripted)
      return reply(scripted.status, { Message: scripted.message }, scripted.errorType);
    const findings = (JSON.parse(body) as { Findings: unknown[] }).Findings;
    this.batches.push(findings);
    const failed = scripted?.failedFindings ?? [];
    reply(200, {
      FailedCount: failed.length,
      SuccessCount: findings.length - failed.length,
      FailedFindings: failed,
    });
  }

  private async signatureHolds(request: IncomingMessage, body: string): Promise<boolean> {
    const authorization = request.headers.authorization ?? '';
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const amzDate = request.headers['x-amz-date'];
    if (signedHeaders.length === 0 || typeof amzDate !== 'string') return false;
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
    const signer = new SignatureV4({
      service: 'securityhub',
      region: this.region,
      credentials: STAND_IN_CREDENTIALS,
      sha256: Sha256,
    });
    const expected = await signer.sign(
      new HttpRequest({ method: 'POST', hostname: '127.0.0.1', path: request.url ?? '/', headers, body }),
      { signingDate: parseAmzDate(amzDate) },
    );
    return expected.headers.authorization === authorization;
  }
}

/** `20261203T030405Z` → Date. */
function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}
