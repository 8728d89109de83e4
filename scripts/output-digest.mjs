#!/usr/bin/env node
// Print one line per input: "sha256  path" of its Report as JSON, with the tool block (version, ruleset hash) left out,
// so that two checkouts can be compared for byte-identical analysis output:
//   node scripts/output-digest.mjs corpus ../shared/corpus/dev > before.txt   (on the old commit)
//   node scripts/output-digest.mjs corpus ../shared/corpus/dev | diff before.txt -
import { createHash } from 'node:crypto';
import { analyzeFiles } from 'xunshi';

const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  console.error('usage: node scripts/output-digest.mjs INPUT...');
  process.exit(2);
}
const lines = [];
await analyzeFiles(inputs, (r) => {
  if ('report' in r) {
    const { tool, ...rest } = r.report;
    lines.push(`${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}  ${r.report.source.path}`);
  } else {
    lines.push(`error ${r.error.code}  ${r.error.path}`);
  }
}, { jobs: 1 });
process.stdout.write(lines.join('\n') + '\n');
