import { z } from 'zod';
import type { Intent } from '../view.ts';

/**
 * The Intents a UI may send, as a schema: both hosts check every message against it and drop anything
 * else, so a compromised or buggy page can only do what the applicant's buttons do.
 */
const intentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('scan'), text: z.string().max(4096) }),
  z.strictObject({ type: z.literal('manual-entry') }),
  z.strictObject({ type: z.literal('application-no'), applicationNo: z.string().max(64) }),
  z.strictObject({ type: z.literal('pin'), pin: z.string().max(16) }),
  z.strictObject({ type: z.literal('confirm') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('retry') }),
  z.strictObject({ type: z.literal('home') }),
  z.strictObject({ type: z.literal('info') }),
  z.strictObject({ type: z.literal('language'), locale: z.enum(['id', 'en']) }),
  z.strictObject({
    type: z.literal('rating'),
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }),
  z.strictObject({ type: z.literal('skip') }),
  z.strictObject({ type: z.literal('touch') }),
  z.strictObject({
    type: z.literal('maintenance'),
    action: z.string().min(1).max(64),
    args: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/** The intent, or undefined when the message is not one. */
export function parseIntent(raw: unknown): Intent | undefined {
  const r = intentSchema.safeParse(raw);
  return r.success ? (r.data as Intent) : undefined;
}
