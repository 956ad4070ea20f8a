import { join } from 'node:path';

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { lambdaCode } from '../bundling/lambda-code';
import { configFiles } from './bundled-config';

/** Repository root, where `lambda/` lives. */
const PROJECT_ROOT = join(__dirname, '..', '..');

/** Props of {@link EnforcerFunction}. */
export interface EnforcerFunctionProps {
  /** Fixed role name: member roles trust the hub's enforcer role by name. */
  readonly roleName: string;
  /** The engine config as JSON, bundled as a file into the asset (see {@link configFiles}). */
  readonly configJson: string;
  /** Environment variables besides `NODE_OPTIONS`. Never a secret value: only where to find it. */
  readonly environment: Readonly<Record<string, string>>;
  /** One of the CloudWatch Logs retention periods. */
  readonly logRetentionDays: number;
  /** Handler entry file. @default `lambda/handler.ts` */
  readonly entry?: string;
}

/**
 * The enforcer Lambda with the project's Lambda defaults: Node.js 24 on arm64, one run at a time,
 * 15 minutes, an explicit log group with retention, and its own role with no managed policies.
 */
export class EnforcerFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EnforcerFunctionProps) {
    super(scope, id);

    // Retained: the log is the audit trail of every key the enforcer deactivated.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'access-key-enforcer Lambda: assumes the member roles, reads its ledger and Slack token.',
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    // Instead of AWSLambdaBasicExecutionRole, which may write to any log group in the account.
    this.logGroup.grantWrite(this.role);

    this.function = new LambdaFunction(this, 'Function', {
      description: 'access-key-enforcer: reminds owners of old IAM access keys and deactivates them',
      code: lambdaCode(
        props.entry ?? join(PROJECT_ROOT, 'lambda', 'handler.ts'),
        configFiles(this, props.configJson),
      ),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.minutes(15),
      // Two overlapping runs would race for the same keys; the ledger's leases are the backstop.
      reservedConcurrentExecutions: 1,
      // A failed run is not retried by Lambda: the next scheduled run catches up (SPEC §2, never
      // miss), and an immediate retry of a 15-minute run failing for a lasting reason (an account
      // that cannot be assumed) would only double the IAM and Slack traffic.
      retryAttempts: 0,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
  }
}
