import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { KioskCore } from '../core-port.ts';
import { UI_CSP } from '../csp.ts';

/** The UI is served from its own scheme, never `file://`, so it has one origin the host can check. */
export const ADM_SCHEME = 'adm';
export const ADM_HOST = 'kiosk';
export const ADM_ORIGIN = `${ADM_SCHEME}://${ADM_HOST}`;
/** The page the window loads. */
export const ADM_START_URL = `${ADM_ORIGIN}/index.html`;

/**
 * `standard` gives the scheme an origin and relative URLs; `secure` makes it a secure context (the
 * camera needs one); fetch for the service worker-free UI's own JSON. No CORS, no bypassing the CSP.
 */
export const ADM_SCHEME_PRIVILEGES = {
  scheme: ADM_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: false,
    bypassCSP: false,
    stream: true,
  },
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/** Whether `url` is on the UI's own origin. */
export function isAdmUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${ADM_SCHEME}:` && parsed.host === ADM_HOST;
  } catch {
    return false;
  }
}

/**
 * The `adm://kiosk/` handler: `/preview/...` from the core (previews live in memory only), anything
 * else from the built UI directory. Paths that climb out of it, other hosts and other methods get 404/405.
 */
export function createAdmProtocolHandler(options: { uiDir: string; core: KioskCore }) {
  const root = normalize(options.uiDir);
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return new Response(null, { status: 405, headers: SECURITY_HEADERS });
    const url = new URL(request.url);
    if (url.host !== ADM_HOST) return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    const pathname = decodeURIComponent(url.pathname);
    if (pathname.startsWith('/preview/')) {
      const asset = await options.core.readAsset(pathname);
      if (!asset) return new Response(null, { status: 404, headers: SECURITY_HEADERS });
      // Assets from the core are plain byte arrays; a Response takes them as they are.
      return new Response(asset.body as Uint8Array<ArrayBuffer>, {
        headers: { ...SECURITY_HEADERS, 'content-type': asset.type },
      });
    }
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root + sep)) return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { ...SECURITY_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    }
  };
}
