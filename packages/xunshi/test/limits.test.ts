import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { createAnalyzer } from '../src/analyzer.js';
import { main } from '../src/cli.js';
import { analyzeFiles } from '../src/files.js';
import { OCR_PAGE_SECONDS } from '@xunshi/document/lean';
import { CONTROL, DEFAULT_MAX_SIZE, MAX_GRANT_FACTOR, TimeBudget, createControl, formatSize, parseSize } from '../src/limits.js';
import { readRegularFile } from '../src/task.js';
import { ocrThreadsFor } from '../src/batch.js';

const dir = mkdtempSync(join(tmpdir(), 'xunshi-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof XunshiError ? e.code : `not a XunshiError: ${String(e)}`;
  }
  return undefined;
}

describe('sizes', () => {
  it('parses bytes and units of 1024', () => {
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize('500K')).toBe(500 * 1024);
    expect(parseSize('50M')).toBe(50 * 1024 ** 2);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('20mb')).toBe(20 * 1024 ** 2);
    for (const bad of ['', '0', '-1', '1x', 'M', '1 2']) expect(parseSize(bad)).toBeUndefined();
    expect(DEFAULT_MAX_SIZE).toBe(20 * 1024 ** 2);
    expect(formatSize(DEFAULT_MAX_SIZE)).toBe('20,971,520 bytes (20 MiB)');
  });

  it('a file over the limit is refused from its size, before it is read', () => {
    const file = join(dir, 'big.txt');
    writeFileSync(file, '存在问题。'.repeat(1000));
    expect(readRegularFile(file, 'big.txt', 100_000).length).toBe(15_000);
    const err = (() => {
      try {
        readRegularFile(file, 'big.txt', 1000);
      } catch (e) {
        return e as XunshiError;
      }
    })();
    expect(err?.code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    expect(err?.file).toBe('big.txt');
    expect(err?.message).toMatch(/^the file is 15,000 bytes \(14\.6 KiB\), more than the size limit of 1,000 bytes; raise it with --max-size/);
  });
});

