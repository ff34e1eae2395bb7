import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../drivers/shared/clock.ts';
import { createFakeElectron } from '../../../test/support/fake-electron.ts';
import type { Intent, View } from '../../view.ts';
import type { KioskCore } from '../core-port.ts';
import { INTENT_CHANNEL, VIEW_CHANNEL } from './channels.ts';
import { RELOAD_BASE_DELAY_MS } from './crash-recovery.ts';

const electron = vi.hoisted(() => ({
  current: undefined as unknown as ReturnType<typeof createFakeElectron>,
}));
vi.mock('electron', () => ({
  get app() {
    return electron.current.app;
  },
  get BrowserWindow() {
    return electron.current.BrowserWindow;
  },
  get Menu() {
    return electron.current.Menu;
  },
  get ipcMain() {
    return electron.current.ipcMain;
  },
  get powerSaveBlocker() {
    return electron.current.powerSaveBlocker;
  },
  get protocol() {
    return electron.current.protocol;
  },
  get session() {
    return electron.current.session;
  },
}));

const { startElectronHost } = await import('./index.ts');

const view = (screen: View['screen']): View =>
  ({
    screen,
    locale: 'id',
    kioskId: 'ADM-TEST',
    available: { card: true, a4: true },
    helpdesk: {},
  }) as View;

function fakeCore() {
  const listeners = new Set<(view: View) => void>();
  const sent: Intent[] = [];
  let current = view('home');
  const core: KioskCore = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send: (intent) => sent.push(intent),
    currentView: () => current,
    readAsset: async () => undefined,
  };
  return {
    core,
    sent,
    publish(next: View) {
      current = next;
      for (const listener of listeners) listener(next);
    },
  };
}

