import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from 'xunshi';
import { parseCsv } from './support/csv.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'packages/xunshi/bin/xunshi.js');
const IS_ROOT = process.getuid?.() === 0;

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI in `cwd`; resolves when it exits. */
function runCli(args: string[], options: { cwd: string; input?: string; onSpawn?: (pid: number) => void }): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
  });
}

/** What each input of the generated batch must become: a report, or an error entry with this code. */
type Expected = 'report' | string;

let work: string;
const expected = new Map<string, Expected>();
let good = 0;
let runJobs1: CliRun;
let runJobs4: CliRun;
let bytesJobs1: Buffer;
let bytesJobs4: Buffer;
let lines: Record<string, any>[];
const HUGE = 'batch/region-3/huge.txt';

/** Paragraph windows of the project's own sample reports: realistic text, small enough for a fast batch. */
function readSampleChunks(): string[] {
  const chunks: string[] = [];
  for (const dir of ['corpus/tuning', 'corpus/held-out']) {
    for (const name of readdirSync(join(REPO, dir)).sort()) {
      if (!/\.(txt|md)$/.test(name) || /gbk|trad/.test(name)) continue;
      const paras = readFileSync(join(REPO, dir, name), 'utf8').split('\n').filter((l) => l.trim());
      for (let i = 0; i < paras.length; i += 3) chunks.push(paras.slice(i, i + 3).join('\n') + '\n');
    }
  }
  return chunks;
}

function put(path: string, content: string | Uint8Array, expect: Expected): void {
  mkdirSync(join(work, dirname(path)), { recursive: true });
  writeFileSync(join(work, path), content);
  expected.set(path, expect);
  if (expect === 'report') good++;
}

/** Order of a folder walk: path segments compared by code units. */
function compareWalkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

