import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

import { type SlackTokenSecretConfig } from '../config/deploy-config';

/** Props of {@link SlackSigningSecret}. */
export interface SlackSigningSecretProps {
  /** Create a secret, or import an existing one by its complete ARN. */
  readonly source: SlackTokenSecretConfig;
}

/**
 * The Secrets Manager secret holding the Slack app's signing secret (issue 11 item 3), with which
 * the interactivity endpoint verifies every request. Like the bot token it is never part of the
 * template: a created secret starts with a random placeholder, which the endpoint refuses (every
 * request gets 500) until the real value is put in with `aws secretsmanager put-secret-value`.
 */
export class SlackSigningSecret extends Construct {
  readonly secret: ISecret;
  /** Whether this stack created the secret (and so owns its lifecycle). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: SlackSigningSecretProps) {
    super(scope, id);

    if ('arn' in props.source) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Imported', props.source.arn);
      this.created = false;
      return;
    }

    const secret = new Secret(this, 'Secret', {
      description:
        'Signing secret of the access-key-enforcer Slack app (Basic Information, App Credentials). Set it with: ' +
        'aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string "$SLACK_SIGNING_SECRET"',
      // A random placeholder is not 32 hexadecimal characters, so it is never taken for a secret.
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A Slack signing secret is regenerated in Slack, not by a Secrets Manager rotation Lambda.',
    });
    this.secret = secret;
    this.created = true;
  }
}
