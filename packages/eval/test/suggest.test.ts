import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { checkSuggestOptions, excerptAround, formatSuggestText, suggestPhrases, tokenNgrams, type EvalAnalyzer } from '@xunshi/eval';
import { createMatchingCopy } from '@xunshi/tokenizer';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';

const tok = (parts: string[]): { start: number; end: number; text: string }[] => {
  let at = 0;
  return parts.map((p) => ({ start: at, end: (at += p.length), text: p }));
};

describe('tokenNgrams', () => {
  it('gives 1- to 3-token n-grams that do not cross punctuation, with their offsets', () => {
    const parts = ['形式主义', '问题', '突出', '，', '整改', '不到位', '。'];
    const g = tokenNgrams(parts.join(''), tok(parts));
    expect([...g.keys()]).toEqual(['形式主义', '形式主义问题', '形式主义问题突出', '问题', '问题突出', '突出', '整改', '整改不到位', '不到位']);
    expect(g.get('问题突出')).toEqual({ tokens: 2, offsets: [4] });
    expect(tokenNgrams(parts.join(''), tok(parts), 1).size).toBe(5);
  });

  it('leaves out n-grams of digits only and ignores matching-copy fillers', () => {
    const parts = ['2023', '年', '12', '发现', '\u2060\u2060', '问题'];
    const g = tokenNgrams(parts.join(''), tok(parts));
    expect(g.has('2023')).toBe(false);
    expect(g.has('2023年')).toBe(true);
    expect(g.has('发现问题')).toBe(true);
    expect([...g.keys()].some((k) => k.includes('\u2060'))).toBe(false);
  });

  it('property: every n-gram is a slice of the text without fillers, starting at a token', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const tokens = tok(parts);
        for (const [gram, { tokens: n, offsets }] of tokenNgrams(text, tokens)) {
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(3);
          expect(gram).not.toMatch(/^[\p{N}\p{P}\p{S}\p{Z}\s\p{Cf}]*$/u);
          for (const o of offsets) expect(tokens.some((t) => t.start === o)).toBe(true);
        }
      }),
    );
  });
});

describe('excerptAround', () => {
  it('property: at most 40 characters of the text, holding the phrase when it fits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.nat(), fc.nat({ max: 10 }), (text, s, len) => {
        const start = text.length ? s % text.length : 0;
        const length = Math.min(len, text.length - start);
        const e = excerptAround(text, start, length);
        expect(e.length).toBeLessThanOrEqual(40);
        expect(text.includes(e)).toBe(true);
        expect(e).toContain(text.slice(start, start + length));
      }),
    );
  });
});

