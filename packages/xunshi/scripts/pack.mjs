// `pnpm pack` of xunshi: `prepack` builds the workspace (tsc -b), bundles it into lib/ (rollup.config.mjs) and copies
// the shipped rules beside it (rules/) and the tokenizer's stand-in dictionary tables (dict/, found next to the bundled
// segmenter as `../dict/`); `postpack` removes them all, so nothing generated lingers in the package folder.
// The packed manifest takes `exports`, `types` and `bin` from `publishConfig` (lib/); the workspace keeps dist/ and bin/.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const generated = ['lib', 'rules', 'dict'].map((d) => pkg + d);

async function prepack() {
  for (const dir of generated) rmSync(dir, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-b', `${root}tsconfig.json`], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`tsc -b failed (exit ${built.status ?? built.signal})`);
  // Rollup resolves the config's relative inputs from the working directory: the package folder.
  process.chdir(pkg);
  const { default: configs } = await import('../rollup.config.mjs');
  for (const config of configs) {
    const bundle = await rollup(config);
    try {
      await bundle.write(config.output);
    } finally {
      await bundle.close();
    }
  }
  cpSync(`${root}rules`, `${pkg}rules`, { recursive: true });
  cpSync(`${root}packages/tokenizer/dict`, `${pkg}dict`, { recursive: true });
}

function postpack() {
  for (const dir of generated) rmSync(dir, { recursive: true, force: true });
}

const step = process.argv[2];
if (step === 'prepack') await prepack();
else if (step === 'postpack') postpack();
else throw new Error(`usage: node scripts/pack.mjs prepack|postpack (got ${step})`);
