import { setTimeout as delay } from 'node:timers/promises';

import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

import { AwsIamGateway, type AwsIamGatewayOptions } from '../../../lambda/adapters/aws/iam-gateway';
import { type IamStandIn } from '../../support/iam-stand-in';

export const REGION = 'us-east-1';
export const HUB_CREDENTIALS = { accessKeyId: 'AKIAHUBSTANDIN000000', secretAccessKey: 'hub-secret' };

/** The real gateway and the real SDK, pointed at the stand-in; sleeps run `scale` times faster. */
export function gatewayFor(
  server: IamStandIn,
  scale = 1,
  extra: Partial<AwsIamGatewayOptions> = {},
): AwsIamGateway {
  const { endpoint } = server;
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: new STSClient({ endpoint, region: REGION, credentials: HUB_CREDENTIALS, maxAttempts: 1 }),
    iamClientFactory: (credentials, region) =>
      new IAMClient({ endpoint, region, credentials, maxAttempts: 1 }),
    sleep: (ms) => delay(ms / scale),
    ...extra,
  });
}

/** A budget of `ms` of simulated time that runs `scale` times faster than the wall clock. */
export function budget(ms: number, scale: number): { remainingTimeMs: () => number; elapsed: () => number } {
  const startedAt = performance.now();
  const elapsed = (): number => (performance.now() - startedAt) * scale;
  return { remainingTimeMs: () => ms - elapsed(), elapsed };
}

export function total(row: Record<string, number> | undefined): number {
  return Object.values(row ?? {}).reduce((a, b) => a + b, 0);
}
