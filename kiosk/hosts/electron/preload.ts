import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { Intent, View } from '../../view.ts';
import { INTENT_CHANNEL, VIEW_CHANNEL } from './channels.ts';

/**
 * The one bridge the page gets: `window.admKiosk` with `subscribe` and `send`, nothing of Node or
 * Electron. The latest View is kept so a subscriber that arrives after it (a reload) still starts with it.
 */
let latest: View | undefined;
const listeners = new Set<(view: View) => void>();

ipcRenderer.on(VIEW_CHANNEL, (_event: IpcRendererEvent, view: View) => {
  latest = view;
  for (const listener of listeners) listener(view);
});

contextBridge.exposeInMainWorld('admKiosk', {
  subscribe(listener: (view: View) => void): () => void {
    const wrapped = (view: View) => listener(view);
    listeners.add(wrapped);
    if (latest) wrapped(latest);
    return () => {
      listeners.delete(wrapped);
    };
  },
  send(intent: Intent): void {
    ipcRenderer.send(INTENT_CHANNEL, intent);
  },
});
