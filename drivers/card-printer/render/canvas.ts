import { createRequire } from 'node:module';

type CanvasModule = typeof import('@napi-rs/canvas');
let loaded: CanvasModule | undefined;

/**
 * `@napi-rs/canvas` (Skia), loaded at its first use rather than when the kiosk starts: the native module
 * took a seventh of the kiosk's start on one core, and nothing is drawn before the first card. The same
 * module object an `import` gives (Node shares one instance), so fonts registered here are the renderer's.
 */
export function canvasModule(): CanvasModule {
  const require = createRequire(import.meta.url);
  loaded ??= require('@napi-rs/canvas') as CanvasModule;
  return loaded;
}
