import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile.sim'), 'utf8');
const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const instructions = dockerfile
  .split('\n')
  .filter((l) => l.trim() && !l.trim().startsWith('#'))
  .join('\n');

/**
 * No Docker engine runs here, so the image cannot be built in CI; this keeps it a thin wrapper over the
 * scripts CI does run, so that they cannot drift apart.
 */
describe('Dockerfile.sim stays a wrapper over the scripts CI runs', () => {
  it('installs system packages and dependencies exactly as .ci/run does', () => {
    expect(ci).toContain('bash test/setup-system.sh');
    expect(instructions).toContain('bash test/setup-system.sh');
    expect(ci).toMatch(/npm install --no-audit --no-fund/);
    expect(instructions).toMatch(/npm install --no-audit --no-fund/);
    expect(ci).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1');
    expect(instructions).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD=1');
  });

  it('builds with the project script and starts the kiosk the way npm start does', () => {
    expect(instructions).toContain('npm run build');
    expect(instructions).toMatch(/CMD \["npm", "start"\]/);
    expect(pkg.scripts.start).toContain('npm run build');
    expect(pkg.scripts.test).toContain('test/setup-system.sh');
  });

  it('runs nothing of its own: every RUN line is a project script or npm', () => {
    const runs = instructions.split('\n').filter((l) => l.startsWith('RUN '));
    for (const run of runs) {
      for (const part of run.slice(4).split('&&')) {
        expect(part.trim(), run).toMatch(/^(bash test\/setup-system\.sh|npm (install|run build)\b)/);
      }
    }
  });

  it('builds from the repository root alone, with no folder outside it and no folder names of a machine', () => {
    for (const line of instructions.split('\n').filter((l) => /^(COPY|ADD) /.test(l))) {
      for (const src of line.split(/\s+/).slice(1, -1))
        expect(src, line).not.toMatch(/^(\.\.|\/)|shared|main\//);
    }
    expect(dockerfile).not.toMatch(/\/work\//);
  });
});
