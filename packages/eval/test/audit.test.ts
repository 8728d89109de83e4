import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { auditRules, formatAuditText, readGoldFile, type EvalAnalyzer } from '@xunshi/eval';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';

describe('auditRules', () => {
  const fx = writeGoldFixture();
  const analyzer = createAnalyzer();

  it('never reads held-out documents (their gold files here are not JSON) and refuses --part held-out', () => {
    const r = auditRules(analyzer, [fx.dir]);
    expect(r.heldOut).toBe(fx.heldOut.length);
    expect(r.documents).toBe(fx.tuning.length + 1);
    expect(auditRules(analyzer, [fx.dir], { part: 'tuning' }).documents).toBe(fx.tuning.length);
    expect(() => auditRules(analyzer, [fx.dir], { part: 'held-out' })).toThrow(/held-out texts are never read while writing rules/);
    // A folder given twice is counted once.
    const twice = auditRules(analyzer, [fx.dir, `${fx.dir}/`], { part: 'tuning' });
    expect([twice.documents, twice.units]).toEqual([fx.tuning.length, auditRules(analyzer, [fx.dir], { part: 'tuning' }).units]);
  });

  it('counts are consistent, flags follow their definitions, order and output are deterministic', () => {
    const r = auditRules(analyzer, [fx.dir]);
    expect(r.rules.length).toBeGreaterThan(10);
    const kinds = r.rules.map((a) => ['function', 'category', 'rootCause'].indexOf(a.kind));
    expect([...kinds].sort((a, b) => a - b)).toEqual(kinds);
    for (const a of r.rules) {
      expect(a.rule).not.toContain(':');
      expect(a.correct).toBeLessThanOrEqual(a.units);
      expect(a.precision).toBeCloseTo(a.correct / a.units, 12);
      expect(a.sites).toBeLessThanOrEqual(a.documents);
      expect(a.flags.includes('one-site')).toBe(a.sites === 1);
      expect(a.flags.includes('imprecise')).toBe(a.units >= 3 && a.precision < 0.5);
      expect(a.terms.length).toBeGreaterThan(0);
      for (const t of a.terms) {
        expect(t.units).toBeLessThanOrEqual(a.units);
        expect(t.correct).toBeLessThanOrEqual(t.units);
        expect(t.sites).toBeLessThanOrEqual(a.sites);
      }
      expect(Math.max(...a.terms.map((t) => t.units))).toBeLessThanOrEqual(a.units);
    }
    expect(auditRules(analyzer, [fx.dir])).toEqual(r);
    expect(formatAuditText(r)).toMatch(/^xunshi rules audit: \d+ document\(s\), \d+ gold unit\(s\) of /);
  });

  it('judges evidence against the gold label of its kind: a rule that gives every unit `conduct` is right exactly where gold says conduct', () => {
    // Every passage gets category conduct, backed by one piece of evidence of rule `test.everywhere` on its first character.
    const everywhere: EvalAnalyzer = {
      lexicon: analyzer.lexicon,
      analyze: (input, options) => {
        const r = analyzer.analyze(input, options);
        return {
          ...r,
          passages: r.passages.map((p) => ({ ...p, categories: [{ id: 'conduct' as const, subcategory: null, score: 1, evidence: [{ rule: 'test.everywhere', start: p.start, end: p.start + 1, text: p.text.slice(0, 1) }, { rule: 'category-model:bias', start: p.start, end: p.start + 1, text: p.text.slice(0, 1) }] }], rootCauses: [] })),
        };
      },
    };
    const r = auditRules(everywhere, [fx.dir], { part: 'tuning', rule: 'test' });
    expect(r.rules.map((a) => a.rule)).toEqual(['test.everywhere']);
    // Expected from the gold files themselves: the gold units that a passage starts in, and those with gold conduct.
    let units = 0;
    let conduct = 0;
    for (const id of fx.tuning) {
      const gold = readGoldFile(join(fx.dir, `${id}.gold.json`));
      const text = readFileSync(join(fx.dir, gold.doc));
      const starts = analyzer.analyze(text, { path: join(fx.dir, gold.doc) }).passages.map((p) => p.start);
      for (const u of gold.units) {
        if (!starts.some((s) => s >= u.start && s < u.end)) continue;
        units++;
        if (u.categories.some((c) => c.id === 'conduct')) conduct++;
      }
    }
    expect(conduct).toBeGreaterThan(0);
    expect(r.rules[0]).toMatchObject({ kind: 'category', units, correct: conduct, documents: fx.tuning.length, sites: 4 });
    expect(r.rules[0]!.flags).toEqual(conduct / units < 0.5 ? ['imprecise'] : []);
  });

  it('--rule keeps a rule and the rules under it as a prefix, not other rules that merely start alike', () => {
    const all = auditRules(analyzer, [fx.dir]);
    const conduct = auditRules(analyzer, [fx.dir], { rule: 'conduct' });
    expect(conduct.rules.length).toBeGreaterThan(0);
    expect(conduct.rules.map((a) => a.rule)).toEqual(all.rules.filter((a) => a.rule.startsWith('conduct.')).map((a) => a.rule));
    const one = all.rules.find((a) => a.kind === 'category')!;
    expect(auditRules(analyzer, [fx.dir], { rule: one.rule }).rules).toEqual([one]);
    expect(auditRules(analyzer, [fx.dir], { rule: one.rule.slice(0, -1) }).rules.every((a) => a.rule !== one.rule)).toBe(true);
  });
});
