import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from './support/shared.js';

// The terminal of a long batch closes (an ssh session ends): SIGHUP. It killed the process at once, leaving its
// temporary output file behind (Node resets an ignored SIGHUP at start, so not even `nohup` kept it alive). It is an
// interrupt like SIGTERM: nothing half-written is left, exit 129.
const BIN = join(REPO_DIR, 'packages/xunshi/bin/xunshi.js');
const work = mkdtempSync(join(tmpdir(), 'xunshi-hangup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SIGHUP', () => {
  it('interrupts the batch like SIGTERM: exit 129, no temporary file left', async () => {
    mkdirSync(join(work, 'in'));
    const report = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-01.txt'), 'utf8');
    // A few large reports: the first is written seconds before the last is done.
    for (let i = 0; i < 4; i++) writeFileSync(join(work, `in/${i}.txt`), report.repeat(Math.ceil(1.5e6 / Buffer.byteLength(report))));
    const child = spawn(process.execPath, [BIN, 'analyze', 'in', '--format', 'jsonl', '--out', 'out.jsonl', '--jobs', '1'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const started = Date.now();
    for (;;) {
      const tmp = readdirSync(work).find((f) => f.startsWith('.out.jsonl.'));
      if (tmp && statSync(join(work, tmp)).size > 0) break;
      if (Date.now() - started > 60_000) throw new Error('the batch never started writing');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGHUP');
    expect(await exited).toBe(129);
    expect(stderr).toContain('interrupted by SIGHUP');
    expect(readdirSync(work)).toEqual(['in']);
  }, 120_000);
});
