import { type Construct } from 'constructs';

import { type SlackTokenSecretConfig } from '../config/deploy-config';
import { SlackSecret } from './slack-secret';

/** Props of {@link SlackSigningSecret}. */
export interface SlackSigningSecretProps {
  /** Create a secret, or import an existing one by its complete ARN. */
  readonly source: SlackTokenSecretConfig;
}

/**
 * The Secrets Manager secret holding the Slack app's signing secret (issue 11 item 3), with which
 * the interactivity endpoint verifies every request. Until the real value is put in, the
 * placeholder (not 32 hexadecimal characters) is refused and every request gets 500.
 */
export class SlackSigningSecret extends SlackSecret {
  constructor(scope: Construct, id: string, props: SlackSigningSecretProps) {
    super(scope, id, {
      source: props.source,
      description:
        'Signing secret of the access-key-enforcer Slack app (Basic Information, App Credentials). Set it with: ' +
        'aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string "$SLACK_SIGNING_SECRET"',
      rotatedInSlack:
        'A Slack signing secret is regenerated in Slack, not by a Secrets Manager rotation Lambda.',
    });
  }
}
