/**
 * The UI's Content Security Policy: only its own scripts, styles and connections; images also from
 * data:/blob: (decoded previews), media from the camera stream. No inline script or style, no plugins,
 * no framing, no forms posting anywhere. Used in `index.html`'s meta and by the Electron protocol handler.
 */
export const UI_CSP = [
  "default-src 'self'",
  // The camera's decoder is WebAssembly compiled in its worker: 'wasm-unsafe-eval' allows exactly that,
  // not eval of JavaScript.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