describe('the library options maxSize and timeout', () => {
  const analyzer = createAnalyzer();

  it('maxSize refuses larger bytes and strings (UTF-8 bytes) with XUNSHI_INPUT_TOO_LARGE', () => {
    const text = '巡视发现问题，整改不到位。';
    expect(codeOf(() => analyzer.analyze(new TextEncoder().encode(text), { maxSize: 10 }))).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    // 13 characters, 39 UTF-8 bytes.
    expect(codeOf(() => analyzer.analyze(text, { maxSize: 38 }))).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    expect(analyzer.analyze(text, { maxSize: 39 }).passages.length).toBeGreaterThan(0);
  });

  it('a document of more passages than a report has (100,000) is XUNSHI_INPUT_TOO_LARGE before the engine runs', () => {
    const lines = (n: number): string => '巡视\n'.repeat(n);
    const errorOf = (f: () => unknown): XunshiError | undefined => {
      try {
        f();
      } catch (e) {
        return e as XunshiError;
      }
      return undefined;
    };
    // Two sentences a line: within the bound on lines, past the one on passages.
    const err = errorOf(() => analyzer.analyze('巡视。巡察。\n'.repeat(50_001), { path: 'dump.txt' }));
    expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.txt' });
    expect(err!.message).toMatch(/^the document has 100,002 passages \(sentences and lines\), more than the 100,000 a report is read in/);
    expect(analyzer.analyze(lines(2_000)).passages).toHaveLength(2_000);
  });

  it('a text of more lines than that is XUNSHI_INPUT_TOO_LARGE before it is parsed, as a string or as bytes', () => {
    // 20 MB of one-character lines took 3.1 GB and 17 s to parse before the bound on passages refused them.
    const dump = '巡\n'.repeat(100_001);
    for (const input of [dump, new TextEncoder().encode(dump)]) {
      for (const path of ['dump.txt', 'dump.md']) {
        let err: XunshiError | undefined;
        try {
          analyzer.analyze(input, { path });
        } catch (e) {
          err = e as XunshiError;
        }
        expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: path });
        expect(err!.message).toMatch(/^the text has more than 100,000 lines, more than a report is read in/);
      }
    }
  });

  it('a page of more elements than that is XUNSHI_INPUT_TOO_LARGE before it is parsed, as a string or as bytes', () => {
    const page = '<p>巡</p>'.repeat(1_000_001);
    for (const input of [page, new TextEncoder().encode(page)]) {
      let err: XunshiError | undefined;
      try {
        analyzer.analyze(input, { path: 'dump.html' });
      } catch (e) {
        err = e as XunshiError;
      }
      expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.html' });
      expect(err!.message).toMatch(/^the page has more than 1,000,000 elements/);
    }
  });

  it('bad values are usage errors', () => {
    for (const maxSize of [0, -1, 1.5, '10', Number.NaN]) expect(codeOf(() => analyzer.analyze('x', { maxSize } as never))).toBe(ERROR_CODES.USAGE);
    for (const timeout of [-1, '10', Number.POSITIVE_INFINITY]) expect(codeOf(() => analyzer.analyze('x', { timeout } as never))).toBe(ERROR_CODES.USAGE);
  });

  it('a spent budget is XUNSHI_INPUT_TIMEOUT at the next check; 0 is no budget', () => {
    const text = '巡视发现问题，整改不到位。\n'.repeat(50);
    expect(codeOf(() => analyzer.analyze(text, { timeout: 1e-9, path: 'a.txt' }))).toBe(ERROR_CODES.INPUT_TIMEOUT);
    expect(analyzer.analyze(text, { timeout: 0 }).passages.length).toBe(50);
  });

  it('a budget grows by what is granted (a page read by OCR), seen in GRANTED and named when it is spent; no budget stays none', () => {
    const control = createControl();
    const budget = new TimeBudget(60, 'scan.pdf', control);
    budget.grant(OCR_PAGE_SECONDS);
    budget.grant(OCR_PAGE_SECONDS);
    expect(Atomics.load(control, CONTROL.GRANTED)).toBe(2 * OCR_PAGE_SECONDS);
    // Past its own 0.2 s, within the 2 s granted (a budget grows by at most MAX_GRANT_FACTOR times itself).
    const short = new TimeBudget(0.2, 'scan.pdf', createControl());
    short.grant(OCR_PAGE_SECONDS);
    expect(short.granted).toBe(0.2 * MAX_GRANT_FACTOR);
    const t0 = performance.now();
    while (performance.now() - t0 < 300);
    expect(() => short.check()).not.toThrow();
    Atomics.store(control, CONTROL.STOP, 1);
    let message = '';
    try {
      budget.check();
    } catch (e) {
      message = (e as XunshiError).message;
    }
    expect(message).toBe(`analysis took longer than the time budget of ${60 + 2 * OCR_PAGE_SECONDS} s (60 s, and ${2 * OCR_PAGE_SECONDS} s for its pages read by OCR) and was stopped (stopped by the batch); raise it with --timeout (option timeout)`);
    // At most MAX_GRANT_FACTOR times the budget in all.
    const capped = createControl();
    const small = new TimeBudget(10, 'scan.pdf', capped);
    for (let k = 0; k < 20; k++) small.grant(OCR_PAGE_SECONDS);
    expect(Atomics.load(capped, CONTROL.GRANTED)).toBe(10 * MAX_GRANT_FACTOR);
    const none = createControl();
    new TimeBudget(0, 'a.txt', none).grant(OCR_PAGE_SECONDS);
    expect(Atomics.load(none, CONTROL.GRANTED)).toBe(0);
  });

  it('a budget whose STOP is set stops before nodejieba is entered, and leaves IN_NATIVE clear', () => {
    const control = createControl();
    const budget = new TimeBudget(0, 'a.txt', control);
    expect(Atomics.load(control, CONTROL.STARTED)).toBe(1);
    budget.enter();
    expect(Atomics.load(control, CONTROL.IN_NATIVE)).toBe(1);
    budget.exit();
    Atomics.store(control, CONTROL.STOP, 1);
    expect(codeOf(() => budget.enter())).toBe(ERROR_CODES.INPUT_TIMEOUT);
    expect(Atomics.load(control, CONTROL.IN_NATIVE)).toBe(0);
  });
});

/**
 * Run the stand-in batch (fixtures/run-stuck-batch.mjs, a process of its own) with `options` over `names`: it must end
 * cleanly with every document analysed, none failed, and the names written back in input order.
 */
function expectAllInOrder(options: string[], names: string[]): void {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('./fixtures/run-stuck-batch.mjs', import.meta.url)), ...options, ...names], { encoding: 'utf8', timeout: 110_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(JSON.parse(lines.pop()!)).toMatchObject({ analysed: names.length, failed: 0, aborted: false });
  expect(lines).toEqual(names);
}

