import { AwsIamGateway } from '../adapters/aws/iam-gateway';
import { partitionForRegion } from '../adapters/aws/partition';
import { type UserTagsReader } from '../ports';
import { type CommonDeps, commonDeps } from './default-deps';

/** The real-time handler's wiring: the daily handler's config, ledger, Slack and logger, plus tag reads. */
export interface RealtimeHandlerDeps extends CommonDeps {
  /** Reads one user's tags through the member role within the invocation's time. @default owner not named */
  readonly tagsFor?: (remainingTimeMs: () => number) => UserTagsReader;
}

export function realtimeDeps(env: NodeJS.ProcessEnv): RealtimeHandlerDeps {
  const common = commonDeps(env);
  const gateway = new AwsIamGateway({
    memberRoleName: common.config.memberRoleName,
    partition: partitionForRegion(env.AWS_REGION),
  });
  return { ...common, tagsFor: (remainingTimeMs) => gateway.forInvocation(remainingTimeMs) };
}
