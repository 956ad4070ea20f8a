import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { setTimeout as delay } from 'node:timers/promises';

import { SqsOutboxQueue } from '../adapters/aws/sqs-outbox';
import { ChannelPacer } from '../adapters/slack/channel-pacer';
import { ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../config/environment';
import { type OutboxSenderDeps } from '../outbox/outbox-sender-handler';
import { OUTBOX_SENDER } from '../outbox/sender-settings';
import { commonDeps, required } from './default-deps';

/** The deployed sender's wiring: the daily function's config, ledger and token; its own queue client. */
export function outboxSenderDeps(env: NodeJS.ProcessEnv): OutboxSenderDeps {
  const pacer = new ChannelPacer({
    minIntervalMs: OUTBOX_SENDER.channelIntervalMs,
    now: Date.now,
    sleep: (ms) => delay(ms),
  });
  const common = commonDeps(env, { pacer });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  return {
    ...common,
    visibility: new SqsOutboxQueue({ queueUrl: required(env, ENV.outboxQueueUrl) }),
    metrics: {
      addMetric: (name, _unit, value) => metrics.addMetric(name, MetricUnit.Count, value),
      publishStoredMetrics: () => metrics.publishStoredMetrics(),
    },
  };
}
