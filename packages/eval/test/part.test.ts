import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { evaluateGold, findGoldDocuments } from '@xunshi/eval';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';
import { SHARED_DIR, hasShared } from '../../../test/support/shared.js';

const ids = (docs: { name: string }[]): string[] => docs.map((d) => d.name.replace(/\.(txt|md)$/, ''));

describe('findGoldDocuments: site and part from index.tsv', () => {
  const fx = writeGoldFixture();

  it('reads site and part of every indexed document; unindexed ones have neither', () => {
    const docs = findGoldDocuments(fx.dir);
    expect(docs).toHaveLength(fx.tuning.length + fx.heldOut.length + 1);
    const unindexed = docs.find((d) => d.name.startsWith(fx.unindexed))!;
    expect(unindexed.site).toBeUndefined();
    expect(unindexed.part).toBeUndefined();
    expect(docs.find((d) => d.name.startsWith(fx.heldOut[0]!))).toMatchObject({ part: 'held-out', site: expect.stringMatching(/\.example$/) });
  });

  it('--part keeps only that part and leaves out documents the index does not name', () => {
    expect(ids(findGoldDocuments(fx.dir, { part: 'tuning' }))).toEqual(fx.tuning);
    expect(ids(findGoldDocuments(fx.dir, { part: 'held-out' }))).toEqual([...fx.heldOut].sort());
  });

  it('an unknown part, or an index without a part column, is a usage error that says which', () => {
    expect(() => findGoldDocuments(fx.dir, { part: 'training' })).toThrow(/--part training: unknown part; .* names held-out, tuning/);
    const noPart = writeGoldFixture({ partColumn: false });
    expect(() => findGoldDocuments(noPart.dir, { part: 'tuning' })).toThrow(/no index\.tsv below .* has a "part" column/);
    expect(findGoldDocuments(noPart.dir)).toHaveLength(fx.tuning.length + fx.heldOut.length + 1);
  });

  it('the site falls back to the host of the url column', () => {
    const dir = writeGoldFixture({ partColumn: false }).dir;
    writeFileSync(join(dir, 'index.tsv'), 'id\tkind\turl\nfeedback-01\tfeedback\thttps://www.example.org/a/b.html\nfeedback-02\tfeedback\tnot a url\n');
    const docs = findGoldDocuments(dir);
    expect(docs.find((d) => d.name === 'feedback-01.txt')!.site).toBe('www.example.org');
    expect(docs.find((d) => d.name === 'feedback-02.txt')!.site).toBeUndefined();
  });

  it('evaluateGold with part scores only that part (held-out gold files are not read)', () => {
    const r = evaluateGold(createAnalyzer(), fx.dir, { part: 'tuning' });
    expect(r.documents).toBe(fx.tuning.length);
    expect(r.perDocument.map((d) => d.doc.replace(/\.(txt|md)$/, ''))).toEqual(fx.tuning);
    // Without a part every gold file is read, and the held-out ones here are broken on purpose.
    expect(() => evaluateGold(createAnalyzer(), fx.dir)).toThrow(/not valid JSON/);
  });
});

describe.runIf(hasShared('corpus/real/index.tsv'))('evaluateGold by part on ../shared/corpus/real', () => {
  it('tuning and held-out split the indexed documents', () => {
    const dir = join(SHARED_DIR, 'corpus/real');
    const all = findGoldDocuments(dir);
    const tuning = findGoldDocuments(dir, { part: 'tuning' });
    const heldOut = findGoldDocuments(dir, { part: 'held-out' });
    expect(tuning.length).toBeGreaterThan(0);
    expect(heldOut.length).toBeGreaterThan(0);
    expect(tuning.length + heldOut.length).toBe(all.filter((d) => d.part).length);
    const r = evaluateGold(createAnalyzer(), dir, { part: 'tuning', worst: 0 });
    expect(r.documents).toBe(tuning.length);
    expect(r.overall.units).toBeGreaterThan(0);
  });
});
