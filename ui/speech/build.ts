/**
 * Renders every fixed phrase (`phrases.ts`) with espeak-ng into `<outDir>/speech/<voice>/<hash>.wav`.
 * Clips are kept in a cache under `dist/` keyed by espeak-ng's version, so a rebuild (every UI test
 * builds the UI) only links files; the first build of a machine takes a few seconds.
 */
import { execFile } from 'node:child_process';
import { access, copyFile, link, mkdir, rename } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import type { ServiceInfo } from '../../kiosk/documents/service-info/schema.ts';
import { ROOT } from '../../kiosk/paths.ts';
import { fixedPhrases, type Phrase, phrasePath } from './phrases.ts';

const run = promisify(execFile);

/** The espeak-ng program (Debian package `espeak-ng`). */
export const ESPEAK = process.env.ESPEAK_NG ?? 'espeak-ng';

/** espeak-ng voice per phrase voice, and a calm speaking rate (words per minute; espeak's default is 175). */
const ESPEAK_VOICES = { id: 'id', en: 'en' } as const;
const RATE = '150';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function espeakVersion(): Promise<Result<string, string>> {
  try {
    const { stdout } = await run(ESPEAK, ['--version']);
    const version = /(\d+\.\d+[\w.-]*)/.exec(stdout)?.[1];
    return version ? ok(version) : err(`cannot read the version of ${ESPEAK}: ${stdout.trim()}`);
  } catch (error) {
    return err(`${ESPEAK} is needed for spoken guidance (apt-get install espeak-ng): ${String(error)}`);
  }
}

async function render(phrase: Phrase, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.part`;
  // `--` ends the options: a phrase never becomes one.
  await run(ESPEAK, ['-v', ESPEAK_VOICES[phrase.voice], '-s', RATE, '-w', partial, '--', phrase.text]);
  await rename(partial, file);
}

async function place(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  // A hard link costs nothing; across file systems, a copy.
  await link(from, to).catch(() => copyFile(from, to));
}

/** Renders (or takes from the cache) the clip of every fixed phrase into `<outDir>/speech/`. */
export async function buildSpeech(
  outDir: string,
  serviceInfo: readonly ServiceInfo[],
): Promise<Result<{ phrases: number }, string>> {
  const version = await espeakVersion();
  if (!version.ok) return version;
  const cache = join(ROOT, 'dist', '.speech-cache', version.value);
  const phrases = fixedPhrases(serviceInfo);
  const queue = [...phrases];
  const worker = async () => {
    for (let phrase = queue.shift(); phrase; phrase = queue.shift()) {
      const cached = join(cache, phrasePath(phrase));
      if (!(await exists(cached))) await render(phrase, cached);
      await place(cached, join(outDir, phrasePath(phrase)));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(4, availableParallelism()) }, worker));
  } catch (error) {
    return err(`espeak-ng failed: ${String(error)}`);
  }
  return ok({ phrases: phrases.length });
}
