import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Unit } from '@xunshi/types';
import { loadRuleSet } from '@xunshi/rules';
import { collectBoundaries, collectUnitEvidence, matchDocument, matchRange, resolveAncestors, tagPassages } from '@xunshi/engine';

// The engine is tested on its own fixture ruleset (fixtures/rules), never on the shipped rules, and without the
// segmenter: every character is a token, so every offset is a boundary.
const ruleset = loadRuleSet({ dirs: [fileURLToPath(new URL('./fixtures/rules/', import.meta.url))] });
const charTokens = (text: string) => [...text].map((ch, i) => ({ start: i, end: i + 1, text: ch }));
const hitsOf = (text: string) => matchRange(ruleset, text, { start: 0, end: text.length }, collectBoundaries(charTokens(text)));
const ids = (text: string) => hitsOf(text).label.map((h) => ruleset.rules[h.rule]!.id);

/**
 * One unit per non-empty line. A line starting with #, ## … is a heading of that level (the marks are dropped from the
 * returned text); a line starting with "1." is an enumerated item; the other lines sit under the last headings.
 */
function outline(text: string): { text: string; units: Unit[] } {
  const out: Unit[] = [];
  const stack: string[] = [];
  let source = '';
  for (const raw of text.split('\n')) {
    const level = /^#+/.exec(raw)?.[0].length ?? 0;
    const line = raw.slice(level);
    const start = source.length;
    source += line + '\n';
    if (!line) continue;
    if (level > 0) stack.length = level - 1;
    const unit: Unit = { id: `u${out.length}`, index: out.length, start, end: start + line.length, text: line, headingPath: [...stack], isHeading: level > 0, block: out.length };
    if (/^\d\./.test(line)) unit.enumeration = { marker: line.slice(0, 2), style: 'arabic-dot', ordinal: Number(line[0]) };
    out.push(unit);
    if (level > 0) stack.push(line);
  }
  return { text: source, units: out };
}

function tag(doc: string, diagnostics?: Diagnostic[]) {
  const { text, units } = outline(doc);
  return tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text), ...(diagnostics ? { diagnostics } : {}) });
}
const cats = (p: { categories: { subcategory: string | null; id: string }[] }) => p.categories.map((c) => c.subcategory ?? c.id);

