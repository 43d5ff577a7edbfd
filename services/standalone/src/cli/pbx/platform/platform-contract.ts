import { z } from 'zod';
import { API_VERSION, isRecord, type PbxDocument } from '../manifest/pbx-document';

// The operator API's answers, checked at the boundary: a TypeScript type is not validation.
// Objects strip fields they do not name, so that a newer platform's additions do no harm.

const changeSchema = z.object({
  op: z.enum(['add', 'remove', 'change']),
  path: z.string(),
  summary: z.string(),
});

const applyResultSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  action: z.enum(['created', 'updated', 'unchanged']),
  changes: z.array(changeSchema).default([]),
});

export const applyResponseSchema = z.object({
  dryRun: z.boolean(),
  changed: z.boolean(),
  results: z.array(applyResultSchema),
});

export type ApplyResponse = z.infer<typeof applyResponseSchema>;
export type ApplyResult = z.infer<typeof applyResultSchema>;
export type ApplyChange = z.infer<typeof changeSchema>;

const problemSchema = z.object({
  document: z.number().int().nonnegative().optional(),
  path: z.string().default(''),
  message: z.string(),
});

export type PlatformProblem = z.infer<typeof problemSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    problems: z.array(problemSchema).optional(),
  }),
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

export const listResponseSchema = z.object({ items: z.array(z.unknown()) });

export const deleteResponseSchema = z.object({
  kind: z.string(),
  name: z.string(),
  action: z.literal('deleted'),
});

/**
 * Whether a value the platform returned is a document. Checked by hand, not parsed by zod, because
 * the value itself is printed and must keep the platform's key order.
 */
export function isPbxDocument(value: unknown): value is PbxDocument {
  return (
    isRecord(value) &&
    value.apiVersion === API_VERSION &&
    typeof value.kind === 'string' &&
    value.kind !== '' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string' &&
    isRecord(value.spec)
  );
}
