import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  Stats,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/config/environment';
import { atLeastOneAlarm, functionErrors } from './at-least-one-alarm';

/** The single dimension the handler's metrics carry (Powertools `service`). */
export const METRICS_SERVICE_DIMENSION = { service: SERVICE_NAME } as const;

/** Props of {@link EnforcerAlarms}. */
export interface EnforcerAlarmsProps {
  /** The enforcer Lambda. */
  readonly function: IFunction;
  /** Hours without a successful run before the "missed run" alarm fires (2..168). */
  readonly missedRunAlarmHours: number;
  /** Subscribed to the alarm topic when given. @default no subscription */
  readonly alarmEmail?: string;
}

/**
 * What an operator must hear about (SPEC §5): the Lambda failing, an account the run could not
 * process, and the absence of any successful run. All three notify one SNS topic, on alarm and
 * on recovery.
 */
export class EnforcerAlarms extends Construct {
  readonly topic: Topic;
  readonly functionErrors: Alarm;
  readonly accountsFailed: Alarm;
  readonly missedRun: Alarm;

  constructor(scope: Construct, id: string, props: EnforcerAlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', { displayName: 'Access Key Enforcer alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    this.functionErrors = atLeastOneAlarm(this, 'FunctionErrors', {
      description: 'The access-key-enforcer Lambda failed (see its log group).',
      metric: functionErrors(props.function),
    });

    this.accountsFailed = atLeastOneAlarm(this, 'AccountsFailed', {
      description: 'A run could not assume the member role in, or read, at least one account.',
      metric: runMetric(METRIC.accountsFailed, Duration.hours(1)),
    });

    // A run emits SuccessfulRuns once. With one-hour periods, N of the last N breaching, and
    // missing data counted as breaching, the alarm fires exactly when none of the last N hours
    // holds a success. CloudWatch limits period x evaluation periods to 7 days for periods of an
    // hour or more (1 day below that), so 26 hourly periods are valid and the schema caps N at 168.
    // A fresh stack starts in ALARM until its first successful run (the README deploy guide says so).
    this.missedRun = new Alarm(this, 'MissedRun', {
      alarmDescription: `No successful access-key-enforcer run in ${props.missedRunAlarmHours} hours.`,
      metric: runMetric(METRIC.successfulRuns, Duration.hours(1)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: props.missedRunAlarmHours,
      datapointsToAlarm: props.missedRunAlarmHours,
      treatMissingData: TreatMissingData.BREACHING,
    });

    const action: IAlarmAction = new SnsAction(this.topic);
    for (const alarm of [this.functionErrors, this.accountsFailed, this.missedRun]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}

function runMetric(metricName: string, period: Duration): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ...METRICS_SERVICE_DIMENSION },
    statistic: Stats.SUM,
    period,
  });
}
