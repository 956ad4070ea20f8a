/** A loopback IAM/STS stand-in for adapter tests and the bench: see `startIamStandIn`. */
export { type IamStandIn, type IamStandInOptions, type IamStandInStats, startIamStandIn } from './server';
export {
  type GenerateOrgOptions,
  type StandInAccount,
  type StandInOrg,
  type StandInUser,
  generateOrg,
  tagAsEngineers,
} from './org';
export { sessionAccessKeyId } from './actions';
export {
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportFault,
  type CredentialReportOptions,
} from './credential-report';
