import { dirname, join, resolve } from 'node:path';
import { type Clock, systemClock } from '../../../drivers/shared/clock.ts';
import type { KioskCore } from '../core-port.ts';
import { createReloadPolicy } from './crash-recovery.ts';
import { wireIntentChannel } from './intent-channel.ts';
import { guardNavigation } from './navigation-guard.ts';
import { installPermissionHandlers } from './permissions.ts';
import { ADM_SCHEME, ADM_SCHEME_PRIVILEGES, ADM_START_URL, createAdmProtocolHandler } from './protocol.ts';
import { refuseCloseAndQuit } from './quit-guard.ts';
import { isSwallowedInput } from './shortcuts.ts';
import { wireViewChannel } from './view-channel.ts';
import { kioskWindowOptions } from './window-options.ts';

/** Options of the Electron host. */
export interface ElectronHostOptions {
  /** The built UI (`dist/ui/`). */
  uiDir: string;
  /** Development: a normal window, devtools allowed. Never on a kiosk in the field. */
  dev: boolean;
  /** The bundled preload; default `<uiDir>/../electron/preload.cjs` (written by `ui/build.ts`). */
  preloadPath?: string;
  clock?: Clock;
}

/**
 * Runs the kiosk UI in a locked-down Electron window over `core`. Only wiring lives here: every rule
 * (permissions, navigation, shortcuts, protocol, IPC validation, crash backoff) is in its own file
 * with its own test. Resolves once the window has loaded; quits at once if another instance runs.
 */
export async function startElectronHost(core: KioskCore, opts: ElectronHostOptions): Promise<void> {
  const { app, BrowserWindow, Menu, ipcMain, powerSaveBlocker, protocol, session } = await import('electron');
  const uiDir = resolve(opts.uiDir);
  const preloadPath = opts.preloadPath ?? join(dirname(uiDir), 'electron', 'preload.cjs');
  const clock = opts.clock ?? systemClock;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([ADM_SCHEME_PRIVILEGES]);
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents));
  app.on('window-all-closed', () => app.quit());
  Menu.setApplicationMenu(null);

  await app.whenReady();
  protocol.handle(ADM_SCHEME, createAdmProtocolHandler({ uiDir, core }));
  installPermissionHandlers(session.defaultSession);
  powerSaveBlocker.start('prevent-display-sleep');

  const win = new BrowserWindow(kioskWindowOptions(preloadPath, opts.dev));
  win.setMenu(null);
  refuseCloseAndQuit(app, win, opts.dev);
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('before-input-event', (event, input) => {
    if (isSwallowedInput(input, opts.dev)) event.preventDefault();
  });
  contents.setVisualZoomLevelLimits(1, 1);
  contents.on('zoom-changed', () => contents.setZoomFactor(1));
  if (!opts.dev) contents.on('devtools-opened', () => contents.closeDevTools());

  wireViewChannel(core, contents);
  wireIntentChannel(ipcMain, core);

  const recovery = createReloadPolicy(clock, () => {
    if (!contents.isDestroyed()) contents.reload();
  });
  contents.on('render-process-gone', () => recovery.onGone());
  contents.on('unresponsive', () => recovery.onUnresponsive());
  contents.on('responsive', () => recovery.onResponsive());
  contents.on('did-finish-load', () => recovery.onLoaded());

  await win.loadURL(ADM_START_URL);
}
