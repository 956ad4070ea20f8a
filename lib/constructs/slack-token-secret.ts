import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

import { type SlackTokenSecretConfig } from '../config/deploy-config';

/** Props of {@link SlackTokenSecret}. */
export interface SlackTokenSecretProps {
  /** Create a secret, or import an existing one by its complete ARN. */
  readonly source: SlackTokenSecretConfig;
}

/**
 * The Secrets Manager secret holding the Slack bot token (SPEC §7). The token is never part of
 * the template: a created secret starts with a random placeholder and the operator puts the token
 * in with `aws secretsmanager put-secret-value` after the first deploy.
 */
export class SlackTokenSecret extends Construct {
  readonly secret: ISecret;
  /** Whether this stack created the secret (and so owns its lifecycle). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: SlackTokenSecretProps) {
    super(scope, id);

    if ('arn' in props.source) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Imported', props.source.arn);
      this.created = false;
      return;
    }

    const secret = new Secret(this, 'Secret', {
      description:
        'Slack bot token for access-key-enforcer. Set it with: aws secretsmanager ' +
        'put-secret-value --secret-id <this ARN> --secret-string "$SLACK_BOT_TOKEN"',
      // CloudFormation requires an initial value; a random string is not a token, so the Lambda
      // fails with Slack's invalid_auth until the real one is put in. Nothing to leak.
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      // Delete with the stack (after Secrets Manager's recovery window); revoke the token in Slack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Slack bot token is rotated in Slack, not by a Secrets Manager rotation Lambda.',
    });
    this.secret = secret;
    this.created = true;
  }
}
