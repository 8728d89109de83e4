import { describe, expect, it } from 'vitest';
import type { Unit } from '@xunshi/types';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { collectBoundaries, matchRange, tagPassages } from '@xunshi/engine';

// Engine tests without the segmenter: every character is a token, so every offset is a boundary.
const ruleset = loadRuleSet({ dirs: [getDefaultRulesDir()] });
const charTokens = (text: string) => [...text].map((ch, i) => ({ start: i, end: i + 1, text: ch }));
const ids = (text: string) => matchRange(ruleset, text, { start: 0, end: text.length }, collectBoundaries(charTokens(text))).label.map((h) => ruleset.rules[h.rule]!.id);

/**
 * One unit per non-empty line. A line starting with #, ## … is a heading of that level (the marks are dropped from the
 * returned text); the other lines sit under the last headings.
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
    out.push({ id: `u${out.length}`, index: out.length, start, end: start + line.length, text: line, headingPath: [...stack], isHeading: level > 0, block: out.length });
    if (level > 0) stack.push(line);
  }
  return { text: source, units: out };
}

describe('matchRange', () => {
  it('pairs near terms within their distance, in order', () => {
    expect(ids('对巡视整改重视不够')).toContain('political.rectification.failed');
    expect(ids('重视不够的整改')).not.toContain('political.rectification.failed');
  });
  it('drops problem cues that a negation governs', () => {
    expect(ids('存在违规发放津贴补贴问题')).toContain('problem.violation');
    expect(ids('严禁违规发放津贴补贴')).not.toContain('problem.violation');
  });
  it('drops problem cues inside an exclusion span', () => {
    expect(ids('对落实不力、打折扣搞变通的，要严肃追责问责').filter((id) => id.startsWith('problem.'))).toEqual([]);
  });
  it('keeps the longest of nested terms of one dimension (主体责任 inside 全面从严治党主体责任 counts once)', () => {
    const text = '全面从严治党主体责任落实不到位';
    const hits = matchRange(ruleset, text, { start: 0, end: text.length }, collectBoundaries(charTokens(text))).label;
    const accountability = hits.filter((h) => ruleset.rules[h.rule]!.id === 'discipline.accountability.two-duties').map((h) => text.slice(h.start, h.end));
    expect(accountability).toEqual(['全面从严治党主体责任']);
  });
});

describe('tagPassages', () => {
  it('returns one passage per unit, in order, with evidence for every label', () => {
    const { text, units } = outline('巡察发现的主要问题：\n选人用人不规范，存在带病提拔问题。\n要严格执行干部选拔任用条例。\n该局取得了明显成效。');
    const passages = tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) });
    expect(passages.map((p) => p.function)).toEqual(['problem', 'problem', 'measure', 'context']);
    expect(passages[1]!.categories.map((c) => c.subcategory)).toContain('organizational.cadres');
    for (const p of passages) {
      for (const c of p.categories) expect(c.evidence.length).toBeGreaterThan(0);
      expect(p.start).toBeLessThan(p.end);
    }
  });
  it('is deterministic', () => {
    const { text, units } = outline('形式主义问题依然存在。\n坚决整治形式主义。');
    const run = () => JSON.stringify(tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) }));
    expect(run()).toBe(run());
  });
  it('gives a heading the function it announces, ahead of what the headings above it announce', () => {
    const { text, units } = outline('#村级监督的问题根源\n##整改方向与具体措施\n建立村务监督委员会履职清单。\n##主要问题\n村务公开不及时。');
    const fns = tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) }).map((p) => p.function);
    expect(fns[1]).toBe('measure');
    expect(fns[3]).toBe('problem');
  });
  it('takes no function prior from an overview heading that announces several functions (表现、根源与对策)', () => {
    const tag = (title: string) => {
      const { text, units } = outline(`#${title}\n村干部违规领取误工补贴。`);
      return tagPassages(ruleset, { source: text, normalized: text, units, tokens: charTokens(text) })[1]!.functionScores.cause;
    };
    expect(tag('村级微腐败的根源')).toBeGreaterThan(0);
    expect(tag('村级微腐败：表现、根源与对策')).toBe(0);
  });
});
