import { type RunDocument } from './run-store';

/**
 * The only `Date` fields in a run's documents (and in outbox messages, whose decisions carry keys): a key's `AccessKeyInfo` (lambda/domain/model.ts)
 * and the credential report's (lambda/domain/inventory-read.ts), which rule reads carry.
 */
const DATE_FIELDS = new Set([
  'createDate',
  'lastUsedDate',
  'reportGeneratedAt',
  'lastRotated',
  'lastUsed',
  'passwordLastChanged',
]);

/** A run document as stored text; dates become ISO strings. */
export function encodeRunDocument(document: RunDocument): string {
  return JSON.stringify(document);
}

/** Reads back {@link encodeRunDocument}'s text with its dates restored. */
export function decodeRunDocument(text: string): RunDocument {
  return parseWithDates(text) as RunDocument;
}

/** JSON of the engine's documents (run documents, outbox messages) with their `Date` fields restored. */
export function parseWithDates(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) =>
    DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value,
  );
}

/** For a {@link MemoryRunStore} that holds documents as their stored text, as S3 does. */
export const STORED_FORM = {
  encode: (document: RunDocument): unknown => encodeRunDocument(document),
  decode: (stored: unknown): RunDocument => decodeRunDocument(String(stored)),
} as const;