describe('the time budget in a worker pool', () => {
  it('a worker stuck in JavaScript, in remark or in nodejieba becomes a timeout entry; the batch goes on in order', () => {
    const names = ['a.txt', 'loop.txt', 'b.txt', 'remark.md', 'c.txt', 'jieba.txt', 'd.txt'];
    // A process of its own: vitest's module conditions would send the stand-in worker's imports to TypeScript sources.
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('./fixtures/run-stuck-batch.mjs', import.meta.url)), ...names], { encoding: 'utf8', timeout: 110_000 });
    // Not killed by a signal (a thread terminated inside nodejieba aborts the process: SIGABRT, exit 134).
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBe(names.length + 1);
    expect(JSON.parse(lines.pop()!)).toMatchObject({ analysed: 4, failed: 3, aborted: false });
    names.forEach((name, i) => {
      if (/loop|remark|jieba/.test(name)) {
        const entry = JSON.parse(lines[i]!) as { error: { path: string; code: string; message: string } };
        expect(entry.error).toMatchObject({ path: name, code: ERROR_CODES.INPUT_TIMEOUT });
        expect(entry.error.message).toMatch(/time budget of 1 s/);
      } else {
        expect(lines[i]).toBe(name);
      }
    });
  }, 120_000);

  it('with one job too: a batch of several documents runs in a pool of one worker, which the watchdog replaces', () => {
    const names = ['a.txt', 'loop.txt', 'b.txt', 'jieba.txt', 'c.txt'];
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('./fixtures/run-stuck-batch.mjs', import.meta.url)), '--jobs=1', ...names], { encoding: 'utf8', timeout: 110_000 });
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines.pop()!)).toMatchObject({ analysed: 3, failed: 2, aborted: false, threads: 1 });
    names.forEach((name, i) => {
      if (/loop|jieba/.test(name)) expect(JSON.parse(lines[i]!).error).toMatchObject({ path: name, code: ERROR_CODES.INPUT_TIMEOUT });
      else expect(lines[i]).toBe(name);
    });
  }, 120_000);

  it('a budget grown by the document (a page read by OCR) is honoured by the watchdog too; the same work without it times out', () => {
    // Budget 1 s, the watchdog's limit 2 s; each document busy for 2.5 s, the granted one with 2 s more.
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('./fixtures/run-stuck-batch.mjs', import.meta.url)), '--timeout=1', '--slow-ms=2500', 'granted-0.txt', 'slow-0.txt'], { encoding: 'utf8', timeout: 110_000 });
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines.pop()!)).toMatchObject({ analysed: 1, failed: 1, aborted: false });
    expect(lines[0]).toBe('granted-0.txt');
    expect(JSON.parse(lines[1]!).error).toMatchObject({ path: 'slow-0.txt', code: ERROR_CODES.INPUT_TIMEOUT });
  }, 120_000);

  it('a document waiting in a worker behind another is not charged for the wait', () => {
    // A document waits in the pool's queue while the workers are busy; every document takes 60 % of the budget of its
    // own, so one that waited would run past it (and the watchdog's) if the clock started when it was dispatched.
    const names = Array.from({ length: 8 }, (_, i) => `slow-${i}.txt`);
    expectAllInOrder(['--timeout=2', '--slow-ms=1200'], names);
  }, 120_000);
});

describe('OCR threads of a document in a batch', () => {
  it('gives a document the cores the batch leaves idle: two for one document on two cores, one otherwise', () => {
    expect(ocrThreadsFor(2, 1, 2)).toBe(2);
    expect(ocrThreadsFor(2, 2, 2)).toBe(1);
    expect(ocrThreadsFor(2, 500, 2)).toBe(1);
    expect(ocrThreadsFor(1, 1, 2)).toBe(1);
    // More jobs than cores gain nothing: the cores count.
    expect(ocrThreadsFor(8, 1, 2)).toBe(2);
    expect(ocrThreadsFor(8, 2, 8)).toBe(4);
    expect(ocrThreadsFor(16, 1, 16)).toBe(4);
    expect(ocrThreadsFor(3, 2, 4)).toBe(1);
  });
});

