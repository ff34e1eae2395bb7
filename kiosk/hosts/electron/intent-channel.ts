import type { KioskCore } from '../core-port.ts';
import { parseIntent } from '../intent-schema.ts';
import { INTENT_CHANNEL } from './channels.ts';
import { isAdmUrl } from './protocol.ts';

/** The slice of Electron's `ipcMain` the intent channel uses. */
export interface IntentSource {
  on(
    channel: string,
    listener: (event: { senderFrame?: { url: string } | null }, raw: unknown) => void,
  ): unknown;
  removeAllListeners(channel: string): unknown;
}

/**
 * `kiosk:intent`, renderer -> main: accepted only from a frame on the UI's own origin, and only when it
 * is a well-formed Intent; anything else is dropped without a word. Returns the unwiring function.
 */
export function wireIntentChannel(ipcMain: IntentSource, core: KioskCore): () => void {
  ipcMain.on(INTENT_CHANNEL, (event, raw) => {
    if (!isAdmUrl(event.senderFrame?.url)) return;
    const intent = parseIntent(raw);
    if (intent) core.send(intent);
  });
  return () => ipcMain.removeAllListeners(INTENT_CHANNEL);
}
