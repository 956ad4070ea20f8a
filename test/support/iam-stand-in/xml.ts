/** The few pieces of the AWS query protocol's XML answers the stand-in needs. */

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name>value</name>` with the value escaped. */
export function el(name: string, value: string | number | boolean): string {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A list as the query protocol writes it: `<name><member>…</member>…</name>`. */
export function members(name: string, items: readonly string[]): string {
  return `<${name}>${items.map((item) => `<member>${item}</member>`).join('')}</${name}>`;
}

/** `<XxxResponse><XxxResult>…</XxxResult><ResponseMetadata>…</ResponseMetadata></XxxResponse>`. */
export function okResponse(action: string, namespace: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`
  );
}

/** An error exactly as IAM and STS answer one, e.g. `Sender` / `Throttling` / `Rate exceeded`. */
export function errorResponse(
  type: 'Sender' | 'Receiver',
  code: string,
  message: string,
  requestId: string,
): string {
  return (
    `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error>${el('Type', type)}${el('Code', code)}` +
    `${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`
  );
}
