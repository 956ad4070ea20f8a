import { randomUUID } from 'node:crypto';

import { interactivityEnabled } from '../../config/interactivity-schema';
import { type EnforcerConfig } from '../../config/schema';
import { parseUtcDate, utcDate } from '../../domain/dates';
import { sweepsFirst } from '../../domain/fast-read';
import { type MessageContext } from '../../domain/messages';
import { type AccountRef } from '../../domain/model';
import { type DailyRunTime } from '../../domain/run-time';
import { type Clock } from '../../ports';

/**
 * What every step of one run shares, as a small serialisable value: a state machine passes it
 * from step to step, so every worker decides at the same instant the run started.
 */
export interface RunContext {
  readonly runId: string;
  /** ISO instant the run decides at: the real time, or `asOf` at the time of day (dry runs only). */
  readonly now: string;
  /** ISO instant the run really started; leases, durations and read stamps use the real time. */
  readonly wallClock: string;
  readonly dryRun: boolean;
  readonly asOf?: string;
  /** Raises the circuit breaker's limit for this run only (SPEC §2). */
  readonly maxDeactivations?: number;
  /** Set when account discovery failed: the explicit accounts still ran, and the run reports failure. */
  readonly discoveryFailure?: string;
  /** The deployed schedule's time of day, for the run moments messages promise. @default the run's time */
  readonly runTime?: DailyRunTime;
  /** Build this week's digest whatever the day (a dry run's preview: `access-key-enforcer digest`). */
  readonly previewWeeklyDigest?: boolean;
}

/** What a run may be asked for: the invocation payload's fields (SPEC §6). */
export interface RunRequest {
  /** Overrides `config.dryRun` (SPEC §6). */
  readonly dryRun?: boolean;
  /** Act as if today were this UTC date (YYYY-MM-DD), at the current time of day. */
  readonly asOf?: string;
  /** Identifies this run in leases and logs. @default a random UUID */
  readonly runId?: string;
  /** Raises the circuit breaker's limit for this run only, after a human has reviewed the list. */
  readonly maxDeactivations?: number;
  /** The deployed schedule's time of day, for the run moments messages promise. @default this run's time */
  readonly runTime?: DailyRunTime;
  /** Build the weekly digest now, whatever the day or whether it was posted: dry runs only. */
  readonly previewWeeklyDigest?: boolean;
}

/** SPEC §6: a run that changes or sends anything acts at the real time; only a dry run may preview. */
export class AsOfWithoutDryRunError extends Error {
  override readonly name = 'AsOfWithoutDryRunError';
  constructor(asOf: string) {
    super(`asOf ${asOf} is only allowed in a dry run: a real run always acts at the real time`);
  }
}

/** A preview posts nothing: a real run posts the weekly digest on its day, once. */
export class PreviewWithoutDryRunError extends Error {
  override readonly name = 'PreviewWithoutDryRunError';
  constructor() {
    super('previewWeeklyDigest is only allowed in a dry run: a real run posts the weekly digest on its day');
  }
}

/** Fixes the run's identity and instant once, before any account is read. */
export function startRun(config: EnforcerConfig, clock: Clock, request: RunRequest): RunContext {
  const dryRun = request.dryRun ?? config.dryRun;
  if (request.asOf !== undefined && !dryRun) throw new AsOfWithoutDryRunError(request.asOf);
  if (request.previewWeeklyDigest && !dryRun) throw new PreviewWithoutDryRunError();
  const wallClock = clock.now();
  const now = request.asOf ? atTimeOfDay(request.asOf, wallClock) : wallClock;
  return {
    runId: request.runId ?? randomUUID(),
    now: now.toISOString(),
    wallClock: wallClock.toISOString(),
    dryRun,
    ...(request.asOf ? { asOf: request.asOf } : {}),
    ...(request.maxDeactivations !== undefined ? { maxDeactivations: request.maxDeactivations } : {}),
    ...(request.runTime ? { runTime: request.runTime } : {}),
    ...(request.previewWeeklyDigest ? { previewWeeklyDigest: true } : {}),
  };
}

/** An as-of date at the current time of day: how the engine, and so scan, read `--as-of`. */
export function atTimeOfDay(date: string, wallClock: Date): Date {
  const midnight = parseUtcDate(date).getTime();
  return new Date(midnight + (wallClock.getTime() % 86_400_000));
}

/** What every message of the run is rendered with (and, later, its messages in the outbox). */
export function messageContext(
  config: EnforcerConfig,
  run: Pick<RunContext, 'now' | 'runTime' | 'dryRun'>,
): MessageContext {
  const now = new Date(run.now);
  return {
    today: utcDate(now),
    runTimeUtc: run.now.slice(11, 16),
    ...(run.runTime ? { runTime: run.runTime } : {}),
    rotation: config.rotation,
    policy: config.policy,
    dryRun: run.dryRun,
    ...(interactivityEnabled(config.slack) ? { interactive: true } : {}),
  };
}

/** The circuit breaker's limit for this run (SPEC §2). */
export function deactivationLimit(config: EnforcerConfig, run: RunContext): number {
  return run.maxDeactivations ?? config.policy.maxDeactivationsPerRun;
}

/**
 * The run's accounts as the steps name them, in the order they are started: the ones whose full
 * sweep falls on the run's day first (`sweepsFirst`). The one-process run and the state machine's
 * list step both take them from here, so both start the long reads first.
 */
export function runAccounts(
  accounts: readonly { readonly id: string; readonly name?: string }[],
  config: Pick<EnforcerConfig, 'read'>,
  run: Pick<RunContext, 'wallClock'>,
): AccountRef[] {
  return sweepsFirst(
    accounts.map((a) => ({ id: a.id, name: a.name ?? a.id })),
    config.read,
    utcDate(new Date(run.wallClock)),
  );
}
