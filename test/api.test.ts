import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, getBuildIdentity, type FileResult } from 'xunshi';

describe('analyzeFiles (library batch API)', () => {
  it('reports every input in order, good ones with a Report and bad ones with an error entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-api-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.txt'), '巡察发现，选人用人不规范。\n要严格执行干部选拔任用条例。');
    writeFileSync(join(dir, 'sub', 'b.md'), '# 存在的问题\n\n- 党费收缴不规范。\n');
    writeFileSync(join(dir, 'sub', 'empty.txt'), '');
    const results: FileResult[] = [];
    const counts = await analyzeFiles([dir], (r) => results.push(r), { jobs: 1 });
    expect(counts).toEqual({ analysed: 2, failed: 1, aborted: false });
    expect(results.map((r) => r.path.replace(dir, ''))).toEqual(['/a.txt', '/sub/b.md', '/sub/empty.txt']);
    const [a, b, empty] = results;
    expect('report' in a! && a.report.passages.map((p) => p.function)).toEqual(['problem', 'measure']);
    expect('report' in b! && b.report.source.format).toBe('markdown');
    expect('error' in empty! && empty.error.code).toBe('XUNSHI_INPUT_EMPTY');
  });
  it('an aborted batch resolves with aborted: true and no results for the inputs it did not reach', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-api-abort-'));
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `r${String(i).padStart(2, '0')}.txt`), '巡察发现，选人用人不规范。');
    // One job: a worker thread loads the built dist, which this suite (run on the sources) may not have; the pool's own
    // abort is tested with a stand-in worker in packages/xunshi/test/output.test.ts.
    {
      const controller = new AbortController();
      const seen: string[] = [];
      const counts = await analyzeFiles([dir], (r) => {
        seen.push(r.path.slice(dir.length + 1));
        if (seen.length === 2) controller.abort();
      }, { jobs: 1, signal: controller.signal });
      expect(counts.aborted).toBe(true);
      expect(seen.length).toBeLessThan(12);
      expect(seen.slice(0, 2)).toEqual(['r00.txt', 'r01.txt']);
      expect(counts.analysed + counts.failed).toBe(seen.length);
    }
  });

  it('rejects a bad rules folder before reading any input', async () => {
    await expect(analyzeFiles(['x.txt'], () => {}, { rules: '/nonexistent-rules-folder', jobs: 1 })).rejects.toMatchObject({ code: 'XUNSHI_RULE_INVALID' });
  });
});

describe('getBuildIdentity (library)', () => {
  it('is the SHA-256 the CLI keys a folder of reports on, the same for every call', () => {
    const id = getBuildIdentity();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(getBuildIdentity()).toBe(id);
  });
});
