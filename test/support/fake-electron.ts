import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

/** A stand-in for one Electron emitter: records listeners so a test can fire them. */
class FakeEmitter {
  listeners = new Map<string, Listener[]>();
  on = vi.fn((event: string, listener: Listener) => {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  });
  once = this.on;
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args));
  }
}

class FakeWebContents extends FakeEmitter {
  send = vi.fn();
  reload = vi.fn();
  isDestroyed = vi.fn(() => false);
  setVisualZoomLevelLimits = vi.fn();
  setZoomFactor = vi.fn();
  closeDevTools = vi.fn();
  setWindowOpenHandler = vi.fn();
}

/**
 * The parts of the `electron` module the host touches, recording every call (tests `vi.mock` the
 * module with this; the Electron binary is not available where the tests run).
 */
export function createFakeElectron(options: { singleInstance?: boolean } = {}) {
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends FakeEmitter {
    webContents = new FakeWebContents();
    setMenu = vi.fn();
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = vi.fn(() => false);
    loadURL = vi.fn(async () => undefined);
    constructor(public options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
  }
  const app = Object.assign(new FakeEmitter(), {
    requestSingleInstanceLock: vi.fn(() => options.singleInstance ?? true),
    quit: vi.fn(),
    whenReady: vi.fn(async () => undefined),
  });
  const ipcMain = Object.assign(new FakeEmitter(), { removeAllListeners: vi.fn() });
  const defaultSession = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
  };
  return {
    app,
    ipcMain,
    windows,
    BrowserWindow: FakeBrowserWindow,
    Menu: { setApplicationMenu: vi.fn() },
    powerSaveBlocker: { start: vi.fn(() => 1) },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession },
    createWebContents: () => new FakeWebContents(),
  };
}
