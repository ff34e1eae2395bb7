import { isAdmUrl } from './protocol.ts';

/** The slice of Electron's `WebContents` the navigation guard uses. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * No navigation away from the UI's origin, no redirects out of it, no new windows, no webviews.
 * Applied to every WebContents the app creates (`web-contents-created`).
 */
export function guardNavigation(contents: GuardedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAdmUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAdmUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
