import { chownSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { parseConfig } from '../../config/load.ts';
import { err, ok, type Result } from '../../drivers/shared/result.ts';
import { hashPin } from '../maintenance/pin-hash.ts';
import { type Check, checkCentralApi } from './doctor.ts';

/** What an operator gives a kiosk at provisioning. */
export interface ProvisionAnswers {
  kioskId: string;
  regionCode: string;
  centralApi: { baseUrl: string; token: string };
  technicians: Array<{ id: string; pinHash: string }>;
}

/** A technician's PIN at provisioning: at least 6 digits (the reliability issue's rule 10). */
const PIN = /^[0-9]{6,12}$/;

/**
 * Writes the kiosk's config from `answers` over the one at `configPath` (the installed default: the
 * simulator's), with the built-in simulator removed, mode 0600 and owned by `owner` (the kiosk's user),
 * through a temporary file so a failure leaves the old config whole; then checks the central API answers
 * the new token. Returns what it did, one line each, or why it wrote nothing.
 */
export async function provision(options: {
  configPath: string;
  answers: ProvisionAnswers;
  owner?: { uid: number; gid: number };
}): Promise<Result<{ done: string[]; api: Check }, string[]>> {
  const { configPath, answers } = options;
  const current = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>)
    : {};
  const { centralApiSim: _simulator, ...base } = current;
  const next = {
    ...base,
    kioskId: answers.kioskId,
    regionCode: answers.regionCode,
    centralApi: { ...(base.centralApi as object), ...answers.centralApi },
    technicians: answers.technicians,
  };
  const parsed = parseConfig(next);
  if (!parsed.ok) return err(parsed.error);
  const temp = `${configPath}.new`;
  writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  try {
    if (options.owner) chownSync(temp, options.owner.uid, options.owner.gid);
    renameSync(temp, configPath);
  } catch (e) {
    rmSync(temp, { force: true });
    return err([`could not write ${configPath}: ${(e as Error).message}`]);
  }
  const done = [
    `wrote ${configPath} (mode 0600${options.owner ? `, owner ${options.owner.uid}:${options.owner.gid}` : ''})`,
    `kiosk ${answers.kioskId} in region ${answers.regionCode}, central API ${answers.centralApi.baseUrl}`,
    `${answers.technicians.length} technician(s): ${answers.technicians.map((t) => t.id).join(', ')}`,
  ];
  if (current.centralApiSim) done.push('the built-in central API simulator is off');
  return ok({ done, api: await checkCentralApi(parsed.value) });
}

/** A prepared file for mass rollout: the answers, technicians with `pinHash` (from `adm-kiosk hash-pin`). */
export function readAnswersFile(path: string): Result<ProvisionAnswers, string[]> {
  try {
    const a = JSON.parse(readFileSync(path, 'utf8')) as Partial<ProvisionAnswers>;
    if (
      !a.kioskId ||
      !a.regionCode ||
      !a.centralApi?.baseUrl ||
      !a.centralApi.token ||
      !a.technicians?.length
    )
      return err([`${path}: needs kioskId, regionCode, centralApi.baseUrl, centralApi.token, technicians`]);
    return ok(a as ProvisionAnswers);
  } catch (e) {
    return err([`${path}: ${(e as Error).message}`]);
  }
}

/**
 * Asks the operator on the terminal. Secrets (the token, the PINs) are read with echo off when the input
 * is a terminal; they never come from the command line or the environment.
 */
export async function askAnswers(
  input: Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => void },
  output: Writable,
): Promise<Result<ProvisionAnswers, string[]>> {
  const lines = lineReader(input);
  const ask = async (question: string, secret = false) => {
    output.write(question);
    const tty = secret && input.isTTY && input.setRawMode;
    if (tty) input.setRawMode?.(true);
    const answer = (await lines.next()).trim();
    if (tty) {
      input.setRawMode?.(false);
      output.write('\n');
    }
    return answer;
  };
  const kioskId = await ask('Kiosk id (e.g. ADM-3574-MPP-01): ');
  const regionCode = await ask('Region code (4 digits): ');
  const baseUrl = await ask('Central API URL (https://.../v1): ');
  const token = await ask('Central API token: ', true);
  const technicians: ProvisionAnswers['technicians'] = [];
  for (;;) {
    const id = await ask(
      technicians.length ? 'Another technician badge id (empty to finish): ' : 'Technician badge id: ',
    );
    if (!id) break;
    const pin = await ask(`PIN for ${id} (6 to 12 digits): `, true);
    if (!PIN.test(pin)) return err([`the PIN for ${id} must be 6 to 12 digits`]);
    if ((await ask(`PIN for ${id} again: `, true)) !== pin) return err([`the two PINs for ${id} differ`]);
    technicians.push({ id, pinHash: await hashPin(pin) });
  }
  lines.close();
  if (!technicians.length) return err(['at least one technician is needed']);
  return ok({ kioskId, regionCode, centralApi: { baseUrl, token }, technicians });
}

/** Reads answers line by line; in raw mode (secrets) it collects characters without echoing them. */
function lineReader(input: Readable) {
  let buffered = '';
  const waiting: Array<() => void> = [];
  const onData = (chunk: Buffer | string) => {
    buffered += chunk.toString();
    for (const wake of waiting.splice(0)) wake();
  };
  input.on('data', onData);
  return {
    async next(): Promise<string> {
      for (;;) {
        // Ctrl-C in raw mode arrives as a character: stop as a terminal would.
        if (buffered.includes('\u0003')) process.exit(130);
        const nl = buffered.search(/[\r\n]/);
        if (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(buffered[nl] === '\r' && buffered[nl + 1] === '\n' ? nl + 2 : nl + 1);
          return line;
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    close() {
      input.off('data', onData);
      input.pause();
    },
  };
}