const pathOf = (line: Record<string, any>): string => (line.error ? line.error.path : line.source.path);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'xunshi-batch-'));
  const chunks = readSampleChunks();
  for (let i = 0; i < 320; i++) {
    const md = i % 5 === 0;
    const name = `batch/region-${i % 4}/year-${2020 + (i % 3)}/doc-${String(i).padStart(3, '0')}.${md ? 'md' : 'txt'}`;
    const body = chunks[i % chunks.length]!;
    put(name, md ? `# 巡察反馈摘录 ${i}\n\n${body}` : `${body}（编号 ${i}）\n`, 'report');
  }
  put('batch/region-0/empty.txt', '', ERROR_CODES.INPUT_EMPTY);
  put('batch/region-1/blank.md', '  \n\n\t\n', ERROR_CODES.INPUT_EMPTY);
  put('batch/region-1/year-2020/scan.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), ERROR_CODES.INPUT_BINARY);
  put('batch/region-2/gbk.txt', readFileSync(join(REPO, 'corpus/tuning/rectification-05-gbk.txt')), 'report');
  put('batch/region-2/trad.txt', readFileSync(join(REPO, 'corpus/tuning/feedback-07-trad.txt')), 'report');
  put('batch/region-3/broken.txt', Buffer.concat([Buffer.from('巡察发现问题'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('整改\n')]), ERROR_CODES.INPUT_UNDECODABLE);
  const report = readFileSync(join(REPO, 'corpus/tuning/feedback-01.txt'), 'utf8');
  put(HUGE, report.repeat(Math.ceil(5.4e6 / Buffer.byteLength(report))), 'report');
  put('batch/region-0/locked.txt', chunks[0]!, IS_ROOT ? 'report' : ERROR_CODES.INPUT_UNREADABLE);
  chmodSync(join(work, 'batch/region-0/locked.txt'), 0o000);
  symlinkSync(join(work, 'batch/nowhere.txt'), join(work, 'batch/region-3/gone.txt'));
  expected.set('batch/region-3/gone.txt', ERROR_CODES.INPUT_UNREADABLE);
  // In a folder, other kinds are left out; named explicitly (below), they are error entries.
  writeFileSync(join(work, 'batch/region-1/index.json'), '{"id": 1}\n');
  writeFileSync(join(work, 'batch/region-0/notes.pptx'), 'PK\u0003\u0004');

  const args = (out: string, jobs: number): string[] => ['analyze', 'batch', 'batch/region-0/notes.pptx', '--format', 'jsonl', '--out', out, '--jobs', String(jobs), '--quiet'];
  runJobs1 = await runCli(args('jobs1.jsonl', 1), { cwd: work });
  runJobs4 = await runCli(args('jobs4.jsonl', 4), { cwd: work });
  bytesJobs1 = readFileSync(join(work, 'jobs1.jsonl'));
  bytesJobs4 = readFileSync(join(work, 'jobs4.jsonl'));
  lines = bytesJobs1.toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('xunshi analyze on a generated batch of 330 inputs', () => {
  it('is a batch of the size and kinds the issue asks for', () => {
    expect(expected.size).toBeGreaterThanOrEqual(300);
    expect(statSync(join(work, HUGE)).size).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('exits 1 because some inputs failed, and writes nothing on stdout or stderr with --quiet and --out', () => {
    for (const run of [runJobs1, runJobs4]) {
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('');
      expect(run.code).toBe(1);
    }
  });

  it('writes byte-identical output with --jobs 1 and --jobs 4', () => {
    expect(bytesJobs4.length).toBe(bytesJobs1.length);
    expect(bytesJobs4.equals(bytesJobs1)).toBe(true);
  });

  it('gives every good file its report and every bad one its error entry, once each', () => {
    const byPath = new Map(lines.map((l) => [pathOf(l), l]));
    expect(lines).toHaveLength(expected.size + 1);
    expect(byPath.size).toBe(lines.length);
    for (const [path, want] of expected) {
      const line = byPath.get(path);
      expect(line, path).toBeDefined();
      if (want === 'report') {
        expect(line!.error, path).toBeUndefined();
        expect(line!.schemaVersion).toBe(1);
        expect(line!.passages.length, path).toBeGreaterThan(0);
      } else {
        expect(line!.error, path).toMatchObject({ path, code: want });
        expect(line!.error.message.length).toBeGreaterThan(5);
      }
    }
    expect(byPath.get('batch/region-0/notes.pptx')!.error).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, message: expect.stringMatching(/\.txt.*\.md/) });
    expect(byPath.has('batch/region-1/index.json')).toBe(false);
    expect(lines.filter((l) => !l.error)).toHaveLength(good);
  });

  it('decodes GBK, detects traditional script and analyses the huge file completely', () => {
    const byPath = new Map(lines.map((l) => [pathOf(l), l]));
    expect(byPath.get('batch/region-2/gbk.txt')!.source.encoding).toBe('gb18030');
    expect(byPath.get('batch/region-2/trad.txt')!.source.script).toBe('traditional');
    const huge = byPath.get(HUGE)!;
    expect(huge.source.length).toBe(readFileSync(join(work, HUGE), 'utf8').length);
    expect(huge.passages.at(-1).end).toBeLessThanOrEqual(huge.source.length);
    expect(byPath.get('batch/region-3/broken.txt')!.error).toMatchObject({ line: 1 });
  });

  it('keeps input order: folders walked in sorted order, then the explicitly named file', () => {
    const paths = lines.map(pathOf);
    expect(paths.at(-1)).toBe('batch/region-0/notes.pptx');
    const walked = paths.slice(0, -1);
    expect(walked).toEqual([...walked].sort(compareWalkOrder));
  });

  it('leaves no temporary files next to the outputs', () => {
    expect(readdirSync(work).sort()).toEqual(['batch', 'jobs1.jsonl', 'jobs4.jsonl']);
  });
});

describe('xunshi analyze output formats', () => {
  it('--format json --out DIR writes one NAME.json per input, mirroring the tree, and errors.jsonl', async () => {
    const run = await runCli(['analyze', 'batch/region-2', 'batch/region-1', '--format', 'json', '--out', 'json-out', '--jobs', '1'], { cwd: work });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^batch\/region-1\/blank\.md: .* \[XUNSHI_INPUT_EMPTY\]$/m);
    expect(run.stderr).toMatch(/^batch\/region-1\/year-2020\/scan\.txt: .* \[XUNSHI_INPUT_BINARY\]$/m);
    const jsonl = new Map(lines.map((l) => [pathOf(l), l]));
    let files = 0;
    for (const [path, want] of expected) {
      const m = /^batch\/(region-[12])\/(.*)\.(txt|md)$/.exec(path);
      if (!m) continue;
      const out = join(work, 'json-out', m[1]!, `${m[2]}.json`);
      if (want === 'report') {
        const text = readFileSync(out, 'utf8');
        expect(text.endsWith('\n')).toBe(true);
        expect(JSON.parse(text)).toEqual(jsonl.get(path));
        files++;
      } else {
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(files).toBeGreaterThan(150);
    const errors = readFileSync(join(work, 'json-out/errors.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).error);
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ['batch/region-1/blank.md', ERROR_CODES.INPUT_EMPTY],
      ['batch/region-1/year-2020/scan.txt', ERROR_CODES.INPUT_BINARY],
    ]);
  });

  it('--format csv writes a BOM, the header and one row per passage; --per document one row per document', async () => {
    const run = await runCli(['analyze', 'batch/region-1', '--format', 'csv', '--jobs', '1', '--quiet'], { cwd: work });
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('\uFEFFdocument,passage,start,end,function,categories,subcategories,root_causes,scores,page,cell,column_header,heading_path,text\r\n')).toBe(true);
    const rows = parseCsv(run.stdout.slice(1));
    const region = lines.filter((l) => pathOf(l).startsWith('batch/region-1/'));
    const passages = region.reduce((n, l) => n + (l.passages?.length ?? 1), 0);
    expect(rows).toHaveLength(1 + passages);
    expect(rows.every((r) => r.length === 14)).toBe(true);
    const first = region.find((l) => !l.error)!;
    const p = first.passages[0];
    expect(rows.find((r) => r[0] === first.source.path && r[1] === p.id)!.slice(2, 5)).toEqual([String(p.start), String(p.end), p.function]);
    // heading_path: the passage's headings joined by ' > ', for a passage under two headings or more.
    const deep = region.flatMap((l) => (l.error ? [] : l.passages.filter((q) => q.headingPath.length >= 2).map((q) => ({ path: l.source.path, q }))))[0]!;
    expect(deep).toBeDefined();
    expect(rows.find((r) => r[0] === deep.path && r[1] === deep.q.id)![12]).toBe(deep.q.headingPath.join(' > '));
    expect(rows.find((r) => r[0] === 'batch/region-1/year-2020/scan.txt')).toEqual(['batch/region-1/year-2020/scan.txt', '', '', '', 'error', '', '', '', '', '', '', '', '', expect.stringMatching(/\[XUNSHI_INPUT_BINARY\]$/)]);

    const perDoc = await runCli(['analyze', 'batch/region-1', '--format', 'csv', '--per', 'document', '--out', 'docs.csv', '--jobs', '1', '--quiet'], { cwd: work });
    expect(perDoc.code).toBe(1);
    const docRows = parseCsv(readFileSync(join(work, 'docs.csv'), 'utf8').replace(/^\uFEFF/, ''));
    expect(docRows).toHaveLength(1 + region.length);
    const header = docRows[0]!;
    const row = docRows.find((r) => r[0] === first.source.path)!;
    expect(Number(row[header.indexOf('passages')])).toBe(first.summary.passages);
    expect(Number(row[header.indexOf('problem')])).toBe(first.summary.functions.problem);
    expect(Number(row[header.indexOf('conduct')])).toBe(first.summary.categories.conduct);
    expect(docRows.find((r) => r[0] === 'batch/region-1/blank.md')!.slice(-2)[0]).toBe(ERROR_CODES.INPUT_EMPTY);
  });

  it('--format summary gives the corpus table with counts, shares, top documents and failed inputs', async () => {
    const run = await runCli(['analyze', 'batch/region-1', '--jobs', '1', '--quiet'], { cwd: work });
    expect(run.code).toBe(1);
    const region = lines.filter((l) => pathOf(l).startsWith('batch/region-1/'));
    const docs = region.filter((l) => !l.error);
    const passages = docs.reduce((n, l) => n + l.passages.length, 0);
    expect(run.stdout).toContain(`xunshi summary: ${docs.length} document(s) analysed, 2 failed, ${passages} passage(s)`);
    for (const heading of ['function', 'category / subcategory', 'root cause', 'evidence phrase', 'documents with most problem passages', 'failed input']) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(/batch\/region-1\/blank\.md +XUNSHI_INPUT_EMPTY/);
  });

  it('reads standard input (-) and --files-from lists; a folder named in a list is unreadable', async () => {
    writeFileSync(join(work, 'list.txt'), 'batch/region-2/trad.txt\n\nbatch/region-3/x.txt\r\n');
    mkdirSync(join(work, 'batch/region-3/x.txt'), { recursive: true });
    const text = readFileSync(join(REPO, 'corpus/tuning/feedback-02.txt'), 'utf8');
    const run = await runCli(['analyze', '-', '--files-from', 'list.txt', '--format', 'jsonl', '--jobs', '1'], { cwd: work, input: text });
    rmSync(join(work, 'batch/region-3/x.txt'), { recursive: true });
    expect(run.code).toBe(1);
    const out = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(3);
    expect(out[0].source).toMatchObject({ path: null, length: text.length });
    expect(out[1].source.path).toBe('batch/region-2/trad.txt');
    expect(out[2].error).toMatchObject({ path: 'batch/region-3/x.txt', code: ERROR_CODES.INPUT_UNREADABLE });
    expect(run.stderr).toContain('batch/region-3/x.txt: cannot read input');
  });
});

describe('xunshi analyze exit codes', () => {
  it('exits 0 when every input was analysed', async () => {
    const run = await runCli(['analyze', 'batch/region-2/gbk.txt', 'batch/region-2/trad.txt', '--jobs', '1'], { cwd: work });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 document(s) analysed');
  });

  it('exits 2 on a bad rules folder before reading any input, and writes no output', async () => {
    mkdirSync(join(work, 'bad-rules/categories'), { recursive: true });
    writeFileSync(join(work, 'bad-rules/categories/broken.yaml'), 'id: [unclosed\n');
    const run = await runCli(['analyze', 'batch', '--rules', 'bad-rules', '--format', 'jsonl', '--out', 'never.jsonl'], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/broken\.yaml:\d+:\d+: .*\[XUNSHI_RULE_INVALID\]/);
    expect(existsSync(join(work, 'never.jsonl'))).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('exits 2 on usage errors: unknown option, --per without csv, bad --jobs, no inputs, --out of the wrong kind', async () => {
    const cases: [string[], RegExp][] = [
      [['analyze', 'batch', '--bogus'], /unknown option '--bogus'/],
      [['analyze', 'batch', '--format', 'json', '--per', 'document'], /--per applies to --format csv only/],
      [['analyze', 'batch', '--jobs', 'two'], /--jobs expects a positive whole number/],
      [['analyze'], /no inputs/],
      [['analyze', 'batch', '--format', 'jsonl', '--out', 'batch'], /expects a file, but batch is a folder/],
      [['analyze', 'batch', '--format', 'json', '--out', 'jobs1.jsonl'], /expects a folder/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: work });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('on SIGTERM stops the workers, removes the unfinished output and exits 143', async () => {
    let pid = 0;
    const running = runCli(['analyze', 'batch', '--format', 'jsonl', '--out', 'interrupted.jsonl', '--jobs', '2', '--quiet'], { cwd: work, onSpawn: (p) => (pid = p) });
    // Wait until results are being written into the temporary file, then interrupt.
    const started = Date.now();
    for (;;) {
      const tmp = readdirSync(work).find((f) => f.startsWith('.interrupted.jsonl.'));
      if (tmp && statSync(join(work, tmp)).size > 0) break;
      if (Date.now() - started > 60_000) throw new Error('the batch never started writing');
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(pid, 'SIGTERM');
    const run = await running;
    expect(run.code).toBe(143);
    expect(readdirSync(work).filter((f) => f.includes('interrupted'))).toEqual([]);
  }, 120_000);
});
