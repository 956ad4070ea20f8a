import { type EnforcerConfig } from '../../config/schema';
import { type Clock } from '../../ports';
import { countingPorts, type EnginePorts } from '../counting-ports';
import { type PortCalls } from '../run-report';
import { type SecurityHubImporter } from '../security-hub-export';
import { type RunStore, type SlackTrouble } from './run-store';

/** What a step runs with: the one-process run passes the same value to every step. */
export interface StepEnv {
  readonly config: EnforcerConfig;
  readonly ports: EnginePorts;
  readonly clock: Clock;
  readonly store: RunStore;
  /** Time left before the caller must stop (the Lambda's remaining time). */
  readonly remainingTimeMs?: () => number;
  /** Security Hub, when `securityHub.enabled` (issue 10); used by the report step. */
  readonly securityHub?: SecurityHubImporter;
}

/** Each step counts its own calls; the report step adds them up (SPEC §5 summary). */
export function countedPorts(env: StepEnv): { readonly ports: EnginePorts; readonly calls: PortCalls } {
  const calls: PortCalls = {};
  return { ports: countingPorts(env.ports, calls), calls };
}

/**
 * Collects a step's Slack failures the way the run reports them: failures of key actions are
 * reported per action (naming the key); a broken setup once; and failures of run-level posts
 * (breaker, digest, baseline summary) under the post's name.
 */
export class SlackTroubleLog {
  private configurationError: string | undefined;
  private readonly errors: string[] = [];

  readonly onFailure = (failure: { reason: string; code: string; message: string }, post?: string): void => {
    if (failure.reason === 'misconfigured')
      this.configurationError ??= `Slack configuration: ${failure.code}: ${failure.message}`;
    else if (post) this.errors.push(`Slack ${failure.reason} posting the ${post}: ${failure.code}`);
  };

  get trouble(): SlackTrouble {
    return {
      ...(this.configurationError ? { configurationError: this.configurationError } : {}),
      errors: [...this.errors],
    };
  }
}
