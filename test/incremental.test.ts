import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REPO_DIR } from './support/shared.js';

const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const SAMPLES = ['feedback-02.txt', 'analysis-02.md', 'rectification-05-gbk.txt', 'negative-01.txt'];

let dir: string;
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `root` (hidden ones too) with its bytes and inode, by path. */
function snapshot(root: string): Map<string, { text: string; ino: number }> {
  const out = new Map<string, { text: string; ino: number }>();
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const full = join(root, name);
    if (statSync(full).isFile()) out.set(name, { text: readFileSync(full, 'utf8'), ino: statSync(full).ino });
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xunshi-incremental-e2e-'));
  mkdirSync(join(dir, 'in/sub'), { recursive: true });
  for (const name of SAMPLES) cpSync(join(REPO_DIR, 'corpus/tuning', name), join(dir, 'in', name === 'negative-01.txt' ? `sub/${name}` : name));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('xunshi analyze --incremental', () => {
  it('keeps the reports of inputs unchanged since the run that wrote them, analyses the changed and new ones, and the folder ends as a full run leaves it', () => {
    const first = cli(['analyze', 'in', '--format', 'json', '--out', 'out', '--jobs', '1', '--quiet']);
    expect(first.code).toBe(0);
    const written = snapshot(join(dir, 'out'));
    // A folder of reports records what it holds; `*.json` still lists reports only.
    expect([...written.keys()].sort()).toEqual(['.xunshi-manifest.json', 'analysis-02.json', 'errors.jsonl', 'feedback-02.json', 'rectification-05-gbk.json', 'sub/negative-01.json']);
    const manifest = JSON.parse(written.get('.xunshi-manifest.json')!.text) as { reports: Record<string, { path: string; input: string; format: string }> };
    expect(manifest.reports['sub/negative-01.json']).toMatchObject({ path: 'in/sub/negative-01.txt', format: 'text' });
    expect(manifest.reports['feedback-02.json']!.input).toBe(JSON.parse(written.get('feedback-02.json')!.text).source.sha256);

    // Nothing changed: every report kept, no report rewritten (same inodes; the error list and the manifest are written
    // again, the same bytes), with two jobs as with one.
    const again = cli(['analyze', 'in', '--format', 'json', '--out', 'out', '--incremental']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('xunshi: --incremental: kept 4 report(s) of out whose inputs are unchanged, analysed 0');
    const kept = snapshot(join(dir, 'out'));
    expect([...kept.keys()]).toEqual([...written.keys()]);
    for (const [name, file] of written) {
      expect(kept.get(name)!.text, name).toBe(file.text);
      if (name.endsWith('.json') && !name.startsWith('.')) expect(kept.get(name)!.ino, name).toBe(file.ino);
    }

    // One input changed, one added, one report file edited by hand: those three analysed, the rest kept.
    appendFileSync(join(dir, 'in/feedback-02.txt'), '五是部分党员干部纪律意识淡薄，违规收受礼品礼金。\n');
    cpSync(join(REPO_DIR, 'corpus/tuning/feedback-03.txt'), join(dir, 'in/feedback-03.txt'));
    writeFileSync(join(dir, 'out/analysis-02.json'), '{}\n');
    const third = cli(['analyze', 'in', '--format', 'json', '--out', 'out', '--incremental', '--jobs', '1']);
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('kept 2 report(s) of out whose inputs are unchanged, analysed 3');
    const after = snapshot(join(dir, 'out'));
    expect(after.get('rectification-05-gbk.json')).toEqual(written.get('rectification-05-gbk.json'));
    expect(after.get('sub/negative-01.json')).toEqual(written.get('sub/negative-01.json'));
    expect(after.get('analysis-02.json')!.text).toBe(written.get('analysis-02.json')!.text);
    expect(after.get('feedback-02.json')!.text).not.toBe(written.get('feedback-02.json')!.text);

    // The same folder written from scratch: the same bytes, the manifest included.
    // A run of part of the folder: the reports of the other inputs are named and left as they are.
    const part = cli(['analyze', 'in/sub', 'in/feedback-03.txt', '--format', 'json', '--out', 'out', '--incremental', '--jobs', '1']);
    expect(part.stderr).toContain('kept 2 report(s) of out whose inputs are unchanged, analysed 0');
    expect(part.stderr).toContain('xunshi: --incremental: 3 report(s) of out are of inputs not in this run (first: analysis-02.json); left as they are');
    const fresh = cli(['analyze', 'in', '--format', 'json', '--out', 'fresh', '--jobs', '1', '--quiet']);
    expect(fresh.code).toBe(0);
    const scratch = snapshot(join(dir, 'fresh'));
    expect(new Map([...after].map(([k, v]) => [k, v.text]))).toEqual(new Map([...scratch].map(([k, v]) => [k, v.text])));
  });

  it('keeps nothing, and says why, when the rules, the reading options or the spelling of an input differ; a text input is kept whether or not --ocr is given', () => {
    cli(['analyze', 'in', '--format', 'json', '--out', 'opts', '--jobs', '1', '--quiet']);
    const encoding = cli(['analyze', 'in', '--format', 'json', '--out', 'opts', '--incremental', '--encoding', 'gb18030', '--jobs', '1']);
    expect(encoding.stderr).toContain("xunshi: --incremental: opts's reports were written by another build of xunshi, with other rules, or with another --format, --encoding or --format-in; every input is analysed");
    // That run wrote the folder under its own key; back to the detected encoding, nothing is kept again.
    cli(['analyze', 'in', '--format', 'json', '--out', 'opts', '--jobs', '1', '--quiet']);
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-incremental-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    appendFileSync(join(rules, 'lexicon/domain.txt'), '\n巡察整改回头看 5 n\n');
    const otherRules = cli(['analyze', 'in', '--format', 'json', '--out', 'opts', '--incremental', '--rules', rules, '--jobs', '1']);
    expect(otherRules.stderr).toContain('analysed 5');
    rmSync(rules, { recursive: true, force: true });
    cli(['analyze', 'in', '--format', 'json', '--out', 'opts', '--jobs', '1', '--quiet']);
    // The reports name their inputs as spelt: the folder by its absolute path, every report is another's.
    const spelt = cli(['analyze', join(dir, 'in'), '--format', 'json', '--out', 'opts', '--incremental', '--jobs', '1']);
    expect(spelt.stderr).toContain('kept 0 report(s) of opts whose inputs are unchanged, analysed 5');
    expect(JSON.parse(readFileSync(join(dir, 'opts/feedback-02.json'), 'utf8')).source.path).toBe(join(dir, 'in/feedback-02.txt'));
    const ocr = cli(['analyze', join(dir, 'in'), '--format', 'json', '--out', 'opts', '--incremental', '--ocr', '--jobs', '1']);
    expect(ocr.stderr).toContain('kept 5 report(s) of opts whose inputs are unchanged, analysed 0');
  });

  it('forgets a report whose input now fails, and analyses it again once it reads', () => {
    mkdirSync(join(dir, 'fail'));
    cpSync(join(REPO_DIR, 'corpus/tuning/feedback-04.txt'), join(dir, 'fail/a.txt'));
    expect(cli(['analyze', 'fail', '--format', 'json', '--out', 'fail-out', '--jobs', '1', '--quiet']).code).toBe(0);
    const good = readFileSync(join(dir, 'fail/a.txt'));
    writeFileSync(join(dir, 'fail/a.txt'), '');
    const failed = cli(['analyze', 'fail', '--format', 'json', '--out', 'fail-out', '--incremental', '--jobs', '1']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('kept 0 report(s) of fail-out whose inputs are unchanged, analysed 0, 1 failed');
    expect(JSON.parse(readFileSync(join(dir, 'fail-out/.xunshi-manifest.json'), 'utf8')).reports).toEqual({});
    writeFileSync(join(dir, 'fail/a.txt'), good);
    const back = cli(['analyze', 'fail', '--format', 'json', '--out', 'fail-out', '--incremental', '--jobs', '1']);
    expect(back.stderr).toContain('kept 0 report(s) of fail-out whose inputs are unchanged, analysed 1');
  });

  it('keeps HTML pages too, and the index lists them as a full run does', () => {
    const first = cli(['analyze', 'in', '--format', 'html', '--out', 'html', '--jobs', '1', '--quiet']);
    expect(first.code).toBe(0);
    const written = snapshot(join(dir, 'html'));
    const again = cli(['analyze', 'in', '--format', 'html', '--out', 'html', '--incremental', '--jobs', '2']);
    expect(again.stderr).toContain('kept 5 report(s) of html whose inputs are unchanged, analysed 0');
    const kept = snapshot(join(dir, 'html'));
    for (const [name, file] of written) {
      expect(kept.get(name)!.text, name).toBe(file.text);
      // The index and the manifest are written again (the same bytes); the pages are left as they were.
      if (name.endsWith('.html') && name !== 'index.html') expect(kept.get(name)!.ino, name).toBe(file.ino);
    }
    // A JSON run into the same folder writes under another key: nothing of the HTML run is taken for it.
    const json = cli(['analyze', 'in', '--format', 'json', '--out', 'html', '--incremental', '--jobs', '1']);
    expect(json.stderr).toContain('another --format');
  });

  it('is refused, before anything is read, without a folder of reports to keep', () => {
    for (const args of [['--format', 'jsonl'], ['--format', 'json'], ['--format', 'csv', '--out', 'x.csv'], ['--out', 'summary.txt']]) {
      const r = cli(['analyze', 'in', '--incremental', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--incremental keeps the reports an --out folder already holds: give --format json or --format html with --out DIR/);
    }
    // The manifest is one of the folder's own files: an input it would overwrite is refused as the others are.
    const clash = cli(['analyze', 'out/.xunshi-manifest.json', '--format-in', 'text', '--format', 'json', '--out', 'out']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--out would overwrite the input out\/\.xunshi-manifest\.json/);
  });
});

describe('an interrupted run, run again with --incremental', () => {
  it('keeps the reports finished before the interrupt and analyses the rest', async () => {
    const work = join(dir, 'interrupt');
    mkdirSync(join(work, 'in'), { recursive: true });
    const report = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-01.txt'), 'utf8');
    // Large reports: the first is written seconds before the last is done.
    for (let i = 0; i < 4; i++) writeFileSync(join(work, `in/${i}.txt`), `${i}\n${report.repeat(Math.ceil(1e6 / Buffer.byteLength(report)))}`);
    const child = spawn(process.execPath, [BIN, 'analyze', 'in', '--format', 'json', '--out', 'out', '--jobs', '1'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const started = Date.now();
    while (!existsSync(join(work, 'out/0.json'))) {
      if (Date.now() - started > 60_000) throw new Error('the batch never wrote a report');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT; the \d input\(s\) finished are in out with their error list \(the same command with --incremental goes on from there\)/);
    const finished = Object.keys(JSON.parse(readFileSync(join(work, 'out/.xunshi-manifest.json'), 'utf8')).reports as object).length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(4);
    const r = spawnSync(process.execPath, [BIN, 'analyze', 'in', '--format', 'json', '--out', 'out', '--jobs', '1', '--incremental'], { cwd: work, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`xunshi: --incremental: kept ${finished} report(s) of out whose inputs are unchanged, analysed ${4 - finished}\n`);
    expect(readdirSync(join(work, 'out')).sort()).toEqual(['.xunshi-manifest.json', '0.json', '1.json', '2.json', '3.json', 'errors.jsonl']);
  }, 180_000);
});

describe('--incremental against a full run (property)', () => {
  it('after any edits of the inputs and the folder, a run with --incremental leaves every report a full run writes, byte for byte', async () => {
    const { runMain } = await import('./support/run-main.js');
    const lines = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 24);
    const op = fc.oneof(
      // twin / untwin: a Markdown file of the same name added or removed beside rN.txt, whose report is then written as
      // rN.txt.json instead of rN.json (or back).
      fc.record({ kind: fc.constantFrom('edit', 'remove', 'tamper', 'drop', 'empty', 'twin', 'untwin'), i: fc.nat(3), line: fc.nat(lines.length - 1) }),
      fc.record({ kind: fc.constant('add'), i: fc.nat(4), line: fc.nat(lines.length - 1) }),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), async (steps) => {
        const base = join(dir, `property-${round++}`);
        const inDir = join(base, 'in');
        const out = join(base, 'out');
        mkdirSync(inDir, { recursive: true });
        for (let i = 0; i < 3; i++) writeFileSync(join(inDir, `r${i}.txt`), `${lines.slice(i * 3, i * 3 + 3).join('\n')}\n`);
        expect((await runMain(['analyze', inDir, '--format', 'json', '--out', out, '--jobs', '1', '--quiet'])).code).toBe(0);
        for (const ops of steps) {
          for (const { kind, i, line } of ops) {
            const input = join(inDir, `r${i}.txt`);
            const report = join(out, `r${i}.json`);
            if (kind === 'add' || kind === 'edit') appendFileSync(input, `${lines[line]}\n`);
            else if (kind === 'remove') rmSync(input, { force: true });
            else if (kind === 'empty' && existsSync(input)) writeFileSync(input, '');
            else if (kind === 'tamper' && existsSync(report)) writeFileSync(report, '{}\n');
            else if (kind === 'drop') rmSync(report, { force: true });
            else if (kind === 'twin') writeFileSync(join(inDir, `r${i}.md`), `${lines[line]}\n`);
            else if (kind === 'untwin') rmSync(join(inDir, `r${i}.md`), { force: true });
          }
          if (readdirSync(inDir).length === 0) writeFileSync(join(inDir, 'r0.txt'), `${lines[0]}\n`);
          await runMain(['analyze', inDir, '--format', 'json', '--out', out, '--jobs', '1', '--incremental', '--quiet']);
        }
        const fresh = join(base, 'fresh');
        await runMain(['analyze', inDir, '--format', 'json', '--out', fresh, '--jobs', '1', '--quiet']);
        const manifestOf = (folder: string): Record<string, unknown> => JSON.parse(readFileSync(join(folder, '.xunshi-manifest.json'), 'utf8')).reports;
        const kept = manifestOf(out);
        const full = manifestOf(fresh);
        for (const [name, entry] of Object.entries(full)) {
          expect(readFileSync(join(out, name), 'utf8'), name).toBe(readFileSync(join(fresh, name), 'utf8'));
          expect(kept[name], name).toEqual(entry);
        }
        // Any other entry is a report of an input removed since (left as it is), never of one that failed.
        for (const [name, entry] of Object.entries(kept)) if (!(name in full)) expect(existsSync((entry as { path: string }).path), name).toBe(false);
        expect(readFileSync(join(out, 'errors.jsonl'), 'utf8').replaceAll(out, '')).toBe(readFileSync(join(fresh, 'errors.jsonl'), 'utf8').replaceAll(fresh, ''));
      }),
      { numRuns: 20 },
    );
  }, 300_000);
});
