import { type Template } from 'aws-cdk-lib/assertions';

/** One IAM policy statement as it appears in a template. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, unknown>;
}

interface PolicyDocument {
  readonly Statement: Statement[];
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * Every permission statement in a template: inline role policies, `AWS::IAM::Policy` and
 * managed policies. Trust policies are left out: they grant no actions to the role.
 */
export function permissionStatements(template: Template): Statement[] {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return Object.values(resources).flatMap((resource) => {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        return ((props.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).flatMap(
          (policy) => policy.PolicyDocument.Statement,
        );
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return (props.PolicyDocument as PolicyDocument).Statement;
      default:
        return [];
    }
  });
}

/** The actions of some statements, flattened. */
export function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
}

/** Logical ids of the resources of one type. */
export function logicalIdsOf(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

/** A template resource, typed loosely enough to read and strictly enough to need no `any`. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

/** Resources of one type (optionally matching `props`, as `Template.findResources`), by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
  props?: object,
): Record<string, TemplateResource> {
  return template.findResources(type, props) as Record<string, TemplateResource>;
}

/** The properties of one resource. */
export function propertiesOf<T = Record<string, unknown>>(template: Template, logicalId: string): T {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const resource = resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  return resource.Properties as T;
}

/** `Template.hasResourceProperties`, named so that jest/expect-expect sees an assertion. */
export function expectResourceProperties(template: Template, type: string, props: object): void {
  template.hasResourceProperties(type, props);
}

/** `Template.hasResource` (properties plus policies such as `DeletionPolicy`), for jest/expect-expect. */
export function expectResource(template: Template, type: string, props: object): void {
  template.hasResource(type, props);
}

/** `Template.resourceCountIs`, for jest/expect-expect. */
export function expectResourceCount(template: Template, type: string, count: number): void {
  template.resourceCountIs(type, count);
}
