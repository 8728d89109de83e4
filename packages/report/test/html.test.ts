import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { Element, Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import type { Fact, Passage, Report } from '@xunshi/types';
import { describeFactChip, pageHref, renderDocumentHtml, renderIndexHtml, summarizePassages, type LabelTable } from '@xunshi/report';

const zeroFacts = { political: { amount: 0, people: 0, cases: 0 }, organizational: { amount: 0, people: 0, cases: 0 }, conduct: { amount: 0, people: 0, cases: 0 }, discipline: { amount: 0, people: 0, cases: 0 }, none: { amount: 0, people: 0, cases: 0 } };
const LABELS: LabelTable = {
  problem: { zh: '问题', en: 'Problem' },
  cause: { zh: '根源', en: 'Cause' },
  measure: { zh: '整改', en: 'Measure' },
  context: { zh: '背景', en: 'Context' },
  discipline: { zh: '纪律', en: 'Discipline' },
  'discipline.integrity-risk': { zh: '廉洁风险', en: 'Integrity risks' },
  responsibility: { zh: '责任落实虚化', en: 'Hollow responsibility' },
};

/** A report over `lines` (one passage a line, joined by newlines); `marks` gives a category evidence by substring. */
function makeReport(lines: string[], path: string | null = 'a.txt', marks: Record<number, string> = {}, facts: Record<number, Fact[]> = {}): Report {
  let at = 0;
  const passages: Passage[] = lines.map((text, i) => {
    const start = at;
    at += text.length + 1;
    const mark = marks[i];
    const k = mark ? text.indexOf(mark) : -1;
    const evidence = k >= 0 ? [{ rule: 'discipline.integrity-risk.bidding', start: start + k, end: start + k + mark!.length, text: mark! }] : [];
    return {
      id: `u${i}`, start, end: start + text.length, text, headingPath: i > 0 ? [lines[0]!] : [],
      function: evidence.length ? 'problem' : 'context',
      functionScores: { problem: evidence.length ? 1.5 : 0, cause: 0, measure: 0, context: 1 },
      functionEvidence: [],
      categories: evidence.length ? [{ id: 'discipline', subcategory: 'discipline.integrity-risk', score: 1.25, evidence }] : [],
      rootCauses: [],
      facts: facts[i] ?? [],
    };
  });
  return {
    schemaVersion: 1,
    tool: { name: 'xunshi', version: '0.0.0', rulesetHash: 'sha256:0' },
    source: { path, format: 'text', encoding: 'utf-8', script: 'simplified', sha256: '0', length: Math.max(0, at - 1) },
    passages,
    summary: summarizePassages(passages, zeroFacts),
    diagnostics: [],
  };
}

function walk(node: Root | RootContent, visit: (el: Element) => void): void {
  if (node.type === 'element') visit(node);
  if ('children' in node) for (const c of node.children) walk(c, visit);
  if (node.type === 'element' && node.content) walk(node.content, visit);
}
function textOf(node: Root | RootContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && (node.properties.className as string[] | undefined)?.includes('chip')) return '';
  return 'children' in node ? node.children.map(textOf).join('') : '';
}
const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'a', 'header', 'h1', 'h2', 'p', 'ul', 'ol', 'li', 'span', 'div', 'nav', 'main', 'form', 'label', 'select', 'option', 'button', 'output', 'script', 'section', 'figure', 'figcaption', 'svg', 'g', 'rect', 'text', 'title', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

