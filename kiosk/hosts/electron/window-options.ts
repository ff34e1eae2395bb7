/**
 * The kiosk window: frameless, full screen, and a renderer with no Node, isolated from the preload,
 * sandboxed, with devtools only in development.
 */
export function kioskWindowOptions(preloadPath: string, dev: boolean) {
  return {
    width: 1080,
    height: 1920,
    frame: false,
    kiosk: !dev,
    fullscreen: !dev,
    resizable: dev,
    movable: dev,
    minimizable: false,
    closable: dev,
    autoHideMenuBar: true,
    show: false,
    backgroundColor: '#0b4f8a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: dev,
      zoomFactor: 1,
    },
  };
}
