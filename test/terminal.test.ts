// On a terminal: the progress bar is drawn on standard error only when the output does not go to the same terminal,
// since its redraws would land between the output's lines. `script` (util-linux) gives the CLI a pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.warn('test/terminal.test.ts: skipped, no `script` command (util-linux) to run the CLI on a pseudo-terminal');

/** Run the CLI with its standard output and error on one pseudo-terminal; what the terminal received. */
function onTerminal(args: string[]): string {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: REPO_DIR, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.skipIf(!hasScript)('the CLI on a terminal', () => {
  const inputs = ['corpus/tuning/feedback-01.txt', 'corpus/tuning/feedback-02.txt', 'corpus/tuning/analysis-01.txt'];
  it('draws no bar when the reports go to the terminal too, so every output line is whole', () => {
    const text = onTerminal(['analyze', ...inputs, '--format', 'jsonl', '--jobs', '1']);
    expect(text).not.toContain('files/s');
    const lines = text.split(/\r?\n/).filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
  it('draws the bar when the reports go to a file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'xunshi-tty-')), 'out.jsonl');
    const text = onTerminal(['analyze', ...inputs, '--format', 'jsonl', '--jobs', '1', '--out', out]);
    expect(text).toContain('files/s');
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
