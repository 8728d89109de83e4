// What reaches the terminal from untrusted input: report text and file names are shown, never obeyed. A name or a
// text holding ESC (colours, cursor moves, titles, hyperlinks, clipboard writes), CR, a newline or a bidi override
// is printed with those characters escaped, in the summary and in the messages on standard error.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const REPORT = '巡视反馈情况的通报\n\n一、存在的主要问题\n\n违规收受礼品礼金，涉及金额12.5万元，3名干部受到处分。\n';
/** Anything a terminal acts on: C0 controls but the newline, DEL, C1 controls, bidi overrides. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function run(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('terminal safety of the summary and of standard error', () => {
  it('escapes control characters of file names and of report text', () => {
    const root = mkdtempSync(join(tmpdir(), 'xunshi-term-'));
    const dir = join(root, 'in');
    mkdirSync(dir);
    writeFileSync(join(dir, 'title\u001b]0;PWNED\u0007.txt'), REPORT);
    writeFileSync(join(dir, 'cr\rFAKE.txt'), REPORT);
    writeFileSync(join(dir, 'nl\nxunshi: fake line.txt'), REPORT);
    writeFileSync(join(dir, 'empty\u001b[31mred.txt'), '');
    writeFileSync(join(dir, 'skip\u001b[2Jme.pptx'), 'x');
    // An evidence phrase across a cursor-up and erase-line: a pattern's gap takes any character but punctuation.
    writeFileSync(join(dir, 'text.txt'), '巡视整改进展情况的通报\n\n一、存在的主要问题\n\n巡视发现，查处了\u001b[1A\u001b[K3名干部。\n');
    const r = run(['analyze', 'in', 'in/text.txt', '--jobs', '1'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('查处了\\x1b[1A\\x1b[K3名');
    expect(r.stdout).toContain('in/title\\x1b]0;PWNED\\x07.txt');
    expect(r.stdout).toContain('in/cr\\rFAKE.txt');
    expect(r.stdout).toContain('in/nl\\nxunshi: fake line.txt');
    expect(r.stdout).toContain('in/empty\\x1b[31mred.txt');
    // One line per message: a newline in a name cannot make up a line of its own.
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'xunshi: 1 input(s) named more than once were analysed once: in/text.txt',
      expect.stringContaining('(first: in/skip\\x1b[2Jme.pptx)'),
      'in/empty\\x1b[31mred.txt: the file is empty (0 bytes) [XUNSHI_INPUT_EMPTY]',
    ]);
    expect(r.stdout.split('\n').some((l) => l.startsWith('xunshi: fake'))).toBe(false);
  });

  it('a standard error nobody reads (a closed pipe) loses its messages, not the batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-term-'));
    for (const name of ['a.txt', 'c.txt', 'e.txt']) writeFileSync(join(dir, name), REPORT);
    for (const name of ['b.txt', 'd.txt']) writeFileSync(join(dir, name), '');
    const child = spawn(process.execPath, [BIN, 'analyze', '.', '--format', 'jsonl', '--jobs', '1'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closed before the CLI starts: its first message meets EPIPE.
    child.stderr.destroy();
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { error?: { path: string }; source?: { path: string } }).error?.path ?? 'report')).toEqual(['report', 'b.txt', 'report', 'd.txt', 'report']);
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('fits the summary into the width of the terminal it is printed on, and cuts nothing on a pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-term-'));
    writeFileSync(join(dir, 'a.txt'), REPORT);
    // A table's rule line (─ and spaces, one column each) is as wide as the table.
    const widest = (text: string): number => Math.max(...text.split(/\r?\n/).filter((l) => /^[─ ]+$/.test(l)).map((l) => l.length));
    // The category table (label 纪律建设与反腐败 Discipline and anti-corruption) is 90 columns wide.
    const piped = run(['analyze', 'a.txt'], dir);
    expect(piped.code).toBe(0);
    expect(widest(piped.stdout)).toBeGreaterThan(80);
    expect(piped.stdout).not.toContain('…');
    for (const cols of [60, 80]) {
      const r = spawnSync('script', ['-qec', `stty cols ${cols}; '${process.execPath}' '${BIN}' analyze a.txt`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('xunshi summary: 1 document(s) analysed');
      expect(r.stdout).toContain('…');
      expect(widest(r.stdout)).toBeLessThanOrEqual(cols);
    }
  });
});

describe('terminal safety of the tools that quote gold texts and rule examples', () => {
  it('eval --worst, rules suggest and rules test escape the control characters of the texts they quote', () => {
    const root = mkdtempSync(join(tmpdir(), 'xunshi-term-tools-'));
    const gold = join(root, 'gold');
    mkdirSync(gold);
    const text = '巡视发现，部分单位违规发放津补贴\u001b[2J\u001b]52;c;cHduZWQ=\u0007共计18万元。\n';
    const unitText = text.trimEnd();
    writeFileSync(join(gold, 'a.txt'), text);
    writeFileSync(join(gold, 'a.gold.json'), JSON.stringify({ doc: 'a.txt', units: [{ i: 0, start: 0, end: unitText.length, text: unitText, function: 'context', categories: [], rootCauses: [] }] }));
    writeFileSync(join(gold, 'index.tsv'), 'id\tkind\na\tfeedback\n');
    const evalRun = run(['eval', '--gold', gold, '--worst', '5'], root);
    expect(evalRun.code).toBe(0);
    expect(evalRun.stdout).toContain('\\x1b[2J');
    const suggest = run(['rules', 'suggest', '--gold', gold, '--label', 'conduct', '--top', '5'], root);
    const rules = join(root, 'rules');
    mkdirSync(join(rules, 'categories'), { recursive: true });
    writeFileSync(
      join(rules, 'categories', 'conduct.yaml'),
      'rules:\n  - id: paper\n    kind: terms\n    category: conduct.formalism\n    terms: [以文件落实文件]\n    examples:\n      match: ["没有这个词\\e[2J"]\n      noMatch: [严格执行制度]\n',
    );
    const test = run(['rules', 'test', '--rules', rules, '--extend-rules'], root);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('\\x1b[2J');
    for (const r of [evalRun, suggest, test]) {
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stderr).not.toMatch(RAW_CONTROL);
    }
  });
});
