// `npm run contract:sync`: refreshes the project's copy of the contract (contract/) from ../shared/contract/,
// the shared folder beside the project where the contract is kept. Without that folder (a plain clone)
// it says so and changes nothing: the copy in the repository is what the kiosk and the tests read.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, '..', 'shared', 'contract');
const target = join(root, 'contract');

if (!existsSync(source)) {
  process.stdout.write(`contract:sync: no ${source}; the project's copy stays as it is\n`);
  process.exit(0);
}
const wanted = readdirSync(source).filter((f) => statSync(join(source, f)).isFile());
let changed = 0;
for (const f of wanted) {
  const from = join(source, f);
  const to = join(target, f);
  if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
  copyFileSync(from, to);
  process.stdout.write(`contract:sync: ${f} updated\n`);
  changed++;
}
for (const f of readdirSync(target)) {
  if (wanted.includes(f)) continue;
  rmSync(join(target, f));
  process.stdout.write(`contract:sync: ${f} removed (no longer in the shared contract)\n`);
  changed++;
}
process.stdout.write(`contract:sync: ${changed ? `${changed} file(s) changed` : 'up to date'}\n`);
