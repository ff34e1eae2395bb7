import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** Where Node would find `name` required from a package in `fromDir`: its own node_modules, then upwards. */
function resolvePackage(name: string, fromDir: string, root: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/**
 * The installed packages the kiosk needs at run time: the project's `dependencies` and, recursively,
 * theirs (optional ones only where installed, as the platform's prebuilt binaries are), found the way Node
 * resolves them. Paths are relative to `root`, each a package folder (`node_modules/a`,
 * `node_modules/a/node_modules/b`), so copying them keeps the tree Node resolves in. Read from the tree
 * `npm ci` installed, so no registry is asked and the native modules are the ones built for this Node.
 */
export function productionPackages(root: string): string[] {
  const found = new Set<string>();
  const visit = (dir: string, required: boolean, deps: Manifest) => {
    const wanted = [
      ...Object.keys(deps.dependencies ?? {}).map((name) => [name, required] as const),
      ...Object.keys(deps.optionalDependencies ?? {}).map((name) => [name, false] as const),
    ];
    for (const [name, mustExist] of wanted) {
      const pkg = resolvePackage(name, dir, root);
      if (!pkg) {
        if (mustExist)
          throw new Error(`${name} (needed by ${relative(root, dir) || 'the kiosk'}) is not installed`);
        continue;
      }
      const rel = relative(root, pkg);
      if (found.has(rel)) continue;
      found.add(rel);
      visit(pkg, true, manifest(pkg));
    }
  };
  visit(root, true, manifest(root));
  return [...found].sort();
}
