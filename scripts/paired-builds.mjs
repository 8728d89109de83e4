#!/usr/bin/env node
// Score two builds of xunshi on the same gold and give the difference with 95% paired intervals over documents: what
// `xunshi eval --versus RULES` does for a rule change, for a change of the engine or of the models' features, where
// the other rules folder is not enough (it would be read by this build's engine). The other build is a second
// checkout (say of the commit before the change) with its own `pnpm install && pnpm build`; each build's analyzer (and,
// with --out-of-fold, its refitting) is its own, the scoring is this build's for both.
//   node scripts/paired-builds.mjs OTHER_CHECKOUT --gold DIR [--part PART] [--out-of-fold DIR]...
// e.g. git worktree add /tmp/before HEAD~1 && (cd /tmp/before && pnpm install && pnpm build)
//      node scripts/paired-builds.mjs /tmp/before --gold ../shared/corpus/real --part tuning \
//        --out-of-fold ../shared/corpus/dev --out-of-fold ../shared/corpus/real
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { gold: { type: 'string' }, part: { type: 'string' }, 'out-of-fold': { type: 'string', multiple: true } },
});
const usage = 'usage: node scripts/paired-builds.mjs OTHER_CHECKOUT --gold DIR [--part PART] [--out-of-fold DIR]...';
if (positionals.length !== 1 || !values.gold) {
  console.error(usage);
  process.exit(2);
}
const outOfFold = values['out-of-fold'] ?? [];
const here = resolve(new URL('..', import.meta.url).pathname);
const other = resolve(positionals[0]);
const load = async (root, path) => {
  const file = resolve(root, path);
  if (!existsSync(file)) {
    console.error(`${file} is missing: build that checkout first (pnpm install && pnpm build)`);
    process.exit(2);
  }
  return import(pathToFileURL(file).href);
};
const builds = await Promise.all(
  [here, other].map(async (root) => ({ root, xunshi: await load(root, 'packages/xunshi/dist/index.js'), evalLib: await load(root, 'packages/eval/dist/index.js') })),
);
const { evaluateGold, formatHeadline, formatPairedIntervals, pairedIntervals } = builds[0].evalLib;
const part = values.part !== undefined ? { part: values.part } : {};
const results = builds.map(({ root, xunshi, evalLib }) => {
  const own = xunshi.createAnalyzer({});
  const analyzer = outOfFold.length ? evalLib.createOutOfFoldAnalyzer(own, outOfFold).analyzer : own;
  const r = evaluateGold(analyzer, values.gold, { worst: 0, ...part, keepCounts: true });
  console.log(`${root}${outOfFold.length ? ' (out of fold)' : ''}: ${formatHeadline(r.overall)}`);
  for (const [kind, figures] of Object.entries(r.perKind ?? {})) console.log(`  ${kind.padEnd(14)} ${formatHeadline(figures)}`);
  return r;
});
console.log(formatPairedIntervals(pairedIntervals(results[0].perDocumentCounts, results[1].perDocumentCounts, { resamples: 1000 }), 'this build minus the other'));
