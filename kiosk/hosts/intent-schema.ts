import { z } from 'zod';
import type { Intent } from '../view.ts';

/** Longest text a scanner or keyboard can send; a QR print code is far shorter. */
const MAX_TEXT = 4096;

const intentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('scan'), text: z.string().min(1).max(MAX_TEXT) }),
  z.strictObject({ type: z.literal('manual-entry') }),
  z.strictObject({ type: z.literal('nik-login') }),
  z.strictObject({ type: z.literal('nik'), nik: z.string().regex(/^[0-9]{16}$/) }),
  z.strictObject({ type: z.literal('choose'), applicationNo: z.string().regex(/^[A-Z0-9][A-Z0-9-]{5,39}$/) }),
  z.strictObject({ type: z.literal('application-no'), applicationNo: z.string().regex(/^[0-9A-Z-]{1,32}$/) }),
  z.strictObject({ type: z.literal('pin'), pin: z.string().regex(/^[0-9]{6}$/) }),
  z.strictObject({ type: z.literal('confirm') }),
  z.strictObject({ type: z.literal('cancel') }),
  z.strictObject({ type: z.literal('retry') }),
  z.strictObject({ type: z.literal('home') }),
  z.strictObject({ type: z.literal('info') }),
  z.strictObject({ type: z.literal('language'), locale: z.enum(['id', 'en']) }),
  z.strictObject({ type: z.literal('audio') }),
  z.strictObject({ type: z.literal('text-size') }),
  z.strictObject({ type: z.literal('call-staff') }),
  z.strictObject({
    type: z.literal('rating'),
    rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }),
  z.strictObject({ type: z.literal('skip') }),
  z.strictObject({ type: z.literal('touch') }),
  z.strictObject({
    type: z.literal('camera'),
    available: z.boolean(),
    detail: z.string().max(200).optional(),
  }),
  z.strictObject({
    type: z.literal('maintenance'),
    action: z.string().min(1).max(64),
    args: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/**
 * An intent from the UI (Electron renderer or browser page), or undefined when it is malformed. The renderer is not trusted: a
 * compromised page must not be able to hand the core anything an honest UI could not.
 */
export function parseIntent(raw: unknown): Intent | undefined {
  const parsed = intentSchema.safeParse(raw);
  return parsed.success ? (parsed.data as Intent) : undefined;
}
