import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.ts';
import { ROOT } from '../paths.ts';
import { AUDIO_OUTPUT_FILE, audioOutputEnv, writeAudioOutputFile } from './audio-output.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SINK = 'alsa_output.usb-Generic_USB_Audio-00.analog-stereo';

describe('the audio output', () => {
  it('names the sink for the screen process, or nothing', () => {
    expect(audioOutputEnv({ audio: { output: SINK, volume: 70 } })).toEqual({ PULSE_SINK: SINK });
    expect(audioOutputEnv({ audio: { volume: 70 } })).toEqual({});
    expect(audioOutputEnv({})).toEqual({});
  });

  it('the config takes a sink name and a volume, and refuses what is not one', () => {
    const sim = JSON.parse(readFileSync(join(ROOT, 'config', 'sim.json'), 'utf8'));
    const ok = parseConfig({ ...sim, audio: { output: SINK } });
    expect(ok.ok && ok.value.audio).toEqual({ output: SINK, volume: 70 });
    expect(parseConfig({ ...sim, audio: { output: 'x; rm -rf /' } }).ok).toBe(false);
    expect(parseConfig({ ...sim, audio: { volume: 5 } }).ok).toBe(false);
    expect(parseConfig({ ...sim, audio: { volume: 101 } }).ok).toBe(false);
  });

  it('the screen session of the package plays to the sink the kiosk wrote beside its URL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adm-audio-'));
    dirs.push(dir);
    const urlFile = join(dir, 'url');
    writeAudioOutputFile(urlFile, { audio: { output: SINK, volume: 70 } });
    expect(readFileSync(join(dir, AUDIO_OUTPUT_FILE), 'utf8')).toBe(`${SINK}\n`);

    // The display script's own lines, run by sh with the file where the package puts it.
    const script = readFileSync(join(ROOT, 'packaging', 'deb', 'files', 'display'), 'utf8');
    const block = /sink_file=.*?\nfi\n/s.exec(script)?.[0];
    expect(block).toBeDefined();
    const env = execFileSync(
      'sh',
      ['-c', `${block!.replace('/run/adm-kiosk/audio-output', join(dir, AUDIO_OUTPUT_FILE))}env`],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(env).toContain(`PULSE_SINK=${SINK}`);

    // A config without an output removes a file left from before.
    writeAudioOutputFile(urlFile, { audio: { volume: 70 } });
    expect(existsSync(join(dir, AUDIO_OUTPUT_FILE))).toBe(false);
  });
});
