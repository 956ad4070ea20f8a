import { Aws, CfnRule, Fn } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { IAM_EVENTS_REGION } from '../config/deploy-config';
import { CREATE_ACCESS_KEY_PATTERN } from './realtime-alerts';

/** Props of {@link MemberEventForwarder}. */
export interface MemberEventForwarderProps {
  /** ARN of the hub's `access-key-enforcer-events` bus (see `realtimeEventBusArn`). */
  readonly hubEventBusArn: string;
}

/**
 * The member side of real-time new-key alerts (SPEC §4): a rule on the account's default event
 * bus that sends IAM's `CreateAccessKey` events to the hub's bus. IAM is global and its CloudTrail
 * events reach EventBridge in us-east-1 only, so the stack holding this must be deployed there; a
 * template rule refuses any other region before anything is created.
 */
export class MemberEventForwarder extends Construct {
  readonly rule: Rule;
  /** Assumed by EventBridge; it may put events on the hub's bus and do nothing else. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MemberEventForwarderProps) {
    super(scope, id);

    new CfnRule(this, 'OnlyInUsEast1', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, IAM_EVENTS_REGION),
          assertDescription:
            `With realtimeAlerts enabled this stack must be deployed in ${IAM_EVENTS_REGION}, where IAM's ` +
            `CloudTrail events reach EventBridge (cdk deploy does so; otherwise pass --region ${IAM_EVENTS_REGION}).`,
        },
      ],
    });

    // Only this account's rules may use the role: the confused-deputy guard for a service role.
    this.role = new Role(this, 'Role', {
      description: 'EventBridge: forwards CreateAccessKey events to the access-key-enforcer hub bus.',
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });

    const hubBus = EventBus.fromEventBusArn(this, 'HubEventBus', props.hubEventBusArn);
    this.rule = new Rule(this, 'CreateAccessKeyRule', {
      description: 'Forwards CreateAccessKey events to the access-key-enforcer hub',
      eventPattern: CREATE_ACCESS_KEY_PATTERN,
      // The target adds `events:PutEvents` on the hub bus ARN to the role, and nothing else.
      targets: [new EventBusTarget(hubBus, { role: this.role })],
    });
  }
}
