import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { ACTIONS, type ActionRequest, StandInAwsError, accountOfAccessKeyId } from './actions';
import {
  type CredentialReportFault,
  type CredentialReportOptions,
  CredentialReports,
} from './credential-report';
import { type StandInOrg } from './org';
import { TokenBucket } from './token-bucket';
import { errorResponse } from './xml';

/** How a stand-in behaves. */
export interface IamStandInOptions {
  /** The organisation served (see `generateOrg`); AssumeRole works for these account ids only. */
  readonly org: StandInOrg;
  /** Milliseconds before each answer, in real time; per action, or one value for all. @default 0 */
  readonly latencyMs?: number | Readonly<Partial<Record<string, number>>>;
  /** Per-account IAM bucket; STS is not throttled. @default none (never throttles) */
  readonly throttle?: { readonly ratePerSecond: number; readonly burst: number };
  /**
   * Speed of the bucket's clock against real time: at 20, a 10 TPS bucket refills 200 tokens a
   * real second. Tests run callers on the same scale (sleeps ÷ scale) to keep simulated IAM time
   * honest while finishing fast. @default 1
   */
  readonly timeScale?: number;
  /** Largest page of any list call, whatever `MaxItems` asks (1 pages even `ListAccessKeys`). @default 1000 */
  readonly pageCap?: number;
  /**
   * Users whose per-user calls (`ListAccessKeys`, `ListUserTags`…) answer this error code
   * (HTTP 403), e.g. `{ 'user-0003': 'AccessDenied' }`, for tests of one unreadable user. @default none
   */
  readonly userFaults?: Readonly<Record<string, string>>;
  /** Actions the member role may not call (HTTP 403 AccessDenied), e.g. a role deployed before they were needed. */
  readonly deniedActions?: readonly string[];
  /** GetAccountAuthorizationDetails leaves out every user's tags, as some emulators do. @default false */
  readonly detailsWithoutTags?: boolean;
  /** The credential report's generation delay and per-account faults. @default 1 s, no faults */
  readonly credentialReport?: CredentialReportOptions;
  /**
   * Wall-clock time of the stand-in's start, from which its clock runs at `timeScale`; dates the
   * credential report. @default the real time at start
   */
  readonly startTime?: Date;
  /**
   * The stand-in's clock, epoch ms, replacing `startTime` and `timeScale`: a test that advances
   * it from the caller's injected `sleep` gets exact, load-independent timing. @default scaled real time
   */
  readonly clock?: () => number;
}

/** Requests seen per account (`hub` for the hub's own credentials) and action, and how many were throttled. */
export interface IamStandInStats {
  readonly calls: Record<string, Record<string, number>>;
  readonly throttled: Record<string, Record<string, number>>;
  /** Error answers per account, action and code, e.g. `errors[id].GetCredentialReport.ReportInProgress`. */
  readonly errors: Record<string, Record<string, Record<string, number>>>;
}

/** A running stand-in. */
export interface IamStandIn {
  /** `http://127.0.0.1:<port>`, for both the IAM and the STS client's `endpoint`. */
  readonly endpoint: string;
  stats(): IamStandInStats;
  resetStats(): void;
  /** Sets (or with `undefined` clears) how an account's credential report misbehaves from now on. */
  setCredentialReportFault(accountId: string, fault: CredentialReportFault | undefined): void;
  /** The stand-in's clock (scaled by `timeScale`), epoch ms. */
  now(): number;
  /** Stops listening and drops kept-alive connections, leaving no open handle. */
  close(): Promise<void>;
}

const CREDENTIAL = /Credential=([^/,\s]+)\//;

/** Starts an IAM/STS query-protocol stand-in on 127.0.0.1 and an ephemeral port. */
export async function startIamStandIn(options: IamStandInOptions): Promise<IamStandIn> {
  const scale = options.timeScale ?? 1;
  const origin = performance.now();
  const startTime = (options.startTime ?? new Date()).getTime();
  const now = options.clock ?? ((): number => startTime + (performance.now() - origin) * scale);
  const buckets = new Map<string, TokenBucket>();
  let calls: Record<string, Record<string, number>> = {};
  let throttled: Record<string, Record<string, number>> = {};
  let errors: Record<string, Record<string, Record<string, number>>> = {};
  const reports = new CredentialReports(options.credentialReport ?? {}, now);
  const actions = { ...ACTIONS, ...reports.actions };
  const bump = (table: Record<string, Record<string, number>>, account: string, action: string): void => {
    const row = (table[account] ??= {});
    row[action] = (row[action] ?? 0) + 1;
  };

  const allow = (accountId: string): boolean => {
    const { throttle } = options;
    if (!throttle) return true;
    let bucket = buckets.get(accountId);
    if (!bucket) {
      bucket = new TokenBucket(throttle.ratePerSecond, throttle.burst, now);
      buckets.set(accountId, bucket);
    }
    return bucket.tryTake();
  };

  const latencyFor = (action: string): number => {
    const { latencyMs = 0 } = options;
    return typeof latencyMs === 'number' ? latencyMs : (latencyMs[action] ?? 0);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    const accessKeyId = CREDENTIAL.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const accountId = accountOfAccessKeyId(accessKeyId);
    const request: ActionRequest = {
      action,
      params,
      accountId,
      requestId: randomUUID(),
      pageCap: options.pageCap ?? 1000,
      ...(options.detailsWithoutTags ? { detailsWithoutTags: true } : {}),
    };
    bump(calls, accountId ?? 'hub', action);
    const latency = latencyFor(action);
    if (latency > 0) await delay(latency);
    let status = 200;
    let xml: string;
    try {
      const handler = actions[action];
      if (!handler) throw new StandInAwsError(400, 'InvalidAction', `Could not find operation ${action}`);
      const userFault = options.userFaults?.[params.get('UserName') ?? ''];
      if (accountId !== undefined && !allow(accountId)) {
        bump(throttled, accountId, action);
        throw new StandInAwsError(400, 'Throttling', 'Rate exceeded');
      }
      if (accountId !== undefined && options.deniedActions?.includes(action))
        throw new StandInAwsError(403, 'AccessDenied', `User is not authorized to perform: iam:${action}`);
      if (userFault)
        throw new StandInAwsError(403, userFault, `Stand-in fault for ${params.get('UserName')}`);
      xml = handler(options.org, request);
    } catch (error) {
      const e =
        error instanceof StandInAwsError
          ? error
          : new StandInAwsError(500, 'ServiceFailure', String(error), 'Receiver');
      status = e.status;
      const byAction = (errors[accountId ?? 'hub'] ??= {});
      const byCode = (byAction[action] ??= {});
      byCode[e.code] = (byCode[e.code] ?? 0) + 1;
      xml = errorResponse(e.type, e.code, e.message, request.requestId);
    }
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': request.requestId });
    res.end(xml);
  };

  const server: Server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({
      calls: structuredClone(calls),
      throttled: structuredClone(throttled),
      errors: structuredClone(errors),
    }),
    resetStats: () => {
      calls = {};
      throttled = {};
      errors = {};
    },
    setCredentialReportFault: (accountId, fault) => reports.setFault(accountId, fault),
    now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
