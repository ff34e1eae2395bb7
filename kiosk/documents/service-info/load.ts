import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { err, ok, type Result } from '../../../drivers/shared/result.ts';
import { type ServiceInfo, serviceInfoSchema } from './schema.ts';

/** This folder: where the kiosk's service-information files live. */
export const SERVICE_INFO_DIR = new URL('../../../config/service-info/', import.meta.url).pathname;

/**
 * Reads and checks every `*.json` in `dir`, sorted by `order`. Problems come back as one message per
 * file and key, so an office that mistyped a file learns which line to fix.
 */
export async function loadServiceInfo(
  dir: string = SERVICE_INFO_DIR,
): Promise<Result<ServiceInfo[], string[]>> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const entries: ServiceInfo[] = [];
  const problems: string[] = [];
  for (const file of files) {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (cause) {
      problems.push(`service-info/${file}: not valid JSON (${(cause as Error).message})`);
      continue;
    }
    const parsed = serviceInfoSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`service-info/${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      continue;
    }
    if (parsed.data.id !== basename(file, '.json')) {
      problems.push(`service-info/${file}: id: must be "${basename(file, '.json')}" (the file name)`);
      continue;
    }
    entries.push(parsed.data);
  }
  if (problems.length > 0) return err(problems);
  return ok(entries.sort((a, b) => a.order - b.order));
}
