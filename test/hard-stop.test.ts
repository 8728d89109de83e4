import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

// pdf.js takes time quadratic in nested graphics states (`q`): a PDF of 800 KB whose one page nests 200,000 of them
// runs for more than ten minutes in one step that never checks the time budget. In the main thread nothing could stop
// it — not --timeout, not SIGTERM or Ctrl-C (their handlers wait for the thread) — and it held every input after it.
// With one job, such an input now runs in a worker thread that the watchdog stops and replaces.
const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const work = mkdtempSync(join(tmpdir(), 'xunshi-hard-stop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A one-page PDF whose content stream nests `depth` graphics states around one line of text. */
function nestedPdf(depth: number): Buffer {
  const content = `${'q '.repeat(depth)}BT /F1 12 Tf 72 712 Td (Hello) Tj ET ${'Q '.repeat(depth)}`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

writeFileSync(join(work, 'nested.pdf'), nestedPdf(200_000));
writeFileSync(join(work, 'report.txt'), readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-01.txt')));

describe('an input that never returns, with one job', () => {
  it('is stopped at its budget in a batch, and the inputs after it are analysed', () => {
    const r = spawnSync(process.execPath, [BIN, 'analyze', 'nested.pdf', 'report.txt', '--jobs', '1', '--timeout', '2', '--format', 'jsonl', '-q'], { cwd: work, encoding: 'utf8', timeout: 100_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { error?: { path: string; code: string }; source?: { path: string } });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.error).toMatchObject({ path: 'nested.pdf', code: 'XUNSHI_INPUT_TIMEOUT' });
    expect(lines[1]!.source?.path).toBe('report.txt');
  }, 120_000);

  it('is stopped at its budget when it is the only input', () => {
    const r = spawnSync(process.execPath, [BIN, 'analyze', 'nested.pdf', '--timeout', '2', '--format', 'json'], { cwd: work, encoding: 'utf8', timeout: 100_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nested\.pdf: analysis took longer than the time budget of 2 s .*\[XUNSHI_INPUT_TIMEOUT\]/);
  }, 120_000);

  it('ends on SIGTERM, leaving no temporary file', async () => {
    // No time budget would end it; the signal must.
    const child = spawn(process.execPath, [BIN, 'analyze', 'nested.pdf', '--timeout', '600', '--format', 'jsonl', '--out', 'out.jsonl'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('interrupted by SIGTERM');
    expect(readdirSync(work).sort()).toEqual(['nested.pdf', 'report.txt']);
  }, 120_000);

  it('starts its worker under the process-wide options node was given (they are not handed to the worker)', () => {
    // An execArgv given to a worker may not hold them (ERR_WORKER_INVALID_EXEC_ARGV): every batch with a pool failed.
    for (const jobs of ['1', '2']) {
      // Two inputs (a file and standard input), so that a pool starts.
      const r = spawnSync(process.execPath, ['--max-old-space-size=3072', '--stack-size=2000', BIN, 'analyze', 'report.txt', '-', '--jobs', jobs, '--format', 'jsonl', '-q'], { cwd: work, encoding: 'utf8', timeout: 100_000, input: readFileSync(join(work, 'report.txt')) });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(2);
    }
  }, 120_000);
});
