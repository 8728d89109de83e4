// The naive Bayes baseline trains on a folder's documents that are not held out, and scores the documents eval scores.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { evaluateBaseline, readGoldFile } from '@xunshi/eval';

const REPO = new URL('../../../', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'xunshi-baseline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A gold folder of sample reports of corpus/tuning with an index giving each its part. */
function folder(name: string, parts: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const id of Object.keys(parts)) for (const ext of ['.txt', '.gold.json']) cpSync(join(REPO, 'corpus/tuning', id + ext), join(dir, id + ext));
  writeFileSync(join(dir, 'index.tsv'), `id\tkind\tpart\n${Object.entries(parts).map(([id, part]) => `${id}\tfeedback\t${part}`).join('\n')}\n`);
  return dir;
}
const units = (id: string): number => readGoldFile(join(REPO, 'corpus/tuning', `${id}.gold.json`)).units.length;

describe('evaluateBaseline', () => {
  const analyzer = createAnalyzer();
  const dir = folder('a', { 'feedback-01': 'tuning', 'feedback-02': 'held-out', 'analysis-01': 'tuning' });

  it('never trains on held-out documents', () => {
    expect(evaluateBaseline(analyzer, dir, dir).train).toBe(units('feedback-01') + units('analysis-01'));
  });

  it('scores every document of the test folder, or those of the part asked for, held-out ones included', () => {
    expect(evaluateBaseline(analyzer, dir, dir).figures.units).toBe(units('feedback-01') + units('feedback-02') + units('analysis-01'));
    expect(evaluateBaseline(analyzer, dir, dir, { part: 'held-out' }).figures.units).toBe(units('feedback-02'));
    expect(evaluateBaseline(analyzer, dir, dir, { part: 'tuning' }).figures.units).toBe(units('feedback-01') + units('analysis-01'));
  });
});
