import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KioskConfig } from '../../config/schema.ts';

/**
 * Where the screen's sound goes (config `audio.output`, issue 15: a headphone jack is the norm at
 * accessible kiosks). Chromium and Electron on Linux play through PulseAudio or PipeWire's pulse server,
 * which send every stream of a process to the sink named by `PULSE_SINK`: the kiosk picks the output
 * there, once, for the whole screen, instead of asking the page to choose among devices it may not name.
 */
export function audioOutputEnv(config: Pick<KioskConfig, 'audio'>): Record<string, string> {
  const sink = config.audio?.output;
  return sink ? { PULSE_SINK: sink } : {};
}

/** The file beside the screen's URL file that names the sink (`packaging/deb/files/display` reads it). */
export const AUDIO_OUTPUT_FILE = 'audio-output';

/**
 * For the browser host's screen session: writes the sink's name beside the URL file, or removes a stale
 * one when the config names none (the session then plays to the system's default output).
 */
export function writeAudioOutputFile(urlFile: string, config: Pick<KioskConfig, 'audio'>): void {
  const path = join(dirname(urlFile), AUDIO_OUTPUT_FILE);
  const sink = config.audio?.output;
  if (sink) writeFileSync(path, `${sink}\n`, { mode: 0o644 });
  else rmSync(path, { force: true });
}
