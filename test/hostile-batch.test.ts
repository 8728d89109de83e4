import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

// Issue 11, "Done when": a 1,000-file batch with every bad kind gives one report or one error entry per input, in input
// order, and ends: no input blocks it (FIFO, device), floods it (a link to /dev/zero, an oversized file), or holds a
// worker for minutes (Markdown that remark-parse is super-linear on). Files are written here, never copied from
// ../shared. The run is bounded by the per-input time budget (--timeout); the kill timer below only turns a hang into a
// failure instead of a stuck suite (no timing assertion).
const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const HAS_MKFIFO = spawnSync('mkfifo', ['--version']).error === undefined;
const HAS_DEV_ZERO = existsSync('/dev/zero');
if (!HAS_MKFIFO || !HAS_DEV_ZERO) console.warn('hostile-batch.test.ts: mkfifo or /dev/zero is missing, the batch runs without FIFOs and device links');

const FILES = 1000;
const TIMEOUT_SECONDS = 30;

/** What each kind of input is and what it must come out as: a report (`format`) or an error entry (`code`). */
interface Kind {
  name: string;
  ext: string;
  make(path: string, i: number): void;
  expect: { format: string; encoding?: string; diagnostic?: string } | { code: string };
}

let samples: { text: string; markdown: string; traditional: string; big5: Uint8Array };

// Shapes remark-parse took minutes on (issue 11, defect 4), at the smallest sizes that are past the limits (33 levels
// deep, or a work estimate over the budget), so that 100 of them stay cheap to write and to read as plain text.
const BOMBS = [
  (i: number) => '>'.repeat(33 + (i % 100)) + ' 存在问题。\n',
  (i: number) => '- '.repeat(33 + (i % 100)) + '存在问题。\n',
  (i: number) => Array.from({ length: 40 }, (_, d) => '  '.repeat(d) + `- 第${i}项存在问题。`).join('\n'),
  (i: number) => Array.from({ length: 1000 }, () => `> - > - 第${i}项。`).join('\n'),
  (i: number) => Array.from({ length: 1000 }, (_, k) => `- 第${i}.${k}项\n  - 存在问题。`).join('\n'),
];

const KINDS: Kind[] = [
  { name: 'text', ext: '.txt', make: (p) => writeFileSync(p, samples.text), expect: { format: 'text', encoding: 'utf-8' } },
  { name: 'markdown', ext: '.md', make: (p) => writeFileSync(p, samples.markdown), expect: { format: 'markdown' } },
  { name: 'big5', ext: '.txt', make: (p) => writeFileSync(p, samples.big5), expect: { format: 'text', encoding: 'big5' } },
  { name: 'bomb', ext: '.md', make: (p, i) => writeFileSync(p, BOMBS[i % BOMBS.length]!(i)), expect: { format: 'markdown', diagnostic: 'XUNSHI_MARKDOWN_TOO_COMPLEX' } },
  {
    name: 'binary',
    ext: '.txt',
    make: (p, i) => writeFileSync(p, Uint8Array.from({ length: 4096 }, (_, k) => (k * 7919 + i) % 256)),
    expect: { code: 'XUNSHI_INPUT_BINARY' },
  },
  { name: 'empty', ext: '.txt', make: (p) => writeFileSync(p, ''), expect: { code: 'XUNSHI_INPUT_EMPTY' } },
  {
    // 30 MB, over the default limit of 20 MiB: a sparse file, refused from its size without a byte read.
    name: 'oversize',
    ext: '.txt',
    make: (p) => {
      const fd = openSync(p, 'w');
      ftruncateSync(fd, 30_000_000);
      closeSync(fd);
    },
    expect: { code: 'XUNSHI_INPUT_TOO_LARGE' },
  },
  { name: 'fifo', ext: '.txt', make: (p) => spawnSync('mkfifo', [p]), expect: { code: 'XUNSHI_INPUT_NOT_REGULAR' } },
  { name: 'zero', ext: '.txt', make: (p) => symlinkSync('/dev/zero', p), expect: { code: 'XUNSHI_INPUT_NOT_REGULAR' } },
  { name: 'corrupt', ext: '.pdf', make: (p, i) => writeFileSync(p, `%PDF-1.7\n${'garbage '.repeat(50 + i)}\n`), expect: { code: 'XUNSHI_INPUT_TRUNCATED' } },
].filter((k) => (k.name !== 'fifo' || HAS_MKFIFO) && (k.name !== 'zero' || HAS_DEV_ZERO));

let work: string;
let names: string[];
let kinds: Kind[];

beforeAll(async () => {
  const { encodeBig5 } = await import('../packages/document/test/support/cjk-encode.js');
  // The opening lines of the project's own sample reports: enough for detection and analysis, quick to analyse 300 times.
  const opening = (file: string, lines: number): string => readFileSync(join(REPO_DIR, 'corpus/tuning', file), 'utf8').split('\n').slice(0, lines).join('\n') + '\n';
  const traditional = opening('feedback-07-trad.txt', 8);
  samples = {
    text: opening('feedback-02.txt', 8),
    markdown: opening('analysis-02.md', 12),
    traditional,
    big5: encodeBig5(traditional),
  };
  work = mkdtempSync(join(tmpdir(), 'xunshi-hostile-'));
  mkdirSync(join(work, 'in'));
  names = [];
  kinds = [];
  for (let i = 0; i < FILES; i++) {
    const kind = KINDS[i % KINDS.length]!;
    // Zero-padded: the folder walk's sorted order is the creation order.
    const name = `in/${String(i).padStart(4, '0')}-${kind.name}${kind.ext}`;
    kind.make(join(work, name), i);
    names.push(name);
    kinds.push(kind);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; killed: boolean }

function runCli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 280_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, killed });
    });
  });
}

describe('a hostile batch of 1,000 files', () => {
  it('gives one report or one error entry per input, in input order, with the right code for each bad kind', async () => {
    const run = await runCli(['analyze', 'in', '--format', 'jsonl', '--jobs', '2', '--timeout', String(TIMEOUT_SECONDS)]);
    expect(run.killed).toBe(false);
    expect(run.signal).toBeNull();
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { source?: { path: string; format: string; encoding: string }; diagnostics?: { code: string }[]; error?: { path: string; code: string } });
    expect(lines.length).toBe(FILES);
    expect(lines.map((l) => l.source?.path ?? l.error?.path)).toEqual(names);
    const failed = lines.filter((l, i) => {
      const want = kinds[i]!.expect;
      if ('code' in want) {
        expect({ path: names[i], code: l.error?.code }).toEqual({ path: names[i], code: want.code });
        return true;
      }
      expect({ path: names[i], error: l.error }).toEqual({ path: names[i], error: undefined });
      expect(l.source!.format).toBe(want.format);
      if (want.encoding) expect(l.source!.encoding).toBe(want.encoding);
      const diagnostics = (l.diagnostics ?? []).map((d) => d.code);
      if (want.diagnostic) expect(diagnostics).toContain(want.diagnostic);
      else expect(diagnostics).not.toContain('XUNSHI_MARKDOWN_TOO_COMPLEX');
      return false;
    }).length;
    // Each failed input is said once on standard error, as `path: message [code]`.
    expect(run.stderr.split('\n').filter((l) => /^in\/\d{4}-.*\[XUNSHI_[A-Z_]+\]$/.test(l)).length).toBe(failed);
    expect(run.code).toBe(1);
  }, 300_000);
});
