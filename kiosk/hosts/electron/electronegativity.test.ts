import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexHtml } from '../../../ui/build.ts';
import { UI_CSP } from '../csp.ts';

/**
 * A static check of the Electron sources in the spirit of electronegativity's checks (its own parser
 * needs the classic TypeScript compiler API, which this project's TypeScript does not offer, so the
 * same rules are written here against the source text). It fails on any line that weakens the lockdown
 * and on any protection that goes missing.
 */
let sources: Map<string, string>;
let all: string;

beforeAll(async () => {
  sources = new Map();
  for (const name of await readdir(import.meta.dirname)) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      sources.set(name, await readFile(join(import.meta.dirname, name), 'utf8'));
    }
  }
  all = [...sources.values()].join('\n');
});

describe('Electron lockdown, statically', () => {
  it.each([
    ['NODE_INTEGRATION_HTML_SCAN_JS', /nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/],
    ['CONTEXT_ISOLATION_JS_CHECK', /contextIsolation\s*:\s*false/],
    ['SANDBOX_JS_CHECK', /sandbox\s*:\s*false/],
    ['WEB_SECURITY_JS_CHECK', /webSecurity\s*:\s*false/],
    ['INSECURE_CONTENT_JS_CHECK', /allowRunningInsecureContent\s*:\s*true/],
    ['EXPERIMENTAL_FEATURES_JS_CHECK', /experimentalFeatures\s*:\s*true/],
    ['BLINK_FEATURES_JS_CHECK', /enableBlinkFeatures\s*:\s*'[^']+'/],
    ['WEBVIEW_TAG', /webviewTag\s*:\s*true/],
    ['REMOTE_MODULE_JS_CHECK', /enableRemoteModule|@electron\/remote/],
    ['OPEN_EXTERNAL_JS_CHECK', /openExternal/],
    ['CUSTOM_ARGUMENTS_JS_CHECK', /appendSwitch|appendArgument/],
    ['INSECURE_PROTOCOL', /loadURL\(\s*['"`](http|file):/],
    ['CERTIFICATE_VERIFY_PROC_JS_CHECK', /setCertificateVerifyProc|certificate-error/],
    ['DANGEROUS_FUNCTIONS_JS_CHECK', /executeJavaScript|insertCSS|\beval\(/],
    ['BYPASS_CSP', /bypassCSP\s*:\s*true/],
  ])('has no %s finding', (_check, pattern) => {
    for (const [name, text] of sources) expect(text, name).not.toMatch(pattern);
  });

  it('sets every protective web preference', () => {
    const options = sources.get('window-options.ts')!;
    for (const flag of [
      'contextIsolation: true',
      'sandbox: true',
      'nodeIntegration: false',
      'nodeIntegrationInWorker: false',
      'nodeIntegrationInSubFrames: false',
      'webSecurity: true',
      'allowRunningInsecureContent: false',
      'webviewTag: false',
      'navigateOnDragDrop: false',
      'devTools: dev',
      'frame: false',
    ]) {
      expect(options).toContain(flag);
    }
  });

  it('installs the permission, navigation, window-open and webview handlers', () => {
    expect(all).toContain('setPermissionRequestHandler');
    expect(all).toContain('setPermissionCheckHandler');
    expect(all).toContain('setDevicePermissionHandler');
    expect(all).toContain("'will-navigate'");
    expect(all).toContain("'will-redirect'");
    expect(all).toContain("'will-attach-webview'");
    expect(all).toContain("setWindowOpenHandler(() => ({ action: 'deny' }))");
    expect(sources.get('index.ts')).toContain("app.on('web-contents-created'");
    expect(sources.get('index.ts')).toContain('requestSingleInstanceLock');
    expect(sources.get('index.ts')).toContain('Menu.setApplicationMenu(null)');
  });

  it('has a strict CSP in the page and on every protocol response', () => {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(UI_CSP).toContain(directive);
    }
    // 'wasm-unsafe-eval' (the camera decoder's WebAssembly) is allowed; JavaScript eval and inline code are not.
    expect(UI_CSP.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(indexHtml()).toContain(`http-equiv="Content-Security-Policy" content="${UI_CSP}"`);
    expect(sources.get('protocol.ts')).toContain("'content-security-policy': UI_CSP");
  });

  it('exposes one bridge from the preload and nothing of ipcRenderer itself', () => {
    const preload = sources.get('preload.ts')!;
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    expect(preload).not.toMatch(/ipcRenderer\.(invoke|sendSync)/);
  });
});