describe('dispatch in a worker pool', () => {
  it('keeps the other worker busy while one document runs long, and still writes in input order', () => {
    // `gate` finishes only after 12 other documents are done: with new documents dispatched only when the one at the
    // head of the output order is written, at most 7 could be handed out meanwhile (one of them stuck behind it).
    const countFile = join(dir, 'gate-count');
    writeFileSync(countFile, '');
    const names = ['gate.txt', ...Array.from({ length: 20 }, (_, i) => `doc-${i}.txt`)];
    expectAllInOrder(['--timeout=0', `--count-file=${countFile}`, '--gate-count=12'], names);
  }, 120_000);

  it('with two workers, begins the documents in input order while one of them is held', () => {
    // `gate` holds one worker until 12 other documents are done; the other worker takes them one at a time. piscina's
    // default put a task it could not place (no idle worker) at the back of its queue of such tasks, so the queue turned
    // over at every try and the documents began in a shuffled order (doc-0, doc-2, doc-5, …).
    const countFile = join(dir, 'gate-count-2');
    writeFileSync(countFile, '');
    const names = ['gate.txt', ...Array.from({ length: 16 }, (_, i) => `doc-${i}.txt`)];
    expectAllInOrder(['--timeout=20', `--count-file=${countFile}`, '--gate-count=12'], names);
    expect(readFileSync(countFile, 'utf8').split('\n').slice(0, 12)).toEqual(names.slice(1, 13));
  }, 120_000);

  it('with one worker, begins the documents in input order', () => {
    // `gate` waits for the two documents before it. Begun before them (piscina put a task it could not place in a
    // worker busy with an abortable one at the back of its queue), it would wait for ever in the only worker, until the
    // watchdog stopped it at its budget.
    const countFile = join(dir, 'gate-count-1');
    writeFileSync(countFile, '');
    expectAllInOrder(['--jobs=1', '--timeout=3', `--count-file=${countFile}`, '--gate-count=2'], ['a.txt', 'b.txt', 'gate.txt', 'c.txt', 'd.txt']);
  }, 120_000);
});

describe('--max-size and --timeout on the command line', () => {
  const cli = async (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      readStdin: async () => new TextEncoder().encode(stdin ?? ''),
    });
    return { code, stdout, stderr };
  };
  const file = join(dir, 'report.txt');
  const text = '巡视发现，该单位落实全面从严治党主体责任不到位，违规发放津补贴12.5万元。\n';

  it('bad values are usage errors (exit 2)', async () => {
    writeFileSync(file, text);
    for (const args of [['--max-size', '1x'], ['--max-size', '0'], ['--timeout', 'soon'], ['--timeout', '-1']]) {
      const r = await cli(['analyze', file, '-q', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\[XUNSHI_USAGE\]/);
    }
  });

  it('an input over --max-size is an error entry, a file and standard input alike; the others are analysed', async () => {
    writeFileSync(file, text);
    const small = join(dir, 'small.txt');
    writeFileSync(small, '存在问题。\n');
    const r = await cli(['analyze', file, small, '-', '--max-size', '100', '--format', 'jsonl', '--jobs', '1'], text);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string; path: string }; source?: { path: string } });
    expect(lines.map((l) => l.error?.code ?? 'report')).toEqual([ERROR_CODES.INPUT_TOO_LARGE, 'report', ERROR_CODES.INPUT_TOO_LARGE]);
    expect(lines[2]!.error!.path).toBe('-');
    expect(r.stderr).toMatch(/more than the size limit of 100 bytes; raise it with --max-size/);
    // Standard input is read only just past the limit: its size is not known, and not made up.
    expect((lines[2]!.error as { message?: string }).message).toMatch(/^standard input is more than the size limit of 100 bytes \(reading stopped after [\d,]+ bytes/);
  });

  it('with one job a spent budget is an error entry and the batch goes on', async () => {
    const big = join(dir, 'long.txt');
    writeFileSync(big, text.repeat(5000));
    writeFileSync(file, text);
    const r = await cli(['analyze', big, file, '--timeout', '0.001', '--format', 'jsonl', '--jobs', '1', '-q']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string; message: string } });
    expect(lines.length).toBe(2);
    expect(lines[0]!.error?.code).toBe(ERROR_CODES.INPUT_TIMEOUT);
    expect(lines[0]!.error?.message).toMatch(/time budget of 0\.001 s/);
    // The small report is analysed in far less than a millisecond only sometimes: either outcome is one line.
    expect(lines[1]!.error?.code ?? 'report').toMatch(/^(report|XUNSHI_INPUT_TIMEOUT)$/);
  });

  it('analyzeFiles checks maxSize and timeout', async () => {
    await expect(analyzeFiles([file], () => {}, { timeout: -1 })).rejects.toMatchObject({ code: ERROR_CODES.USAGE });
    await expect(analyzeFiles([file], () => {}, { maxSize: 0 })).rejects.toMatchObject({ code: ERROR_CODES.USAGE });
  });
});