describe('match phase', () => {
  it('pairs near terms within their distance, in order', () => {
    expect(ids('整改工作不到位')).toContain('fn.paired');
    expect(ids('整改工作开展得很不到位')).not.toContain('fn.paired');
    expect(ids('不到位的整改')).not.toContain('fn.paired');
  });
  it('pairs a frame\'s concept and predicate within its distance and in one clause', () => {
    expect(ids('宗旨意识比较淡薄')).toContain('fn.outlook-frame');
    expect(ids('意识是有的，淡薄')).not.toContain('fn.outlook-frame');
    expect(ids('意识方面的问题很多很淡薄')).not.toContain('fn.outlook-frame');
  });
  it('drops the hits a negation governs, within its window and scope', () => {
    expect(ids('严禁存在形式主义')).toEqual([]);
    expect(ids('严禁，但现在仍然存在形式主义')).toEqual(['fn.found', 'conduct.formalism.formalism']);
  });
  it('drops the hits inside an exclusion span', () => {
    expect(ids('学习《形式主义问题研究》')).toEqual([]);
  });
  it('keeps the longest of nested terms of one dimension', () => {
    expect(ids('存在带病提拔')).toEqual(['fn.found', 'organizational.cadres.selection']);
    expect(ids('违规提拔')).toEqual(['organizational.cadres.promotion']);
  });
  it('counts only the strongest document cue of the lead, once, and reports absence rules as diagnostics', () => {
    const { text, units } = outline('巡察反馈整改进展情况\n整改进展顺利\n第三行');
    const doc = matchDocument(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    expect(doc.documentHits.map((h) => ruleset.rules[h.rule]!.id)).toEqual(['doc.progress-report']);
    expect(doc.absentRules).toEqual([]);
    const diagnostics: Diagnostic[] = [];
    const plain = outline('今天下雨');
    const none = matchDocument(ruleset, { source: plain.text, normalized: plain.text, units: plain.units, tokens: charTokens(plain.text), diagnostics });
    expect(none.absentRules.map((i) => ruleset.rules[i]!.id)).toEqual(['doc.not-inspection']);
    expect(diagnostics).toEqual([{ code: 'XUNSHI_DOCUMENT_KIND', message: 'doc.not-inspection: no inspection word anywhere' }]);
  });
  it('counts how many functions a heading announces', () => {
    const { text, units } = outline('#主要问题、根源与整改措施\n#主要问题');
    const doc = matchDocument(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    expect(doc.headingCues.map((h) => h.functions)).toEqual([3, 1]);
  });
});

describe('outline phase', () => {
  it('resolves each unit\'s enclosing headings, nearest first, with their depth', () => {
    const { units } = outline('#甲\n##乙\n正文\n#丙\n正文');
    expect(resolveAncestors(units)).toEqual([[], [{ unit: 0, depth: 0 }], [{ unit: 1, depth: 0 }, { unit: 0, depth: 1 }], [], [{ unit: 3, depth: 0 }]]);
  });
  it('resolves a repeated heading text to its last occurrence', () => {
    const { units } = outline('#甲\n正文\n#甲\n正文');
    expect(resolveAncestors(units)[3]).toEqual([{ unit: 2, depth: 0 }]);
  });
});

describe('own-evidence phase', () => {
  it('counts a rule at most perRuleCap times per label and keeps every hit as evidence', () => {
    const { text, units } = outline('存在形式主义，形式主义，文山会海，存在');
    const doc = matchDocument(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    const ev = collectUnitEvidence(ruleset, units[0]!, doc.perUnit[0]!);
    expect(ev.cat.get('conduct.formalism')!.score).toBe(2); // category cap 2
    expect(ev.cat.get('conduct.formalism')!.hits).toHaveLength(3);
    expect(ev.fn.get('problem')!.score).toBe(1); // function cap 1
    expect(ev.categoryTotals.get('conduct')).toBe(2);
  });
  it('treats a short enumerated item as heading-like, a long one not', () => {
    const { text, units } = outline('1.形式主义\n2.形式主义问题在一些单位仍然存在');
    const doc = matchDocument(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    expect(units.map((u, i) => collectUnitEvidence(ruleset, u, doc.perUnit[i]!).headingLike)).toEqual([true, false]);
  });
});

describe('function phase', () => {
  it('needs function.threshold; below it the unit is context', () => {
    const [p] = tag('会议次数偏少');
    expect(p!.function).toBe('context');
    expect(p!.functionScores.problem).toBe(0.5);
  });
  it('is context when context scores as much as the best other function', () => {
    expect(tag('存在问题，但整改成效明显')[0]!.function).toBe('context');
    // Exactly as much: 存在 1 + 偏少 0.5 + the feedback document's prior 0.5 = 2 against 成效明显's 2 (the case above
    // is 1 against 2, which a tie going to problem would pass too).
    const [, tie] = tag('巡察反馈会召开\n存在问题，次数偏少，但整改成效明显');
    expect(tie!.functionScores).toMatchObject({ problem: 2, context: 2 });
    expect(tie!.function).toBe('context');
  });
  it('gives a heading the function it announces, ahead of what the headings above it announce', () => {
    const fns = tag('#主要问题\n##整改措施\n要建立制度\n##一般情况\n巡察发现存在问题').map((p) => p.function);
    expect(fns).toEqual(['problem', 'measure', 'measure', 'context', 'problem']);
  });
  it('adds a heading\'s function to a body unit only when the unit has a function cue of its own', () => {
    const [, weak, none] = tag('#主要问题\n巡察发现会议次数偏少\n今天开会');
    expect(weak!.function).toBe('problem'); // 0.5 own + 0.6 heading prior
    expect(weak!.functionScores.problem).toBe(1.1);
    expect(none!.function).toBe('context');
    expect(none!.functionScores.problem).toBe(0);
  });
  it('decays a heading prior with distance', () => {
    const [, , p] = tag('#主要问题\n##其他\n会议次数偏少');
    expect(p!.functionScores.problem).toBe(0.8); // 0.5 + 0.6 × 0.5¹
    expect(p!.function).toBe('context');
  });
  it('takes no function prior from an overview heading that announces several functions', () => {
    expect(tag('#主要问题、根源与整改措施\n会议次数偏少')[1]!.functionScores.problem).toBe(0.5);
  });
  it('adds the document kind\'s function to units with evidence of their own', () => {
    const ps = tag('关于整改进展情况的通报\n形式主义突出\n今天开会');
    expect(ps[1]!.function).toBe('measure'); // 2 × 0.5
    expect(ps[1]!.functionEvidence.map((e) => e.rule)).toEqual(['doc.progress-report']);
    expect(ps[2]!.function).toBe('context');
  });
  it('lets an absence rule outweigh weak cues, and says so once in the diagnostics', () => {
    const diagnostics: Diagnostic[] = [];
    const ps = tag('存在问题\n要建立制度', diagnostics);
    expect(ps.map((p) => p.function)).toEqual(['context', 'context']);
    expect(diagnostics.map((d) => d.code)).toEqual(['XUNSHI_DOCUMENT_KIND']);
  });
});

describe('category phase', () => {
  it('never takes a category from a heading alone', () => {
    expect(cats(tag('#作风建设方面\n巡察发现存在问题')[1]!)).toEqual([]);
  });
  it('lets a heading strengthen a category the unit already points at', () => {
    expect(cats(tag('巡察发现存在过度留痕')[0]!)).toEqual([]); // 0.6 < 1
    const p = tag('#作风建设方面\n巡察发现存在过度留痕')[1]!;
    expect(cats(p)).toEqual(['conduct.formalism']); // 0.6 + 1 × 0.5
    expect(p.categories[0]!.evidence.map((e) => e.rule)).toEqual(['sections.conduct-area', 'conduct.formalism.weak-cue']);
  });
  it('needs contextKeeps in a context unit', () => {
    expect(cats(tag('巡察关注形式主义、文山会海')[0]!)).toEqual([]); // 2 < 3
    expect(cats(tag('巡察关注形式主义、文山会海、作风问题')[0]!)).toEqual(['conduct.formalism']); // 3
  });
  it('reports a second subcategory only when it reaches its share of the top one and of the threshold', () => {
    expect(cats(tag('巡察发现存在形式主义和多头跑')[0]!)).toEqual(['conduct.formalism', 'conduct.masses']); // 0.6 ≥ max(0.5, 0.5)
    expect(cats(tag('巡察发现存在形式主义、文山会海和多头跑')[0]!)).toEqual(['conduct.formalism']); // 0.6 < max(0.5, 1)
  });
  it("weighs a rule's hits by its measureWeight in a measure unit only", () => {
    const [found] = tag('巡察发现存在文风会风问题');
    expect(found!.function).toBe('problem');
    expect(cats(found!)).toEqual(['conduct.formalism']);
    const [demand] = tag('要建立制度整改文风会风');
    expect(demand!.function).toBe('measure');
    expect(cats(demand!)).toEqual([]); // measureWeight 0
    expect(cats(tag('要建立制度整改形式主义')[0]!)).toEqual(['conduct.formalism']); // weight 1 in a measure too
  });
  it('reports an area-only category with a null subcategory', () => {
    expect(tag('巡察发现存在作风问题')[0]!.categories.map((c) => [c.id, c.subcategory])).toEqual([['conduct', null]]);
  });
});

describe('root-cause phase', () => {
  it('reports a root cause at its threshold, and needs contextKeeps in a context unit', () => {
    expect(tag('巡察发现主体责任落实不到位')[0]!.rootCauses.map((r) => r.id)).toEqual(['responsibility']);
    expect(tag('巡察组讲到主体责任')[0]!.rootCauses).toEqual([]);
  });
  it('lets a heading strengthen a root cause the unit already shows', () => {
    const p = tag('#责任方面\n巡察发现主体责任落实不到位')[1]!;
    expect(p.rootCauses[0]!.score).toBeCloseTo(1 - Math.exp(-1.5), 3);
  });
});

describe('tagPassages', () => {
  it('returns one passage per unit, in order, with evidence for every label', () => {
    const ps = tag('#主要问题\n巡察发现选人用人不规范，存在带病提拔。\n要建立制度。\n整改成效明显。');
    expect(ps.map((p) => p.function)).toEqual(['problem', 'problem', 'measure', 'context']);
    expect(cats(ps[1]!)).toEqual(['organizational.cadres']);
    for (const p of ps) {
      for (const c of p.categories) expect(c.evidence.length).toBeGreaterThan(0);
      expect(p.start).toBeLessThan(p.end);
    }
  });
  it('is deterministic', () => {
    const run = () => JSON.stringify(tag('巡察发现形式主义问题依然存在。\n坚决整治形式主义，要建立制度。'));
    expect(run()).toBe(run());
  });
});

describe('topic phase', () => {
  it('gives a problem unit without a category the one area of its section heading, citing the heading', () => {
    const ps = tag('#形式主义问题\n巡察发现存在问题\n巡察发现存在选人用人问题');
    expect(cats(ps[1]!)).toEqual(['conduct.formalism']);
    expect(ps[1]!.categories[0]!.evidence.map((e) => [e.rule, e.text])).toEqual([['topic:conduct.formalism.formalism', '形式主义']]);
    expect(ps[1]!.categories[0]!.score).toBeLessThan(ps[0]!.categories[0]?.score ?? 1);
    expect(cats(ps[2]!)).toEqual(['organizational.cadres']); // its own area wins
  });
  it('continues the area of the paragraph\'s opening sentence, not into context units', () => {
    const { text, units } = outline('巡察发现存在形式主义\n巡察发现存在问题\n今天开会');
    units[1]!.block = 0;
    units[2]!.block = 0;
    const ps = tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    expect(cats(ps[1]!)).toEqual(['conduct.formalism']);
    expect(cats(ps[2]!)).toEqual([]);
  });
  it('gives a measure body unit the area of its section heading only, with topic.headingFunctions', () => {
    const rs = { ...ruleset, scoring: { ...ruleset.scoring, topic: { ...ruleset.scoring.topic, headingFunctions: ['measure' as const] } } };
    const run = (doc: string) => {
      const { text, units } = outline(doc);
      return tagPassages(rs, { source: text, normalized: text, units, tokens: charTokens(text) });
    };
    const ps = run('#形式主义问题\n巡察后要建立制度。');
    expect(ps[1]!.function).toBe('measure');
    expect(cats(ps[1]!)).toEqual(['conduct.formalism']);
    expect(ps[1]!.categories[0]!.evidence.map((e) => e.rule)).toEqual(['topic:conduct.formalism.formalism']);
    // Not from a title or a paragraph opener, and not without the setting (the fixture's scoring has none).
    expect(run('警惕形式主义\n巡察后要建立制度。')[1]!.function).toBe('measure');
    expect(cats(run('警惕形式主义\n巡察后要建立制度。')[1]!)).toEqual([]);
    expect(cats(tag('#形式主义问题\n巡察后要建立制度。')[1]!)).toEqual([]);
  });
  it('takes the title\'s area when the first unit is a short title', () => {
    expect(cats(tag('警惕形式主义\n巡察发现存在问题')[1]!)).toEqual(['conduct.formalism']);
    expect(cats(tag('巡察发现形式主义问题依然存在，而且在一些地方还很突出，需要认真对待。\n巡察发现存在问题')[1]!)).toEqual([]);
  });
});

describe('category model', () => {
  const withModel = (weights: Record<string, number>, threshold = 0) => {
    const rs = { ...ruleset, categoryModel: { threshold, weights } };
    return (doc: string) => {
      const { text, units } = outline(doc);
      return tagPassages(rs, { source: text, normalized: text, units, tokens: charTokens(text) });
    };
  };

  it('gives every candidate category its features, with what the hand-set threshold decides', () => {
    const { text: source, units } = outline('巡察发现存在过度留痕和选人用人不规范');
    const samples: NonNullable<Parameters<typeof tagPassages>[1]['categorySamples']> = [];
    tagPassages(ruleset, { source, normalized: source, units, tokens: charTokens(source), categorySamples: samples });
    expect(samples.map((s) => [s.unit, s.id, s.rules])).toEqual([
      [0, 'organizational', true],
      [0, 'conduct', false], // 0.6 < 1
    ]);
    const conduct = samples.find((s) => s.id === 'conduct')!.x;
    expect(conduct.get('bias')).toBe(1);
    expect(conduct.get('fn:problem')).toBe(1);
    expect(conduct.get('catfn:conduct|problem')).toBe(1);
    expect(conduct.get('kept')).toBe(0);
    expect(conduct.get('ncand')).toBe(2);
    expect(conduct.get('rule:conduct.formalism.weak-cue')).toBe(1);
    expect(conduct.get('fnrule:fn.found')).toBe(1);
    expect(conduct.get('score')).toBeCloseTo(Math.log1p(0.6), 6);
  });

  it("gives each candidate its neighbours' areas as the hand-set thresholds see them", () => {
    const { text: source, units } = outline('巡察发现存在形式主义\n巡察发现存在过度留痕\n巡察发现存在选人用人不规范');
    const samples: NonNullable<Parameters<typeof tagPassages>[1]['categorySamples']> = [];
    tagPassages(ruleset, { source, normalized: source, units, tokens: charTokens(source), categorySamples: samples });
    const of = (unit: number) => samples.find((s) => s.unit === unit)!.x;
    // Unit 1 (留痕, 0.6: not kept by the thresholds) follows a conduct unit and precedes an organizational one.
    expect(of(1).get('prev:same')).toBe(1);
    expect(of(1).get('next:other')).toBe(1);
    // Unit 0 has no previous unit; its next one has no kept area, so it adds nothing.
    expect([...of(0).keys()].filter((k) => k.startsWith('prev:') || k.startsWith('next:'))).toEqual([]);
    expect(of(2).has('prev:same') || of(2).has('prev:other')).toBe(false);
  });

  it('keeps a candidate above its threshold and explains one the hand-set rules would have dropped', () => {
    const tagM = withModel({ bias: -1, 'rule:conduct.formalism.weak-cue': 3 });
    const [p] = tagM('巡察发现存在过度留痕');
    expect(cats(p!)).toEqual(['conduct.formalism']);
    expect(p!.categories[0]!.evidence.map((e) => e.rule)).toEqual(['conduct.formalism.weak-cue', 'category-model:rule:conduct.formalism.weak-cue']);
    expect(p!.categories[0]!.evidence[1]!.text).toBe('留痕');
  });

  it('drops a candidate at or below its threshold; a unit left without any is not given a topic', () => {
    const tagM = withModel({ bias: 1, 'cat:organizational': -5 });
    const doc = '选人用人问题的分析\n巡察发现存在选人用人不规范\n巡察发现存在问题';
    expect(cats(tagM(doc)[1]!)).toEqual([]);
    // Without the model the same unit keeps its category (and a unit without evidence takes the title's topic).
    expect(cats(tag(doc)[1]!)).toEqual(['organizational.cadres']);
    expect(cats(tagM('巡察发现存在选人用人不规范')[0]!)).toEqual([]);
    expect(cats(withModel({ bias: 1 }, 1)('巡察发现存在选人用人不规范')[0]!)).toEqual([]); // score 1 is not above 1
  });
});
