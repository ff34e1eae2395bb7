/** An Electron event whose default action (closing, quitting) a listener can cancel. */
interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `app` and `BrowserWindow` the guard listens on. */
interface Emitter {
  on(event: string, listener: (event: PreventableEvent) => void): unknown;
}

/**
 * Refuses every way out of the kiosk but one. On Linux `closable: false` does nothing, and Alt+F4 from the
 * compositor, a window manager's close or `app.quit()` would end the kiosk in front of an applicant; so
 * the window's `close` and the app's `before-quit` and `will-quit` are cancelled. The ways out that remain
 * are `app.exit()`, which emits none of these: the maintenance menu's restart and a SIGTERM from the
 * service manager (`main.ts`). In development the window closes as any other.
 */
export function refuseCloseAndQuit(app: Emitter, win: Emitter, dev: boolean): void {
  if (dev) return;
  const refuse = (event: PreventableEvent) => event.preventDefault();
  win.on('close', refuse);
  app.on('before-quit', refuse);
  app.on('will-quit', refuse);
}
