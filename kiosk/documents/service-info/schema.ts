import { z } from 'zod';
import { SERVICES } from '../../central-api/contract.ts';

/**
 * One service-information file (`config/service-info/*.json`): a service standard (standar pelayanan)
 * as the office publishes it, in Bahasa Indonesia and English. Offices edit these files, not the code;
 * `npm run build` checks them against this schema and puts them into the UI.
 */
const bilingualText = z.strictObject({ id: z.string().min(1), en: z.string().min(1) });
const bilingualList = z.strictObject({
  id: z.array(z.string().min(1)).min(1),
  en: z.array(z.string().min(1)).min(1),
});

export const serviceInfoSchema = z
  .strictObject({
    /** Short stable name, also the file name: `ktp-el` for `ktp-el.json`. */
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** Position in the list on the `info` screen, smallest first. */
    order: z.number().int(),
    /** The View `Service` values this information is about (empty for a service that prints nothing). */
    services: z.array(z.enum(SERVICES)),
    title: bilingualText,
    requirements: bilingualList,
    procedure: bilingualList,
    completionTime: bilingualText,
    cost: bilingualText,
    product: bilingualText,
    complaints: bilingualList,
    /** Where the text comes from (the service standard, SOP or business process document). */
    source: z.string().min(1),
  })
  .refine((entry) => entry.requirements.id.length === entry.requirements.en.length, {
    message: 'requirements: id and en must have the same number of items',
    path: ['requirements'],
  })
  .refine((entry) => entry.procedure.id.length === entry.procedure.en.length, {
    message: 'procedure: id and en must have the same number of items',
    path: ['procedure'],
  })
  .refine((entry) => entry.complaints.id.length === entry.complaints.en.length, {
    message: 'complaints: id and en must have the same number of items',
    path: ['complaints'],
  });

/** A validated service-information entry. */
export type ServiceInfo = z.infer<typeof serviceInfoSchema>;
