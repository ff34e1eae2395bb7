import { access, copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { err, ok, type Result } from '../drivers/shared/result.ts';
import { loadServiceInfo } from '../kiosk/documents/service-info/load.ts';
import { UI_CSP } from '../kiosk/hosts/csp.ts';
import { buildSpeech } from './speech/build.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** Where `npm run build` puts the UI (`dist/ui/`) and the Electron preload (`dist/electron/`). */
export const DEFAULT_UI_OUT_DIR = join(root, 'dist', 'ui');

/** Fonts the UI uses, copied next to it when `config/fonts/` has them (else the system stack applies). */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

interface BuildOptions {
  /** Default `dist/ui/`; the preload goes to `<outDir>/../electron/preload.cjs`. */
  outDir?: string;
  minify?: boolean;
}

/**
 * The page shell: one script, one stylesheet, the CSP as a meta (the Electron host also sends it as a
 * header). The viewport does not forbid zooming (WCAG 1.4.4): the applicant's way to bigger type is the
 * text-size button, and the page lockdown still stops accidental pinch and ctrl-zoom on the kiosk.
 */
export function indexHtml(csp: string = UI_CSP): string {
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=1080, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Anjungan Dukcapil Mandiri</title>
<link rel="stylesheet" href="main.css">
<script type="module" src="main.js"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Bundles the UI (`ui/main.tsx` and its CSS) into `outDir` with an `index.html`, the service
 * information, the fonts, the spoken-guidance clips and the camera assets, and the Electron preload
 * beside it. Works offline; needs espeak-ng.
 */
export async function buildUi(options: BuildOptions = {}): Promise<Result<{ outDir: string }, string[]>> {
  const outDir = resolve(options.outDir ?? DEFAULT_UI_OUT_DIR);
  const serviceInfo = await loadServiceInfo();
  if (!serviceInfo.ok) return err(serviceInfo.error);

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { main: join(here, 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    loader: { '.ttf': 'file', '.woff2': 'file', '.png': 'file', '.svg': 'file' },
    // The font URLs in styles.css point at files this build copies; esbuild must leave them alone.
    external: ['fonts/*'],
    define: { __ADM_SERVICE_INFO__: JSON.stringify(serviceInfo.value) },
  });
  if (result.errors.length > 0) return err(result.errors.map((e) => e.text));
  await writeFile(join(outDir, 'index.html'), indexHtml());

  const fontsDir = join(root, 'config', 'fonts');
  if (await exists(fontsDir)) {
    await mkdir(join(outDir, 'fonts'), { recursive: true });
    const available = new Set(await readdir(fontsDir));
    for (const font of FONT_FILES) {
      if (available.has(font)) await copyFile(join(fontsDir, font), join(outDir, 'fonts', font));
    }
  }

  const speech = await buildSpeech(outDir, serviceInfo.value);
  if (!speech.ok) return err([speech.error]);

  const electronDir = join(dirname(outDir), 'electron');
  await mkdir(electronDir, { recursive: true });
  // A sandboxed preload cannot load modules from disk: it must be one CommonJS file needing only `electron`.
  await esbuild.build({
    entryPoints: [join(root, 'kiosk', 'hosts', 'electron', 'preload.ts')],
    outfile: join(electronDir, 'preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: ['node20'],
    external: ['electron'],
    logLevel: 'silent',
  });

  const cameraBuild = join(here, 'camera', 'build.ts');
  if (await exists(cameraBuild)) {
    const camera = (await import(pathToFileURL(cameraBuild).href)) as {
      buildCameraAssets?: (outDir: string) => Promise<unknown>;
    };
    await camera.buildCameraAssets?.(outDir);
  }
  return ok({ outDir });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outArg = process.argv.indexOf('--out');
  const outDir = outArg > 0 ? process.argv[outArg + 1] : undefined;
  const result = await buildUi({ outDir });
  if (!result.ok) {
    for (const line of result.error) console.error(`build: ${line}`);
    process.exit(1);
  }
  console.log(`build: UI in ${result.value.outDir}`);
}
