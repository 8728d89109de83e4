import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Passage, Report } from '@xunshi/types';
import { addErrorToSummary, addReportToSummary, createCorpusSummary, escapeForTerminal, renderCorpusSummary, renderTable, summarizePassages, truncateToWidth } from '@xunshi/report';

const zeroFacts = { political: { amount: 0, people: 0, cases: 0 }, organizational: { amount: 0, people: 0, cases: 0 }, conduct: { amount: 0, people: 0, cases: 0 }, discipline: { amount: 0, people: 0, cases: 0 }, none: { amount: 0, people: 0, cases: 0 } };

function passage(start: number, text: string, fn: Passage['function'], sub?: string): Passage {
  const end = start + text.length;
  const ev = sub ? [{ rule: 'x.y', start, end, text }] : [];
  return {
    id: `u${start}`, start, end, text, headingPath: [], function: fn,
    functionScores: { problem: 0, cause: 0, measure: 0, context: 0 }, functionEvidence: [],
    categories: sub ? [{ id: sub.split('.')[0] as 'conduct', subcategory: sub, score: 0.6, evidence: ev }] : [],
    rootCauses: [], facts: [],
  };
}

describe('summaries', () => {
  const passages = [passage(0, '形式主义', 'problem', 'conduct.formalism'), passage(5, '要整治形式主义', 'measure', 'conduct.formalism'), passage(13, '背景', 'context')];
  it('counts passages per function, category and subcategory, and evidence phrases', () => {
    const s = summarizePassages(passages, zeroFacts);
    expect(s.functions).toEqual({ problem: 1, cause: 0, measure: 1, context: 1 });
    expect(s.categories.conduct).toBe(2);
    expect(s.subcategories).toEqual({ 'conduct.formalism': 2 });
    expect(s.keywords[0]).toEqual({ text: '形式主义', count: 1 });
  });
  it('renders a corpus table with labels, shares and failed inputs', () => {
    const acc = createCorpusSummary();
    const report = { source: { path: 'a.txt' }, passages, summary: summarizePassages(passages, zeroFacts) } as unknown as Report;
    addReportToSummary(acc, report);
    addErrorToSummary(acc, { path: 'b.txt', code: 'XUNSHI_INPUT_EMPTY', message: 'the file is empty' });
    const out = renderCorpusSummary(acc, { problem: { zh: '问题', en: 'Problem' }, 'conduct.formalism': { zh: '形式主义官僚主义', en: 'Formalism' } });
    expect(out).toContain('1 document(s) analysed, 1 failed, 3 passage(s)');
    expect(out).toMatch(/problem\s+问题 Problem\s+1\s+33\.3%/);
    expect(out).toContain('形式主义官僚主义 Formalism');
    expect(out).toContain('XUNSHI_INPUT_EMPTY');
  });
  it('gives the same table for the same reports in any order (subcategories by id, not as first seen)', () => {
    const a = [passage(0, '形式主义', 'problem', 'conduct.formalism')];
    const b = [passage(0, '享乐主义', 'problem', 'conduct.hedonism'), passage(5, '形式主义', 'problem', 'conduct.formalism')];
    const tableOf = (order: (typeof a)[]): string => {
      const acc = createCorpusSummary();
      order.forEach((p, i) => addReportToSummary(acc, { source: { path: `${i}.txt` }, passages: p, summary: summarizePassages(p, zeroFacts) } as unknown as Report));
      return renderCorpusSummary(acc, {}).replace(/documents with most problem passages[\s\S]*/, '');
    };
    // Reports seen in the other order: hedonism first, then formalism.
    const b1 = [passage(0, '享乐主义', 'problem', 'conduct.hedonism')];
    expect(tableOf([b1, b, a])).toBe(tableOf([a, b, b1]));
    expect(tableOf([b1, a]).indexOf('conduct.formalism')).toBeLessThan(tableOf([b1, a]).indexOf('conduct.hedonism'));
  });
  it('never lets report text or file names drive the terminal: controls, C1 and bidi overrides are escaped', () => {
    // An evidence phrase spanning a cursor-up and erase-line (a pattern's gap takes any character but punctuation), a
    // document named with a title change and a carriage return, a failed input named with a newline and a colour.
    const hostile = passage(0, '查处了\u001b[1A\u001b[K3名', 'problem', 'discipline.enforcement');
    const acc = createCorpusSummary();
    for (const path of ['t\u001b]0;PWNED\u0007.txt', 'cr\rFAKE.txt']) {
      addReportToSummary(acc, { source: { path }, passages: [hostile], summary: summarizePassages([hostile], zeroFacts) } as unknown as Report);
    }
    addErrorToSummary(acc, { path: 'nl\nxunshi: fake\u001b[31m.txt', code: 'XUNSHI_INPUT_EMPTY', message: 'bad \u202e\u009b31m\b\t' });
    const out = renderCorpusSummary(acc, {});
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('查处了\\x1b[1A\\x1b[K3名');
    expect(out).toContain('t\\x1b]0;PWNED\\x07.txt');
    expect(out).toContain('cr\\rFAKE.txt');
    expect(out).toContain('nl\\nxunshi: fake\\x1b[31m.txt');
    expect(out).toContain('bad \\u202e\\x9b31m\\x08\\t');
    // Escaped text is plain text, so the columns still line up.
    const rows = out.split('\n').filter((l) => l.includes('.txt') && l.includes(' 1 '));
    expect(new Set(rows.map((l) => stringWidth(l)))).toHaveProperty('size', 1);
    expect(escapeForTerminal('形式主义 😀 e\u0301')).toBe('形式主义 😀 e\u0301');
  });
  it('adds the amounts of many reports to the cent (no floating-point tails in the table)', () => {
    const acc = createCorpusSummary();
    for (const amount of [0.1, 0.2, 1234.56, 0.07]) {
      const facts = { ...zeroFacts, conduct: { amount, people: 1, cases: 0 } };
      addReportToSummary(acc, { source: { path: `${amount}.txt` }, passages: [], summary: { ...summarizePassages([], facts) } } as unknown as Report);
    }
    expect(acc.facts.conduct).toEqual({ amount: 1234.93, people: 4, cases: 0 });
    expect(renderCorpusSummary(acc, {})).toMatch(/conduct\s+1234\.93元\s+4\s+0/);
  });
  it('cuts text by display width, whole grapheme clusters only', () => {
    expect(truncateToWidth('纪律建设与反腐败', 7)).toBe('纪律建…');
    expect(stringWidth(truncateToWidth('纪律建设与反腐败', 8))).toBe(7); // a CJK character is never split
    expect(truncateToWidth('ab👨‍👩‍👧cd', 4)).toBe('ab…'); // the family emoji is two columns and one cluster
    expect(truncateToWidth('ab👨‍👩‍👧cd', 5)).toBe('ab👨‍👩‍👧…');
    expect(truncateToWidth('cafe\u0301st', 5)).toBe('cafe\u0301…'); // é as e + combining acute stays whole
    expect(truncateToWidth('/a/long/path/报告.txt', 10, true)).toBe('…/报告.txt');
    expect(truncateToWidth('short', 5)).toBe('short');
  });
  it('fits the summary into a terminal width by cutting labels, phrases and file names; without a width nothing is cut', () => {
    const long = passage(0, '违规收受礼品礼金'.repeat(6), 'problem', 'conduct.hedonism');
    const acc = createCorpusSummary();
    for (const path of ['/very/long/folder/name/of/the/inspection/reports/2024/第一轮巡视反馈情况.txt', 'b.txt']) {
      addReportToSummary(acc, { source: { path }, passages: [long], summary: summarizePassages([long], zeroFacts) } as unknown as Report);
    }
    const labels = { discipline: { zh: '纪律建设与反腐败', en: 'Discipline and anti-corruption' }, organizational: { zh: '党的建设', en: 'Party and organisational building' } };
    const whole = renderCorpusSummary(acc, labels);
    expect(Math.max(...whole.split('\n').map((l) => stringWidth(l)))).toBeGreaterThan(80);
    expect(whole).not.toContain('…');
    const fitted = renderCorpusSummary(acc, labels, 15, 80);
    for (const line of fitted.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(fitted).toMatch(/^b\.txt\s+1\s+1$/m); // what fits is not cut
    expect(fitted).toMatch(/^违规收受礼品礼金\S*…\s+2$/m);
    expect(fitted).toContain('第一轮巡视反馈情况.txt'); // a file name keeps its end
    expect(fitted).toMatch(/^…\S*第一轮巡视反馈情况\.txt\s+1\s+1$/m);
  });
  it('counts an evidence phrase kept with a pinyin gloss or an invisible character inside as the words it is', () => {
    const acc = createCorpusSummary();
    const texts = ['圈子文化', '圈子\u200b文化', '主體責任', '主體責(zé)任'];
    const ps = texts.map((t, i) => passage(i * 20, t, 'problem', 'political.political-life'));
    addReportToSummary(acc, { source: { path: 'a.txt' }, passages: ps, summary: summarizePassages(ps, zeroFacts) } as unknown as Report);
    expect([...acc.keywords.entries()]).toEqual([['圈子文化', 2], ['主體責任', 2]]);
    expect(summarizePassages(ps, zeroFacts).keywords).toEqual(expect.arrayContaining([{ text: '圈子文化', count: 2 }, { text: '主體責任', count: 2 }]));
    expect(summarizePassages(ps, zeroFacts).keywords).toHaveLength(2);
  });
  it('aligns CJK text by display width', () => {
    const table = renderTable(['a', 'b'], [['问题', 'x'], ['ab', 'y']]).split('\n');
    // 问题 is two characters but four columns wide: the second column starts at display column 6 in both rows.
    expect(stringWidth(table[2]!.slice(0, table[2]!.indexOf('x')))).toBe(6);
    expect(stringWidth(table[3]!.slice(0, table[3]!.indexOf('y')))).toBe(6);
  });
});
