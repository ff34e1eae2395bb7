import { z } from 'zod';
import { APPLICATION_STATUSES, SERVICES } from './contract.ts';

/**
 * The response bodies of central-api.yaml as schemas. Every answer is checked against its schema before
 * the flow sees it: a wrong shape is a `malformed` failure, never a crash further down. Objects are not
 * strict here (the API may add fields), but every field the kiosk reads is.
 */
const dateTime = z.iso.datetime({ offset: true });

export const serviceSchema = z.enum(SERVICES);
export const applicationStatusSchema = z.enum(APPLICATION_STATUSES);

export const documentSchema = z
  .object({
    documentId: z.string().min(1).max(200),
    medium: z.enum(['CARD', 'A4']),
    template: z.enum(['KTP_EL', 'KIA']).optional(),
    pages: z.number().int().min(1).max(500).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine((d) => d.medium !== 'A4' || d.pages !== undefined, {
    message: 'pages is required for A4',
    path: ['pages'],
  })
  .refine((d) => d.medium !== 'CARD' || d.template !== undefined, {
    message: 'template is required for CARD',
    path: ['template'],
  });

export const applicationSchema = z.object({
  applicationNo: z.string().min(1),
  service: serviceSchema,
  status: applicationStatusSchema,
  stage: z.string().optional(),
  regionCode: z.string().regex(/^[0-9]{4}$/),
  selfPrint: z.boolean(),
  pinRequired: z.boolean(),
  subject: z.object({ nik: z.string().regex(/^[0-9]{16}$/), name: z.string().min(1).max(200) }),
  documents: z.array(documentSchema).min(1).max(20),
  updatedAt: dateTime,
});

export const errorSchema = z.object({ code: z.string().min(1), message: z.string() });
export const pinWrongSchema = errorSchema.extend({ attemptsLeft: z.number().int().min(0) });
export const pinProofSchema = z.object({ pinProof: z.string().min(1), expiresAt: dateTime });
export const claimSchema = z.object({
  claimId: z.string().min(1).max(200),
  applicationNo: z.string().min(1),
  leaseExpiresAt: dateTime,
});
export const completeAnswerSchema = z.object({ applicationNo: z.string(), status: z.literal('PRINTED') });
export const releaseAnswerSchema = z.object({ applicationNo: z.string(), status: applicationStatusSchema });

const image = z.object({ contentType: z.enum(['image/jpeg', 'image/png']), data: z.base64() });
export const cardDocumentSchema = z.object({
  template: z.enum(['KTP_EL', 'KIA']),
  fields: z.record(z.string(), z.string().max(500)),
  photo: image.nullable(),
  signature: z.object({ contentType: z.literal('image/png'), data: z.base64() }).nullable(),
});

export type Application = z.infer<typeof applicationSchema>;
export type ApplicationDocument = z.infer<typeof documentSchema>;
export type Claim = z.infer<typeof claimSchema>;
export type PinProof = z.infer<typeof pinProofSchema>;
export type CardDocumentBody = z.infer<typeof cardDocumentSchema>;
export type ApiError = z.infer<typeof errorSchema>;
