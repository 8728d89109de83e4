// The packed `xunshi` bundles the workspace packages (@xunshi/*) into lib/ and keeps every npm package external, so
// its own `dependencies` must declare each npm package a bundled workspace package depends on, with the same range.
// Used by rollup.config.mjs (the pack fails on a gap) and by test/package.test.ts (the suite fails on a gap).
import { readFileSync } from 'node:fs';

const PACKAGES = new URL('../../', import.meta.url);

function readManifest(dir) {
  return JSON.parse(readFileSync(new URL(`${dir}/package.json`, PACKAGES), 'utf8'));
}

/** True for a workspace package that the pack bundles into lib/. */
export function isBundled(id) {
  return id === '@xunshi' || id.startsWith('@xunshi/');
}

/** The npm package an import specifier names (`@scope/name/sub` → `@scope/name`, `name/sub` → `name`). */
export function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Problems with xunshi's declared dependencies: each npm dependency of a bundled workspace package (reached from
 * xunshi's devDependencies, transitively) that xunshi does not declare, or declares with another range. Empty when the
 * manifest is right.
 */
export function checkBundleDependencies() {
  const xunshi = readManifest('xunshi');
  const declared = xunshi.dependencies ?? {};
  const problems = [];
  const seen = new Set();
  const visit = (name, from) => {
    if (seen.has(name)) return;
    seen.add(name);
    const dir = name.slice('@xunshi/'.length);
    const manifest = readManifest(dir);
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (isBundled(dep)) {
        visit(dep, name);
      } else if (!(dep in declared)) {
        problems.push(`${dep}@${range} (a dependency of ${name}, bundled for ${from}) is missing from packages/xunshi/package.json dependencies`);
      } else if (declared[dep] !== range) {
        problems.push(`${dep} is ${range} in ${name} but ${declared[dep]} in packages/xunshi/package.json dependencies: use one range`);
      }
    }
  };
  for (const [dep, range] of Object.entries(xunshi.dependencies ?? {})) {
    if (isBundled(dep)) problems.push(`${dep}@${range} is in xunshi's dependencies: workspace packages are bundled, so list it in devDependencies`);
  }
  for (const dep of Object.keys(xunshi.devDependencies ?? {})) if (isBundled(dep)) visit(dep, 'xunshi');
  return problems;
}

/** The npm packages xunshi declares: what the bundle may import. */
export function declaredDependencies() {
  return new Set(Object.keys(readManifest('xunshi').dependencies ?? {}));
}
