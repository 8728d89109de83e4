// Bundles the packed `xunshi` (run by scripts/pack.mjs before `pnpm pack`, after `tsc -b`): the compiled workspace
// packages (@xunshi/*, which are not published) are bundled into lib/ with xunshi's own code, every npm package stays
// an external import that npm installs from xunshi's `dependencies` (nodejieba is compiled in the user's project).
// lib/ is flat, so the paths the code finds from its own module still hold: ./worker.js (the worker threads),
// ../package.json (the version) and ../rules/ (the shipped rules, copied beside lib/ by scripts/pack.mjs).
import { builtinModules } from 'node:module';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import { checkBundleDependencies, declaredDependencies, isBundled, packageOf } from './scripts/bundle-deps.mjs';

const problems = checkBundleDependencies();
if (problems.length) throw new Error(`xunshi's dependencies do not cover what it bundles:\n  ${problems.join('\n  ')}`);
const declared = declaredDependencies();
const builtins = new Set(builtinModules);

/** Node built-ins and declared npm packages are external; a workspace package or a file is bundled; anything else is an error. */
function external(id, importer, isResolved) {
  if (isResolved || id.startsWith('.') || id.startsWith('/') || id.startsWith('\0') || isBundled(id)) return false;
  if (id.startsWith('node:') || builtins.has(id)) return true;
  const name = packageOf(id);
  // Declarations import a types-only package by the name of what it types (`hast` from @types/hast).
  if (declared.has(name) || declared.has(`@types/${name.replace(/^@(.*)\//, '$1__')}`)) return true;
  throw new Error(`${importer ?? 'an entry'} imports ${id}, which is not in packages/xunshi/package.json dependencies`);
}

/** The names lib/index.js exports, recorded when the code is bundled (the first build; Rollup builds them in order). */
let runtimeExports;
const recordExports = {
  name: 'record-exports',
  generateBundle(_options, bundle) {
    runtimeExports = new Set(bundle['index.js'].exports);
  },
};
/**
 * `export type * from '@xunshi/types'` re-exports that package's constants and helpers for type positions only
 * (`typeof CATEGORY_IDS`), but rollup-plugin-dts drops the `type` and lists them with the values: a consumer's code
 * would compile against exports the bundle does not have. Names the bundle does not export move to `export type`.
 */
const typeOnlyExports = {
  name: 'type-only-exports',
  renderChunk(code) {
    if (runtimeExports === undefined) throw new Error('rollup: the declarations are bundled before the code whose exports they must match');
    return code.replace(/^export \{ ([^}]*) \};$/m, (_line, list) => {
      const names = list.split(', ');
      const values = names.filter((n) => runtimeExports.has(n));
      const types = names.filter((n) => !runtimeExports.has(n));
      return `export { ${values.join(', ')} };${types.length ? `\nexport type { ${types.join(', ')} };` : ''}`;
    });
  },
};

// The compiled workspace code, not its TypeScript sources: the bundle is what the tests ran.
const resolve = nodeResolve({ exportConditions: ['node', 'import', 'default'], preferBuiltins: true });

export default [
  {
    input: { index: 'dist/index.js', worker: 'dist/worker.js', xunshi: 'bin/xunshi.js' },
    external,
    plugins: [resolve, recordExports],
    output: {
      dir: 'lib',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      generatedCode: 'es2015',
    },
    onwarn(warning) {
      // A warning is a bundle that may not behave like the tested code: stop.
      throw new Error(`rollup: ${warning.message}`);
    },
  },
  {
    input: { index: 'dist/index.d.ts' },
    external,
    plugins: [dts({ respectExternal: true, compilerOptions: { customConditions: [] } }), typeOnlyExports],
    output: { dir: 'lib', format: 'es' },
  },
];
