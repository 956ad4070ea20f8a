import { type Construct } from 'constructs';

import { type SlackTokenSecretConfig } from '../config/deploy-config';
import { SlackSecret } from './slack-secret';

/** Props of {@link SlackTokenSecret}. */
export interface SlackTokenSecretProps {
  /** Create a secret, or import an existing one by its complete ARN. */
  readonly source: SlackTokenSecretConfig;
}

/**
 * The Secrets Manager secret holding the Slack bot token (SPEC §7). Until the token is put in,
 * the Lambdas fail with Slack's `invalid_auth`.
 */
export class SlackTokenSecret extends SlackSecret {
  constructor(scope: Construct, id: string, props: SlackTokenSecretProps) {
    super(scope, id, {
      source: props.source,
      description:
        'Slack bot token for access-key-enforcer. Set it with: aws secretsmanager ' +
        'put-secret-value --secret-id <this ARN> --secret-string "$SLACK_BOT_TOKEN"',
      rotatedInSlack: 'A Slack bot token is rotated in Slack, not by a Secrets Manager rotation Lambda.',
    });
  }
}
