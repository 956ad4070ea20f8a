import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import { type Construct } from 'constructs';

/**
 * An alarm that fires on one occurrence in a single period (a function error, a dead letter, a
 * stale message) and clears when a period has none; no data is "nothing happened". With a topic,
 * it is told on ALARM and on OK.
 */
export function atLeastOneAlarm(
  scope: Construct,
  id: string,
  props: { readonly description: string; readonly metric: IMetric; readonly topic?: ITopic },
): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (props.topic) {
    const action = new SnsAction(props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return alarm;
}

/** A function's errors, summed over five minutes. */
export function functionErrors(fn: IFunction): IMetric {
  return fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM });
}
