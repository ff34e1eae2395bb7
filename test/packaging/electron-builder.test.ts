import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../kiosk/paths.ts';

const config = JSON.parse(readFileSync(join(ROOT, 'packaging', 'electron', 'electron-builder.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

// The Electron binary cannot be downloaded where the tests run, so the packaged app is checked from its
// configuration: what electron-builder would flip and pack.
describe('the Electron package configuration', () => {
  it('sets the fuses: no run-as-node, no NODE_OPTIONS or --inspect, asar integrity, the app from its asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // Asar integrity means nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it('starts the compiled main entry, and packs the built kiosk, UI, preload, config and contract', () => {
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(pkg.main).toMatch(/^dist\/app\/.*\.js$/);
    for (const path of [
      'dist/app/**',
      'dist/ui/**',
      'dist/electron/**',
      'config/**',
      'contract/**',
      'package.json',
    ])
      expect(config.files).toContain(path);
    // No sources run through a loader in the packaged app.
    expect(JSON.stringify(config.files)).not.toMatch(/\.ts\b|kiosk\/\*\*/);
    // Native modules and SumatraPDF cannot run from inside an asar.
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', 'node_modules/pdf-to-printer/dist/*.exe']),
    );
    expect(pkg.devDependencies).toHaveProperty('electron');
    expect(pkg.dependencies).not.toHaveProperty('electron');
  });
});