describe('startElectronHost', () => {
  beforeEach(() => {
    electron.current = createFakeElectron();
  });

  it('locks the window down: frameless, isolated, sandboxed, no node, no devtools, no menu', async () => {
    const { core } = fakeCore();
    await startElectronHost(core, { uiDir: '/opt/adm/dist/ui', dev: false });
    const fake = electron.current;
    const win = fake.windows[0]!;
    expect(win.options).toMatchObject({ frame: false, kiosk: true, fullscreen: true });
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
      preload: '/opt/adm/dist/electron/preload.cjs',
    });
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(win.setMenu).toHaveBeenCalledWith(null);
    expect(win.loadURL).toHaveBeenCalledWith('adm://kiosk/index.html');
    expect(fake.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(win.webContents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
    win.webContents.emit('devtools-opened');
    expect(win.webContents.closeDevTools).toHaveBeenCalled();
  });

  it('refuses the window close and the app quit, and swallows Alt+F4: only app.exit() ends the kiosk', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    const { app, windows } = electron.current;
    const win = windows[0]!;
    const cancelled = (emitter: { emit(event: string, ...args: unknown[]): unknown[] }, name: string) => {
      const event = { preventDefault: vi.fn() };
      emitter.emit(name, event, {
        type: 'keyDown',
        key: 'F4',
        alt: true,
        control: false,
        meta: false,
        shift: false,
      });
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(cancelled(win, 'close')).toBe(true);
    expect(cancelled(app, 'before-quit')).toBe(true);
    expect(cancelled(app, 'will-quit')).toBe(true);
    expect(cancelled(win.webContents, 'before-input-event')).toBe(true);
  });

  it('lets a development window close', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: true });
    const { app, windows } = electron.current;
    const event = { preventDefault: vi.fn() };
    windows[0]!.emit('close', event);
    app.emit('before-quit', event);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('serves the UI from the adm scheme, registered as privileged before ready', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/opt/adm/dist/ui', dev: false });
    const fake = electron.current;
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'adm',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(fake.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(
      fake.app.whenReady.mock.invocationCallOrder[0]!,
    );
    expect(fake.protocol.handle).toHaveBeenCalledWith('adm', expect.any(Function));
  });

  it('denies permissions except the camera for its own origin, and every device', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    const session = electron.current.session.defaultSession;
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (...args: unknown[]) => void;
    const answer = (permission: string, details: object) => {
      let granted: boolean | undefined;
      request(undefined, permission, (g: boolean) => (granted = g), details);
      return granted;
    };
    expect(answer('media', { requestingUrl: 'adm://kiosk/index.html', mediaTypes: ['video'] })).toBe(true);
    expect(answer('media', { requestingUrl: 'adm://kiosk/index.html', mediaTypes: ['audio'] })).toBe(false);
    expect(answer('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    expect(answer('geolocation', { requestingUrl: 'adm://kiosk/index.html' })).toBe(false);
    expect(answer('notifications', { requestingUrl: 'adm://kiosk/index.html' })).toBe(false);
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(check(undefined, 'clipboard-read', 'adm://kiosk', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    expect(device()).toBe(false);
  });

  it('denies navigation away, new windows and webviews in every web contents', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    const contents = electron.current.createWebContents();
    electron.current.app.emit('web-contents-created', {}, contents);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('adm://kiosk/index.html')).toBe(false);
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => unknown;
    expect(openHandler({ url: 'adm://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('swallows reload, devtools and zoom shortcuts, and lets typing through', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    const contents = electron.current.windows[0]!.webContents;
    const press = (
      key: string,
      mods: Partial<Record<'control' | 'shift' | 'alt' | 'meta', boolean>> = {},
    ) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('before-input-event', event, {
        type: 'keyDown',
        key,
        control: false,
        shift: false,
        alt: false,
        meta: false,
        ...mods,
      });
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(press('F5')).toBe(true);
    expect(press('r', { control: true })).toBe(true);
    expect(press('I', { control: true, shift: true })).toBe(true);
    expect(press('F12')).toBe(true);
    expect(press('=', { control: true })).toBe(true);
    expect(press('0', { control: true })).toBe(true);
    expect(press('w', { control: true })).toBe(true);
    expect(press('5')).toBe(false);
    expect(press('Tab')).toBe(false);
    contents.emit('zoom-changed');
    expect(contents.setZoomFactor).toHaveBeenCalledWith(1);
  });

  it('keeps devtools keys in development only', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: true });
    const win = electron.current.windows[0]!;
    expect((win.options.webPreferences as { devTools: boolean }).devTools).toBe(true);
    const event = { preventDefault: vi.fn() };
    win.webContents.emit('before-input-event', event, {
      type: 'keyDown',
      key: 'F12',
      control: false,
      shift: false,
      alt: false,
      meta: false,
    });
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('carries Views to the renderer and validated intents from the UI origin to the core', async () => {
    const { core, sent, publish } = fakeCore();
    await startElectronHost(core, { uiDir: '/ui', dev: false });
    const contents = electron.current.windows[0]!.webContents;
    contents.emit('did-finish-load');
    expect(contents.send).toHaveBeenLastCalledWith(VIEW_CHANNEL, expect.objectContaining({ screen: 'home' }));
    publish(view('pin'));
    expect(contents.send).toHaveBeenLastCalledWith(VIEW_CHANNEL, expect.objectContaining({ screen: 'pin' }));

    const ui = { senderFrame: { url: 'adm://kiosk/index.html' } };
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, { type: 'pin', pin: '123456' });
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, { type: 'pin', pin: '12' });
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, { type: 'rating', rating: 9 });
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, { type: 'confirm', extra: true });
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, 'confirm');
    electron.current.ipcMain.emit(
      INTENT_CHANNEL,
      { senderFrame: { url: 'https://evil.example/' } },
      { type: 'confirm' },
    );
    electron.current.ipcMain.emit(INTENT_CHANNEL, { senderFrame: null }, { type: 'confirm' });
    electron.current.ipcMain.emit(INTENT_CHANNEL, ui, { type: 'language', locale: 'en' });
    expect(sent).toEqual([
      { type: 'pin', pin: '123456' },
      { type: 'language', locale: 'en' },
    ]);
  });

  it('reloads a crashed or hung renderer with backoff, and the reloaded page gets the current View', async () => {
    const clock = new ManualClock();
    const { core, publish } = fakeCore();
    await startElectronHost(core, { uiDir: '/ui', dev: false, clock });
    const contents = electron.current.windows[0]!.webContents;
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    clock.advance(RELOAD_BASE_DELAY_MS - 1);
    expect(contents.reload).not.toHaveBeenCalled();
    clock.advance(1);
    expect(contents.reload).toHaveBeenCalledTimes(1);
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    clock.advance(RELOAD_BASE_DELAY_MS);
    expect(contents.reload).toHaveBeenCalledTimes(1);
    clock.advance(RELOAD_BASE_DELAY_MS);
    expect(contents.reload).toHaveBeenCalledTimes(2);

    publish(view('confirm'));
    contents.emit('did-finish-load');
    expect(contents.send).toHaveBeenLastCalledWith(
      VIEW_CHANNEL,
      expect.objectContaining({ screen: 'confirm' }),
    );

    contents.emit('unresponsive');
    clock.advance(60_000);
    expect(contents.reload).toHaveBeenCalledTimes(3);
  });

  it('quits at once when another instance holds the lock', async () => {
    electron.current = createFakeElectron({ singleInstance: false });
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    expect(electron.current.app.quit).toHaveBeenCalled();
    expect(electron.current.windows).toHaveLength(0);
  });

  it('focuses the existing window when a second instance starts', async () => {
    await startElectronHost(fakeCore().core, { uiDir: '/ui', dev: false });
    electron.current.app.emit('second-instance');
    expect(electron.current.windows[0]!.focus).toHaveBeenCalled();
  });
});
