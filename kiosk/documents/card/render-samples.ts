import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCard } from './render-card.ts';
import { sampleKia, sampleKtpEl } from './sample-documents.ts';

/** Writes the sample KTP-el and KIA previews shown in the README: `tsx kiosk/documents/card/render-samples.ts`. */
const out = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
mkdirSync(out, { recursive: true });
const samples = [
  ['card-ktp-el.png', sampleKtpEl()],
  ['card-kia.png', sampleKia()],
  ['card-kia-under-5.png', sampleKia(true)],
] as const;
for (const [name, doc] of samples) {
  const card = await renderCard(doc);
  writeFileSync(`${out}${name}`, card.previewPng);
  process.stdout.write(`${out}${name}\n`);
}
