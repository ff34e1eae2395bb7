import { z } from 'zod';
import raw from './service-catalogue.json' with { type: 'json' };

/**
 * The service catalogue: every Service the contract knows (central-api.yaml 1.1: 24), each with its
 * medium, its name in Bahasa Indonesia and English as the office writes it, the line the confirm
 * screen shows, the title printed on its document, and what the info screen tells the applicant. The
 * facts live in `service-catalogue.json`, spelt once; the flow, the UI, the simulator and the tests
 * read them from here. A service not in the catalogue (the list grows) gets `UNKNOWN_SERVICE`: it is
 * printed by its documents' media and named "Dokumen kependudukan".
 */
const bilingual = z.strictObject({ id: z.string().min(1), en: z.string().min(1) });
const bilingualList = z
  .strictObject({ id: z.array(z.string().min(1)).min(1), en: z.array(z.string().min(1)).min(1) })
  .refine((l) => l.id.length === l.en.length, { message: 'id and en must have the same number of items' });
const info = z.strictObject({ requirements: bilingualList, time: bilingual, cost: bilingual });
const entry = z.strictObject({
  service: z.string().regex(/^[A-Z0-9_]{1,40}$/),
  medium: z.enum(['CARD', 'A4']),
  name: bilingual,
  confirm: bilingual,
  /** The title on the printed A4 document (as the office prints it); none for a card. */
  printedTitle: z.string().min(1).optional(),
  info,
});
const catalogueSchema = z.strictObject({
  services: z.array(entry).min(1),
  unknown: z.strictObject({ name: bilingual, confirm: bilingual, printedTitle: z.string().min(1), info }),
});

/** One known service of the catalogue. */
export type ServiceEntry = z.infer<typeof entry>;
/** What the kiosk shows for a service it does not know; its medium is its documents'. */
export type UnknownServiceEntry = z.infer<typeof catalogueSchema>['unknown'];

/** Parses a catalogue; throws with every problem, one a line (a broken data file is a bug). */
export function parseCatalogue(value: unknown): z.infer<typeof catalogueSchema> {
  const r = catalogueSchema.safeParse(value);
  if (!r.success)
    throw new Error(
      `service-catalogue.json:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  const seen = new Set<string>();
  for (const s of r.data.services) {
    if (seen.has(s.service)) throw new Error(`service-catalogue.json: ${s.service} is listed twice`);
    seen.add(s.service);
  }
  return r.data;
}

const catalogue = parseCatalogue(raw);

/** Every known service, in the catalogue's (and the contract's) order. */
export const SERVICE_CATALOGUE: readonly ServiceEntry[] = catalogue.services;

/** The fallback for a service the kiosk does not know. */
export const UNKNOWN_SERVICE: UnknownServiceEntry = catalogue.unknown;

const byService = new Map(SERVICE_CATALOGUE.map((s) => [s.service, s]));

/** The catalogue's entry for a service, or undefined for one the kiosk does not know. */
export function knownServiceEntry(service: string): ServiceEntry | undefined {
  return byService.get(service);
}

/**
 * The names, confirm line, title and info to show for any service: its own entry, or the fallback
 * ("Dokumen kependudukan" / "Civil-registry document") for one the kiosk does not know.
 */
export function serviceEntry(service: string): ServiceEntry | (UnknownServiceEntry & { service: string }) {
  return byService.get(service) ?? { ...UNKNOWN_SERVICE, service };
}
