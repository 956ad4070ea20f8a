/**
 * In-memory stand-ins for IAM, Slack and the clock, and generators of simulated orgs: used by the
 * demo (`npm start`), the engine's end-to-end tests and property tests. Deterministic from a seed.
 */
export { type DemoCastMember, type DemoEvent, type DemoOrg, type DemoWorld, demoOrg } from './demo-org';
export { type CreateAccessKeyOptions, IamWorld, type IamWorldOptions, type KeyLocation } from './iam-world';
export { InvalidClockDateError, ManualClock } from './manual-clock';
export { generateOrg, type GenerateOrgOptions } from './org-generator';
export { type SeededRandom, SeededRandomError, seededRandom } from './seeded-random';
export { type SimulatedDeactivation, SimulatedIam, type SimulatedIamCall } from './simulated-iam';
export { SimulatedIamError, type SimulatedIamErrorCode } from './simulated-iam-error';
export {
  addAgedKey,
  addDays,
  type CastMember,
  DAY_MS,
  isoDate,
  type SimulatedOrg,
  type SimulatedWorkspace,
  TAG,
  type UserCategory,
} from './simulated-org';
export {
  type SendFailure,
  type SimulatedSlackOptions,
  SimulatedSlack,
  type SlackAttempt,
  type SlackDelivery,
  type SlackRecipient,
  slackFailure,
} from './simulated-slack';
export { SLACK_LIMITS, slackRejection } from './slack-limits';