describe('suggestPhrases', () => {
  const fx = writeGoldFixture();
  const analyzer = createAnalyzer();

  it('checks label and part before reading anything', () => {
    expect(() => checkSuggestOptions(fx.dir, { label: 'conduct.nope-but-fine' })).not.toThrow();
    expect(() => checkSuggestOptions(fx.dir, { label: 'nonsense' })).toThrow(/--label nonsense: not a function, category, subcategory or root-cause id/);
    expect(() => checkSuggestOptions(fx.dir, { part: 'held-out' })).toThrow(/held-out texts are never read while writing rules/);
    expect(() => checkSuggestOptions(fx.dir, { part: 'other' })).toThrow(/unknown part/);
  });

  it('never reads held-out documents (their gold files here are not JSON)', () => {
    const r = suggestPhrases(analyzer, fx.dir, { label: 'conduct' });
    expect(r.heldOut).toBe(fx.heldOut.length);
    expect(r.documents).toBe(fx.tuning.length + 1);
    const part = suggestPhrases(analyzer, fx.dir, { label: 'conduct', part: 'tuning' });
    expect(part.documents).toBe(fx.tuning.length);
  });

  // An analyzer that labels nothing misses every gold label, so every distinctive phrase shows.
  const blind: EvalAnalyzer = {
    lexicon: analyzer.lexicon,
    analyze: (input, options) => {
      const r = analyzer.analyze(input, options);
      return { ...r, passages: r.passages.map((p) => ({ ...p, function: 'context' as const, functionEvidence: [], categories: [], rootCauses: [] })) };
    },
  };

  it('ranks by missed units, then precision, then n-gram; counts and examples are consistent', () => {
    const r = suggestPhrases(blind, fx.dir, { top: 8 });
    expect(r.labels.map((l) => l.label)).toContain('conduct.formalism');
    const formalism = r.labels.find((l) => l.label === 'conduct.formalism')!;
    expect(formalism.missedUnits).toBe(formalism.goldUnits);
    expect(formalism.phrases.length).toBeGreaterThan(0);
    for (const l of r.labels) {
      const ps = l.phrases;
      for (let i = 1; i < ps.length; i++) {
        const [a, b] = [ps[i - 1]!, ps[i]!];
        expect(a.missed > b.missed || (a.missed === b.missed && a.precision >= b.precision)).toBe(true);
      }
      for (const p of ps) {
        expect(p.documents).toBeGreaterThanOrEqual(2);
        expect(p.sites).toBeLessThanOrEqual(p.documents);
        expect(p.missed).toBeLessThanOrEqual(p.units);
        expect(p.precision).toBeGreaterThan(0);
        expect(p.precision).toBeLessThanOrEqual(1);
        expect(p.examples.length).toBeGreaterThanOrEqual(1);
        expect(p.examples.length).toBeLessThanOrEqual(3);
        for (const e of p.examples) {
          expect(e.excerpt.length).toBeLessThanOrEqual(40);
          expect(createMatchingCopy(e.excerpt).normalized.replace(/\u2060/g, '')).toContain(p.phrase);
        }
      }
    }
    expect(suggestPhrases(blind, fx.dir, { top: 8 })).toEqual(r);
  });

  it('leaves out phrases the analyzer already gave as evidence of the label', () => {
    const r = suggestPhrases(analyzer, fx.dir, { top: 50, minLift: 0 });
    const evidence = new Map<string, string[]>();
    for (const name of ['feedback-01.txt', 'feedback-02.txt', 'analysis-01.txt']) {
      const report = analyzer.analyze(readFileSync(join(fx.dir, name)), { path: name });
      for (const p of report.passages) for (const c of p.categories) for (const e of c.evidence) evidence.set(c.id, [...(evidence.get(c.id) ?? []), createMatchingCopy(e.text).normalized]);
    }
    for (const l of r.labels) for (const p of l.phrases) for (const e of evidence.get(l.label) ?? []) expect(e.includes(p.phrase)).toBe(false);
  });

  it('leaves out phrases a rule of the label holds among its terms, even where its evidence stayed below the threshold', () => {
    // Blind, but with the rules: every label is missed, and no phrase may lie inside a term of a rule giving it.
    const withRules: EvalAnalyzer = { ...blind, ruleset: analyzer.ruleset };
    const r = suggestPhrases(withRules, fx.dir, { top: 50, minLift: 0 });
    expect(r.labels.length).toBeGreaterThan(0);
    const termsOf = (label: string): string[] =>
      analyzer.ruleset.rules.filter((rule) => [rule.target.function, rule.target.rootCause, rule.target.category?.id, rule.target.category?.subcategory].includes(label)).flatMap((rule) => rule.terms.map((t) => createMatchingCopy(t).normalized));
    for (const l of r.labels) for (const p of l.phrases) for (const t of termsOf(l.label)) expect(t.includes(p.phrase), `${l.label}: ${p.phrase} in ${t}`).toBe(false);
    // Without the rules, the same blind reading suggests some of those.
    const bare = suggestPhrases(blind, fx.dir, { top: 50, minLift: 0 });
    expect(bare.labels.some((l) => l.phrases.some((p) => termsOf(l.label).some((t) => t.includes(p.phrase))))).toBe(true);
  });

  it('refuses a subcategory the rules do not have when the analyzer lists its labels', () => {
    expect(() => suggestPhrases(analyzer, fx.dir, { label: 'conduct.formalsm' })).toThrow('--label conduct.formalsm: not a subcategory of the rules\' taxonomy (conduct: conduct.formalism, conduct.hedonism, conduct.masses)');
  });

  it('formats text with a line per phrase and its examples', () => {
    const text = formatSuggestText(suggestPhrases(blind, fx.dir, { label: 'conduct.formalism', top: 2 }));
    expect(text).toMatch(/^xunshi rules suggest: \d+ document\(s\), \d+ gold unit\(s\) of /);
    expect(text).toMatch(/left out 2 document\(s\) marked part=held-out/);
    expect(text).toMatch(/\nconduct\.formalism \(subcategory\): \d+ gold unit\(s\), \d+ missed\n {2}missed +prec +units +docs +sites +phrase\n/);
    expect(text).toMatch(/\n {32}[\w-]+\.(txt|md)#\d+ {2}\S/);
  });
});