/** Everything a page must be whatever the report says: known tags only, no handler attributes, one script, the CSP. */
function checkPage(html: string): Root {
  const tree = fromHtml(html);
  const scripts: Element[] = [];
  const styles: Element[] = [];
  let csp: string | undefined;
  walk(tree, (el) => {
    expect(ALLOWED_TAGS.has(el.tagName), `unexpected <${el.tagName}>`).toBe(true);
    for (const key of Object.keys(el.properties)) expect(key.toLowerCase().startsWith('on'), `handler attribute ${key}`).toBe(false);
    if (el.tagName === 'script') scripts.push(el);
    if (el.tagName === 'style') styles.push(el);
    if (el.tagName === 'a') expect(String(el.properties.href)).toMatch(/^(#|\.\/|\.\.\/|index\.html$)/);
    if (el.tagName === 'meta' && el.properties.httpEquiv?.toString().toLowerCase() === 'content-security-policy') csp = String(el.properties.content);
  });
  expect(scripts).toHaveLength(1);
  expect(styles).toHaveLength(1);
  const hash = (el: Element): string => `'sha256-${createHash('sha256').update(textOf(el)).digest('base64')}'`;
  expect(csp).toBeDefined();
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe');
  expect(csp).toContain(`script-src ${hash(scripts[0]!)}`);
  expect(csp).toContain(`style-src ${hash(styles[0]!)}`);
  return tree;
}

function passageElements(tree: Root): Element[] {
  const out: Element[] = [];
  walk(tree, (el) => {
    if ((el.properties.className as string[] | undefined)?.includes('p')) out.push(el);
  });
  return out;
}

describe('renderDocumentHtml', () => {
  const report = makeReport(['一、主要问题', '个别单位工程招投标存在廉洁风险，涉及金额120万元。', '现将有关情况公布如下。'], 'x.txt', { 1: '工程招投标' }, {
    1: [{ kind: 'amount', unit: 'CNY', value: 1_200_000, start: 29, end: 35, text: '120万元' }],
  });
  const html = renderDocumentHtml(report, { labels: LABELS, indexHref: '../index.html' });

  it('is one page with a strict CSP that names its only style and script by hash', () => {
    const tree = checkPage(html);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(passageElements(tree)).toHaveLength(3);
  });

  it('marks evidence by offsets, classes by function and category, facts as chips', () => {
    const [, p] = passageElements(checkPage(html));
    expect(p!.properties.className).toEqual(['p', 'fn-problem', 'c1-discipline']);
    expect(p!.properties.dataCat).toBe('discipline');
    expect(p!.properties.dataSub).toBe('discipline.integrity-risk');
    const marks: Element[] = [];
    walk(p!, (el) => {
      if (el.properties.dataEv !== undefined) marks.push(el);
    });
    expect(marks).toHaveLength(1);
    expect(textOf(marks[0]!)).toBe('工程招投标');
    expect(Number(marks[0]!.properties.dataS)).toBe(report.passages[1]!.categories[0]!.evidence[0]!.start);
    expect(textOf(p!)).toBe(report.passages[1]!.text);
    expect(html).toContain('金额 120万元');
    expect(html).toContain('href="../index.html"');
  });

  it('shows the whole text: passages in order, gaps as line breaks or as the given text', () => {
    const tree = checkPage(html);
    let doc: Element | undefined;
    walk(tree, (el) => {
      if (el.properties.id === 'doc') doc = el;
    });
    const paragraphs = (d: Element): string[] => d.children.flatMap((c) => (c.type === 'element' ? [textOf(c)] : []));
    expect(paragraphs(doc!)).toEqual(report.passages.map((p) => p.text));
    const text = `${report.passages[0]!.text}\n${report.passages[1]!.text} ${report.passages[2]!.text}`;
    let doc2: Element | undefined;
    walk(checkPage(renderDocumentHtml(report, { text })), (el) => {
      if (el.properties.id === 'doc') doc2 = el;
    });
    expect(paragraphs(doc2!)).toEqual(text.split('\n'));
    // A text the report was not made from is not used.
    let doc3: Element | undefined;
    walk(checkPage(renderDocumentHtml(report, { text: text.replace('主要', '次要') })), (el) => {
      if (el.properties.id === 'doc') doc3 = el;
    });
    expect(paragraphs(doc3!)).toEqual(report.passages.map((p) => p.text));
  });

  it('shows the text between passages whole: lines the analysis left out (a code fence, an HTML block) and the end', () => {
    const lines = ['一、主要问题', '```', '<b>代码</b> 未分析的一行', '```', '', '个别单位工程招投标存在廉洁风险。', '<div>HTML 块</div>', '---', '结尾未分析的文字'];
    const full = makeReport(lines, 'x.md', { 5: '工程招投标' });
    const kept: Report = { ...full, passages: [full.passages[0]!, full.passages[5]!] };
    let doc: Element | undefined;
    walk(checkPage(renderDocumentHtml(kept, { text: lines.join('\n') })), (el) => {
      if (el.properties.id === 'doc') doc = el;
    });
    const paragraphs = doc!.children.flatMap((c) => (c.type === 'element' ? [textOf(c)] : []));
    expect(paragraphs).toEqual(lines.filter((l) => l !== ''));
  });

  it('outlines headings with counts per category', () => {
    expect(html).toMatch(/<a href="#p-u0">一、主要问题<\/a><span class="counts"><span class="n c-discipline"[^>]*>1<\/span>/);
  });

  it('keeps hostile report text as text, whatever it is (property)', () => {
    const hostile = fc.constantFrom('</script><script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '\u2028', '\u202e', '"\'><svg onload=alert(1)>', '<!--', ']]>', '&amp;', '<style>', '工程招投标');
    const line = fc.array(fc.oneof(hostile, fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 })), { minLength: 1, maxLength: 6 }).map((a) => a.join('').replace(/[\r\n]/g, ' ').replace(/\0/g, ''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.option(line, { nil: null }), (lines, path) => {
        const r = makeReport(lines, path, { 0: '工程招投标' });
        const tree = checkPage(renderDocumentHtml(r, { labels: LABELS }));
        const ps = passageElements(tree);
        expect(ps.map((p) => textOf(p))).toEqual(r.passages.map((p) => p.text));
        const index = checkPage(renderIndexHtml([{ href: pageHref(path ?? 'stdin.html'), report: r }, { error: { path: lines[0]!, code: 'X', message: lines.at(-1)! } }], { labels: LABELS }));
        expect(textOf(index)).toContain(lines.at(-1)!);
      }),
      { numRuns: 150 },
    );
  });

  it('marks each stretch of a passage with exactly the evidence that covers it, however it overlaps (property)', () => {
    const text = '个别单位工程招投标存在廉洁风险，巡视整改不到位，责任没有压实，违规吃喝问题突出。';
    const range = fc.tuple(fc.nat(text.length), fc.nat(text.length)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(
      fc.property(fc.nat(5), fc.array(range, { maxLength: 12 }), fc.array(range, { maxLength: 12 }), (offset, fnRanges, catRanges) => {
        const base = makeReport([text], 'x.txt');
        const p0 = base.passages[0]!;
        const ev = ([a, b]: readonly [number, number], rule: string) => ({ rule, start: offset + a, end: offset + b, text: text.slice(a, b) });
        const passage: Passage = {
          ...p0,
          start: offset,
          end: offset + text.length,
          functionEvidence: fnRanges.map((r) => ev(r, 'problem.cue')),
          categories: catRanges.length ? [{ id: 'discipline', subcategory: 'discipline.integrity-risk', score: 1, evidence: catRanges.map((r) => ev(r, 'discipline.integrity-risk.bidding')) }] : [],
        };
        const all = [...fnRanges.map((r) => ({ r, f: true })), ...catRanges.map((r) => ({ r, f: false }))];
        const [el] = passageElements(checkPage(renderDocumentHtml({ ...base, passages: [passage] }, { labels: LABELS })));
        expect(textOf(el!)).toBe(text);
        const seen: (string | undefined)[] = Array.from({ length: text.length }, () => undefined);
        walk(el!, (m) => {
          if (m.properties.dataEv === undefined) return;
          const s = Number(m.properties.dataS) - offset;
          const len = textOf(m).length;
          const covering = String(m.properties.dataEv).split(' ').map(Number);
          expect(m.properties.className).toEqual([covering.some((i) => !all[i]!.f) ? 'ev' : 'evf']);
          for (let x = s; x < s + len; x++) seen[x] = String(m.properties.dataEv);
        });
        for (let x = 0; x < text.length; x++) {
          const want = all.flatMap(({ r: [a, b] }, i) => (a <= x && x < b ? [i] : []));
          expect(seen[x], `offset ${x}`).toBe(want.length ? want.join(' ') : undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderDocumentHtml: the passages of a table', () => {
  // A title, a ledger's header row and two rows (the second with an empty cell, the first with two sentences in one
  // cell), then a paragraph: source text as the table reader writes it (cells joined by tabs, a row a line).
  const cells: [string, [number, number, boolean] | undefined][] = [
    ['整改台账', undefined],
    ['问题', [0, 0, true]], ['整改措施', [0, 1, true]],
    ['违规发放津补贴。', [1, 0, false]], ['全额清退。', [1, 1, false]], ['诫勉谈话。', [1, 1, false]],
    ['选人用人不规范。', [2, 0, false]],
    ['以上为全部问题。', undefined],
  ];
  const text = '整改台账\n问题\t整改措施\n违规发放津补贴。\t全额清退。诫勉谈话。\n选人用人不规范。\t\n以上为全部问题。';
  let from = 0;
  const report = makeReport(cells.map(([t]) => t));
  report.passages = cells.map(([t, cell], i) => {
    const start = text.indexOf(t, from);
    from = start + t.length;
    const p: Passage = { ...report.passages[i]!, start, end: start + t.length, text: t };
    if (cell) p.cell = cell[2] ? { table: 0, row: cell[0], column: cell[1], isHeader: true } : { table: 0, row: cell[0], column: cell[1], header: cell[1] === 0 ? '问题' : '整改措施' };
    return p;
  });
  report.source.length = text.length;

  it('shows a table: each passage in its row and column, the header row as header cells, empty cells kept', () => {
    for (const html of [renderDocumentHtml(report, { text }), renderDocumentHtml(report)]) {
      const tree = checkPage(html);
      const tables: Element[] = [];
      walk(tree, (el) => {
        if (el.tagName === 'table' && (el.properties.className as string[] | undefined)?.includes('cells')) tables.push(el);
      });
      expect(tables).toHaveLength(1);
      const rows: string[][] = [];
      walk(tables[0]!, (el) => {
        if (el.tagName === 'tr') rows.push(el.children.flatMap((c) => (c.type === 'element' ? [`${c.tagName}:${textOf(c)}`] : [])));
      });
      expect(rows).toEqual([['th:问题', 'th:整改措施'], ['td:违规发放津补贴。', 'td:全额清退。诫勉谈话。'], ['td:选人用人不规范。', 'td:']]);
      // Every passage is shown once, in order.
      expect(passageElements(tree).map((e) => textOf(e))).toEqual(cells.map(([t]) => t));
    }
  });
});

describe('renderer arguments', () => {
  it('a wrong argument is a XUNSHI_USAGE error naming what was expected, never a raw TypeError', () => {
    const calls: [() => unknown, RegExp][] = [
      [() => renderDocumentHtml(null as unknown as Report), /^renderDocumentHtml expects a report \(an object with passages\), got null$/],
      [() => renderDocumentHtml({} as Report), /got object$/],
      [() => renderDocumentHtml(makeReport(['甲']), null as unknown as object), /^renderDocumentHtml expects its options as an object, got null$/],
      [() => renderIndexHtml(null as unknown as []), /^renderIndexHtml expects an array of entries, got null$/],
      [() => renderIndexHtml('x' as unknown as []), /got string$/],
      [() => renderIndexHtml([], null as unknown as object), /^renderIndexHtml expects its options as an object, got null$/],
      // Malformed reports and entries are named as such before any of them is read (raw TypeErrors, or a row left out).
      [() => renderDocumentHtml({ passages: [] } as unknown as Report), /^renderDocumentHtml expects a Report as analyze\(\) returns it \(schemaVersion 1\): \(the report\) must have required property 'schemaVersion'$/],
      [() => renderDocumentHtml({ ...makeReport(['甲']), passages: [null] } as unknown as Report), /: \/passages\/0 must be object$/],
      [() => renderIndexHtml([null] as unknown as []), /^renderIndexHtml: entry 0 must be an object \(\{ href, report \} or \{ error \}\), got null$/],
      [() => renderIndexHtml(['a'] as unknown as []), /^renderIndexHtml: entry 0 must be an object/],
      [() => renderIndexHtml([{}] as unknown as []), /^renderIndexHtml: entry 0 has neither an error nor an href/],
      [() => renderIndexHtml([{ error: null }] as unknown as []), /^renderIndexHtml: entry 0 has an error that is not an error entry/],
      [() => renderIndexHtml([{ href: 'a.html', report: makeReport(['甲']) }, { href: 'b.html', report: { source: { path: 'b' } } }] as unknown as []), /^renderIndexHtml: entry 1 has a report without a summary/],
    ];
    for (const [call, message] of calls) {
      let thrown: unknown;
      try {
        call();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({ name: 'XunshiError', code: 'XUNSHI_USAGE' });
      expect((thrown as Error).message).toMatch(message);
    }
  });
});

describe('renderIndexHtml', () => {
  const a = makeReport(['招投标', '工程招投标问题'], 'dir/a.txt', { 1: '工程招投标' });
  const b = makeReport(['无关'], 'b.txt');
  const html = renderIndexHtml([{ href: pageHref('dir/a.html'), report: a }, { error: { path: 'bad.doc', code: 'XUNSHI_INPUT_UNSUPPORTED', message: 'not supported', line: 3, column: 2 } }, { href: pageHref('b.html'), report: b }], { labels: LABELS });

  it('lists documents with links and counts, and the failed inputs with their messages', () => {
    checkPage(html);
    expect(html).toContain('<a href="./dir/a.html">dir/a.txt</a>');
    expect(html).toContain('bad.doc:3:2');
    expect(html).toContain('not supported');
    expect(html).toMatch(/2 份文档 documents · 1 份失败 failed/);
  });

  it('draws bars proportional to the counts', () => {
    const bars = [...html.matchAll(/<rect class="bar sw-(\w+)"[^>]*width="([\d.]+)"[^>]*data-value="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(bars.find((b) => b[0] === 'discipline')).toEqual(['discipline', 220, 1]);
    expect(bars.find((b) => b[0] === 'conduct')).toEqual(['conduct', 0, 0]);
  });
});

describe('helpers', () => {
  it('page links are relative and percent-encoded, never a scheme', () => {
    expect(pageHref('javascript:alert(1).html')).toBe('./javascript%3Aalert(1).html');
    expect(pageHref('a b/c#d.html')).toBe('./a%20b/c%23d.html');
  });
  it('describes facts as chips', () => {
    expect(describeFactChip({ kind: 'amount', unit: 'CNY', value: 26_000_000, start: 0, end: 1, text: '' })).toBe('金额 2600万元');
    expect(describeFactChip({ kind: 'amount', unit: 'CNY', value: 2.6e8, approx: true, start: 0, end: 1, text: '' })).toBe('金额 约2.6亿元');
    expect(describeFactChip({ kind: 'ratio', value: 0.45, comparator: 'lt', start: 0, end: 1, text: '' })).toBe('比例 <45%');
    expect(describeFactChip({ kind: 'ratio', value: 0.2, min: 0.2, max: 0.3, start: 0, end: 1, text: '' })).toBe('比例 20–30%');
    expect(describeFactChip({ kind: 'ratio', value: 0.3, max: 0.3, approx: true, start: 0, end: 1, text: '' })).toBe('比例 约30%');
    expect(describeFactChip({ kind: 'count', value: 14, measure: '次', start: 0, end: 1, text: '' })).toBe('数量 14次');
    const unit = { kind: 'unitType', type: 'municipal-department', start: 0, end: 1, text: '' } as const;
    expect(describeFactChip(unit)).toBe('单位 municipal-department');
    expect(describeFactChip(unit, { 'unitType.municipal-department': { zh: '市直部门（单位）', en: 'municipal department' } })).toBe('单位 市直部门（单位）');
    expect(describeFactChip({ kind: 'period', from: '2023-03-15', to: '2023-05-20', duration: { value: 67, unit: 'day' }, start: 0, end: 1, text: '' })).toBe('时间 2023-03-15—2023-05-20 · 67天');
  });
});
