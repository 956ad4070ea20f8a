import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

import { type SlackTokenSecretConfig } from '../config/deploy-config';

/** What differs between the Slack app's secrets: what the secret holds, and how it is replaced. */
export interface SlackSecretProps {
  /** Create a secret, or import an existing one by its complete ARN. */
  readonly source: SlackTokenSecretConfig;
  /** The secret's description, with the command that puts the real value in. */
  readonly description: string;
  /** Why no Secrets Manager rotation (cdk-nag AwsSolutions-SMG4): the value is replaced in Slack. */
  readonly rotatedInSlack: string;
}

/**
 * A secret of the Slack app, never part of the template: a created secret starts with a random
 * placeholder (32 alphanumerics are neither a token nor a signing secret, so it is never taken for
 * one, and there is nothing to leak), and the operator puts the real value in with
 * `aws secretsmanager put-secret-value` after the first deploy. It is deleted with the stack
 * (after Secrets Manager's recovery window); the value itself is revoked in Slack.
 */
export class SlackSecret extends Construct {
  readonly secret: ISecret;
  /** Whether this stack created the secret (and so owns its lifecycle). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: SlackSecretProps) {
    super(scope, id);

    if ('arn' in props.source) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Imported', props.source.arn);
      this.created = false;
      return;
    }

    const secret = new Secret(this, 'Secret', {
      description: props.description,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.rotatedInSlack });
    this.secret = secret;
    this.created = true;
  }
}
