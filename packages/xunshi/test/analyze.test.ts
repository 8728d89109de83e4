import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir } from '@xunshi/rules';
import { XunshiError, analyze, analyzeAsync, analyzeFiles, createAnalyzer, type Report } from 'xunshi';

const SAMPLE = [
  '省委第一巡视组向某市委反馈巡视情况',
  '巡视发现的主要问题：',
  '一是落实党中央决策部署打折扣，主体责任落实不到位。',
  '二是选人用人不规范，存在“带病提拔”问题，违规发放津贴补贴18万元。',
  '整改建议：要严格执行干部选拔任用条例，建立健全长效机制。',
].join('\n');

function checkInvariants(text: string, report: Report): void {
  let prevEnd = 0;
  for (const p of report.passages) {
    expect(p.start).toBeGreaterThanOrEqual(prevEnd);
    expect(p.end).toBeGreaterThan(p.start);
    expect(p.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(p.start, p.end)).toBe(p.text);
    prevEnd = p.end;
    const evidence = [...p.functionEvidence, ...p.categories.flatMap((c) => c.evidence), ...p.rootCauses.flatMap((r) => r.evidence)];
    for (const e of evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
    for (const c of p.categories) expect(c.evidence.length).toBeGreaterThan(0);
    for (const r of p.rootCauses) expect(r.evidence.length).toBeGreaterThan(0);
    if (p.function !== 'context') expect(p.functionEvidence.length).toBeGreaterThan(0);
    for (const f of p.facts) {
      expect(text.slice(f.start, f.end)).toBe(f.text);
      expect(f.start).toBeGreaterThanOrEqual(p.start);
      expect(f.end).toBeLessThanOrEqual(p.end);
    }
  }
}

describe('analyze', () => {
  it('tags every unit with function, categories, root causes and evidence', () => {
    const r = analyze(SAMPLE, { path: 'sample.txt' });
    expect(r.schemaVersion).toBe(1);
    expect(r.tool.name).toBe('xunshi');
    expect(r.source).toMatchObject({ path: 'sample.txt', format: 'text', encoding: 'utf-8', script: 'simplified', length: SAMPLE.length });
    expect(r.passages.map((p) => p.function)).toEqual(['context', 'problem', 'problem', 'problem', 'measure']);
    const second = r.passages[2]!;
    expect(second.categories.map((c) => c.subcategory)).toContain('political.implementation');
    expect(second.rootCauses.map((c) => c.id)).toContain('responsibility');
    const third = r.passages[3]!;
    expect(third.categories.map((c) => c.subcategory)).toContain('organizational.cadres');
    expect(third.facts.find((f) => f.kind === 'amount')).toMatchObject({ text: '18万元', value: 180000, unit: 'CNY' });
    checkInvariants(SAMPLE, r);
  });

  it('is deterministic: same input and rules give byte-identical JSON', () => {
    expect(JSON.stringify(analyze(SAMPLE))).toBe(JSON.stringify(analyze(SAMPLE)));
    expect(JSON.stringify(createAnalyzer().analyze(SAMPLE))).toBe(JSON.stringify(analyze(SAMPLE)));
  });

  it('reads bytes: UTF-8 with BOM and GB18030, and traditional characters on a simplified copy', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SAMPLE)]);
    const r1 = analyze(bom);
    expect(r1.source.length).toBe(SAMPLE.length);
    expect(r1.passages.map((p) => p.function)).toEqual(analyze(SAMPLE).passages.map((p) => p.function));
    // A string is the text as it is: a leading U+FEFF stays, so every offset indexes the caller's own string (the
    // README says so); the labels are those of the same text without it.
    const withMark = '\uFEFF' + SAMPLE;
    const r3 = analyze(withMark);
    expect(r3.source.length).toBe(withMark.length);
    checkInvariants(withMark, r3);
    expect(r3.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory)])).toEqual(r1.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory)]));
    const trad = '巡視發現，黨建主體責任落實不到位，選人用人不規範。';
    const r2 = analyze(trad);
    expect(r2.source.script).toBe('traditional');
    const labels = r2.passages.flatMap((p) => p.categories.map((c) => c.subcategory));
    expect(labels).toContain('organizational.cadres');
    expect(r2.passages[0]!.text).toBe(trad.slice(0, trad.length)); // evidence and text come from the original
    checkInvariants(trad, r2);
  });

  it('reads past inline pinyin glosses (責(zé)任) and reports every range on the source text', () => {
    const plain = ['巡視發現，黨委主體責任落實不到位，監督執紀寬松軟。', '選人用人不規範，違規發放津貼補貼18萬元。', '要堅決整改，建立健全長效機制。'].join('\n');
    const glossed = plain.replace('責任', '責(zé)任').replace('落實', '落實(shí)').replace('監督', '監(jiān)督').replace('規範', '規(guī)範').replace('機制', '機(jī)制');
    const a = analyze(plain);
    const b = analyze(glossed);
    const labels = (r: Report) => r.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory), p.rootCauses.map((x) => x.id), p.facts.map((f) => f.kind)]);
    expect(labels(b)).toEqual(labels(a));
    expect(b.passages.map((p) => p.text)).toEqual(glossed.split('\n'));
    expect(b.source.length).toBe(glossed.length);
    expect(b.diagnostics.map((d) => d.code)).toContain('XUNSHI_PINYIN_GLOSSES');
    expect(a.diagnostics.map((d) => d.code)).not.toContain('XUNSHI_PINYIN_GLOSSES');
    checkInvariants(glossed, b);
    // Evidence that spans a gloss keeps it in its text; the summary counts the words as read.
    const evidence = b.passages.flatMap((p) => p.categories.flatMap((c) => c.evidence).concat(p.rootCauses.flatMap((r) => r.evidence)));
    expect(evidence.map((e) => e.text)).toContain('主體責(zé)任');
    expect(b.summary.keywords).toEqual(a.summary.keywords);
  });

  it('reads past invisible characters inside words and numbers (圈子\\u200b文化, 1\\u200b2万元) and reports every range on the source text', () => {
    const plain = ['巡视发现，部分领导干部存在圈子文化，贯彻“三重一大”制度不到位。', '违规发放津贴补贴12万元，涉及3名干部。'].join('\n');
    const hidden = plain.replace('圈子文化', '圈子\u200b文化').replace('三重一大', '三重\u200d一\u00ad大').replace('12万元', '1\u200b2万元').replace('3名', '3\ufe0f名');
    const a = analyze(plain);
    const b = analyze(hidden);
    const labels = (r: Report) => r.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory), p.rootCauses.map((x) => x.id)]);
    expect(labels(b)).toEqual(labels(a));
    const values = (r: Report) => r.passages.flatMap((p) => p.facts.map(({ start: _s, end: _e, text: _t, ...rest }) => rest));
    expect(values(b)).toEqual(values(a));
    expect(b.passages.flatMap((p) => p.facts.map((f) => f.text))).toContain('1\u200b2万元');
    expect(b.passages.map((p) => p.text)).toEqual(hidden.split('\n'));
    expect(b.diagnostics.map((d) => d.code)).toContain('XUNSHI_INVISIBLE_CHARACTERS');
    expect(b.diagnostics.map((d) => d.code)).not.toContain('XUNSHI_PINYIN_GLOSSES');
    expect(a.diagnostics.map((d) => d.code)).not.toContain('XUNSHI_INVISIBLE_CHARACTERS');
    checkInvariants(hidden, b);
    // The summary counts the words as read (圈子文化, not a look-alike with a zero-width space inside).
    expect(b.summary.keywords).toEqual(a.summary.keywords);
  });

  it('reads Kangxi radicals (⼈ ⼀ ⼦ ⽂, as PDF fonts give them) as the ideographs they stand for, on the source offsets', () => {
    const plain = ['巡视发现，部分领导干部存在圈子文化，违规发放津贴补贴12万元，处理20人。', '落实“三重一大”制度不到位。'].join('\n');
    const radicals = plain.replace('干部', '⼲部').replace('圈子文化', '圈⼦⽂化').replace('20人', '20⼈').replace('三重一大', '三重⼀⼤');
    expect(radicals).not.toBe(plain);
    const a = analyze(plain);
    const b = analyze(radicals);
    const labels = (r: Report) => r.passages.map((p) => [p.function, p.categories.map((c) => c.subcategory), p.rootCauses.map((x) => x.id), p.facts.map((f) => f.kind)]);
    expect(labels(b)).toEqual(labels(a));
    expect(b.source.script).toBe('simplified');
    checkInvariants(radicals, b);
  });

  it('keeps praise and procedure as context and tells a measure from a problem', () => {
    const r = analyze('该单位能够认真贯彻落实上级决策部署，取得了明显成效。\n存在形式主义问题。\n要坚决整治形式主义。');
    expect(r.passages.map((p) => p.function)).toEqual(['context', 'problem', 'measure']);
    expect(r.passages[0]!.categories).toEqual([]);
    expect(r.passages[1]!.categories[0]!.subcategory).toBe('conduct.formalism');
    expect(r.passages[2]!.categories[0]!.subcategory).toBe('conduct.formalism');
  });

  it('never throws and keeps its invariants on arbitrary text', () => {
    const analyzer = createAnalyzer();
    const cjk = fc.constantFrom('巡', '察', '问', '题', '整', '改', '不', '到', '位', '。', '；', '\n', '“', '”', '形式主义', '主体责任', '18万元', '一是', '（一）', '\r\n', ' ', '\u3000', '𠀀', '#', '-', '(zé)', '(rèn)', '(a)',
      // Text as pages, PDFs and editors give it: invisible characters inside words and numbers, Kangxi radicals and
      // compatibility ideographs, traditional script, full-width figures, other line ends, unpaired surrogates.
      '圈子\u200b文化', '1\u200b2万元', '三重\u200d一大', '\u00ad', '\ufeff', '\ufe0f', '\u2060', '圈⼦⽂化', '20⼈', '⼀、', '\uf902', '貫徹落實', '萬元', '１２％', '\r', '\u2028', '\t', '\ud800', '\udc00', '👨‍👩‍👧', 'e\u0301');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(cjk, { maxLength: 80 }).map((a) => a.join(''))), fc.boolean(), (text, md) => {
        // A blank text is an INPUT_EMPTY error, like blank bytes; anything else gives a report.
        if (/^[\s\ufeff]*$/.test(text)) {
          expect(() => analyzer.analyze(text, { format: md ? 'markdown' : 'text' })).toThrow(expect.objectContaining({ code: 'XUNSHI_INPUT_EMPTY' }));
          return;
        }
        const r = analyzer.analyze(text, { format: md ? 'markdown' : 'text' });
        checkInvariants(text, r);
      }),
      { numRuns: 200 },
    );
  });

  it('custom rules replace or extend the shipped ones; bad rules fail before any text is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-custom-'));
    cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
    cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
    mkdirSync(join(dir, 'categories/conduct'), { recursive: true });
    writeFileSync(
      join(dir, 'categories/conduct/formalism.yaml'),
      'rules:\n  - id: apps\n    kind: terms\n    category: conduct.formalism\n    terms: [指尖上的形式主义]\n    weight: 2\n    examples:\n      match: [存在指尖上的形式主义]\n      noMatch: [要严格执行制度]\n',
    );
    const only = createAnalyzer({ rules: dir });
    expect(only.ruleset.rules.map((r) => r.id)).toEqual(['conduct.formalism.apps']);
    const extended = createAnalyzer({ rules: dir, extendRules: true });
    expect(extended.ruleset.rules.length).toBeGreaterThan(only.ruleset.rules.length);
    expect(extended.ruleset.rules.find((r) => r.id === 'conduct.formalism.apps')).toBeDefined();
    writeFileSync(join(dir, 'categories/conduct/bad.yaml'), 'rules:\n  - id: x\n    kind: terms\n    category: conduct.nope\n    terms: [a]\n    examples: {match: [a], noMatch: [b]}\n');
    expect(() => createAnalyzer({ rules: dir })).toThrow(XunshiError);
  });

  it('reports bad input with a specific error code', () => {
    expect(() => analyze(new Uint8Array(0), { path: 'empty.txt' })).toThrow(expect.objectContaining({ code: 'XUNSHI_INPUT_EMPTY' }));
    expect(() => analyze(new Uint8Array([0, 1, 2, 0, 0, 5, 0]), { path: 'x.txt' })).toThrow(expect.objectContaining({ code: 'XUNSHI_INPUT_BINARY' }));
  });
});

describe('library edges (issue 11, defect 12)', () => {
  const codeOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof XunshiError ? e.code : `not a XunshiError: ${(e as Error).name}`;
    }
    return undefined;
  };
  const asyncCodeOf = async (f: () => Promise<unknown>): Promise<string | undefined> => {
    try {
      await f();
    } catch (e) {
      return e instanceof XunshiError ? e.code : `not a XunshiError: ${(e as Error).name}`;
    }
    return undefined;
  };

  it('an empty or blank string is XUNSHI_INPUT_EMPTY, the same as empty or blank bytes', async () => {
    for (const input of ['', new Uint8Array(0), ' \n\u3000', new TextEncoder().encode(' \n\u3000')]) {
      expect(codeOf(() => analyze(input))).toBe('XUNSHI_INPUT_EMPTY');
      expect(await asyncCodeOf(() => analyzeAsync(input))).toBe('XUNSHI_INPUT_EMPTY');
    }
    let err: XunshiError | undefined;
    try {
      analyze('', { path: 'blank.md' });
    } catch (e) {
      err = e as XunshiError;
    }
    expect(err!.file).toBe('blank.md');
  });

  it('wrong argument types are XUNSHI_USAGE errors, not raw TypeErrors', async () => {
    const any = (x: unknown): never => x as never;
    expect(codeOf(() => analyze(any(42)))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze(any(null)))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze(any({ text: 'x' })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze('存在问题。', any('a.txt')))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze('存在问题。', any({ path: 7 })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze('存在问题。', any({ format: 'odp' })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze('{\\rtf1 存在问题。}', { format: 'rtf' }))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => analyze('存在问题。', any({ encoding: 'big5x' })))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeAsync(any(42)))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer(any('rules')))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer(any({ rules: 5 })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer(any({ rules: ['a', 5] })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer(any({ extendRules: 'yes' })))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer({ rules: '' }))).toBe('XUNSHI_USAGE');
    expect(codeOf(() => createAnalyzer({ rules: ['rules', ''] }))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeFiles(any('a.txt'), () => {}))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeFiles(any([1]), () => {}))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeFiles([], any(undefined)))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeFiles([], () => {}, any({ jobs: 'four' })))).toBe('XUNSHI_USAGE');
    expect(await asyncCodeOf(() => analyzeFiles([], () => {}, any(3)))).toBe('XUNSHI_USAGE');
  });

  it('refuses option names a function does not take, naming the nearest, and wrong encoding or formatIn before any input is read', async () => {
    const any = (x: unknown): never => x as never;
    const messageOf = async (f: () => unknown): Promise<string> => {
      try {
        await f();
      } catch (e) {
        return e instanceof XunshiError ? `${e.code}: ${e.message}` : `not a XunshiError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(await messageOf(() => analyze('存在问题。', any({ pth: 'a.md' })))).toBe('XUNSHI_USAGE: analyze: unknown option "pth" (did you mean "path"?); it takes path, format, encoding, maxSize, timeout, ocr, ocrThreads, budget, resources');
    expect(await messageOf(() => createAnalyzer(any({ rule: 'my-rules' })))).toMatch(/^XUNSHI_USAGE: createAnalyzer: unknown option "rule" \(did you mean "rules"\?\)/);
    expect(await messageOf(() => analyzeAsync('存在问题。', any({ colour: true })))).toMatch(/unknown option "colour"; it takes/);
    expect(await messageOf(() => analyzeFiles([], () => {}, any({ job: 1 })))).toMatch(/^XUNSHI_USAGE: analyzeFiles: unknown option "job" \(did you mean "jobs"\?\)/);
    // A name whose value is undefined passes (options spread from defaults), as do the names of categoryCandidatesOf.
    expect(analyze('存在问题。', any({ path: 'a.txt', later: undefined })).passages.length).toBe(1);
    expect(createAnalyzer().categoryCandidatesOf('存在问题。', { path: 'a.txt', functionOf: () => undefined }).units.length).toBe(1);
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-files-options-'));
    writeFileSync(join(dir, 'a.txt'), SAMPLE);
    const seen: string[] = [];
    expect(await messageOf(() => analyzeFiles([join(dir, 'a.txt')], (r) => seen.push(r.path), any({ formatIn: 'docx2' })))).toMatch(/^XUNSHI_USAGE: analyzeFiles: options\.formatIn must be one of text, markdown, .*, got "docx2"$/);
    expect(await messageOf(() => analyzeFiles([join(dir, 'a.txt')], (r) => seen.push(r.path), any({ encoding: 'GBK' })))).toMatch(/^XUNSHI_USAGE: analyzeFiles: options\.encoding must be one of auto, utf-8, gb18030, big5, got "GBK"$/);
    expect(seen).toEqual([]);
  });

  it('analyzeFiles rejects with what the callback throws or its promise rejects with, as thrown, and awaits its promises', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-files-callback-'));
    for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, `${n}.txt`), SAMPLE);
    const mine = new RangeError('mine');
    const calls: string[] = [];
    await expect(analyzeFiles([dir], (r) => {
      calls.push(r.path);
      throw mine;
    }, { jobs: 1 })).rejects.toBe(mine);
    expect(calls).toHaveLength(1); // the batch stopped at the first
    const late = new Error('late');
    await expect(analyzeFiles([dir], async () => {
      await new Promise((done) => setTimeout(done, 5));
      throw late;
    }, { jobs: 1 })).rejects.toBe(late);
    const written: string[] = [];
    const result = await analyzeFiles([dir], async (r) => {
      await new Promise((done) => setTimeout(done, 20));
      written.push(r.path);
    }, { jobs: 1 });
    expect(result).toEqual({ analysed: 3, failed: 0, aborted: false });
    expect(written.map((p) => p.slice(-5))).toEqual(['a.txt', 'b.txt', 'c.txt']); // all awaited before it resolved
  });

  it('says what was given instead, as a reader would write it', () => {
    const any = (x: unknown): never => x as never;
    const messageOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as XunshiError).message;
      }
      return 'no error';
    };
    expect(messageOf(() => analyze(any(undefined)))).toMatch(/, got undefined$/);
    expect(messageOf(() => analyze(any({ text: 'x' })))).toMatch(/, got an Object$/);
    expect(messageOf(() => analyze(any(42)))).toMatch(/, got a number$/);
    expect(messageOf(() => analyze('x', { maxSize: NaN }))).toMatch(/maxSize must be a positive whole number of bytes, got NaN$/);
    expect(messageOf(() => analyze('x', any({ maxSize: '1M' })))).toMatch(/, got "1M"$/);
    expect(messageOf(() => analyze('x', { timeout: Infinity }))).toMatch(/, got Infinity$/);
  });
});

describe('a report of image files, one a page (analyzeImageFilesAsync, analyzeFiles joinImages)', () => {
  const analyzer = createAnalyzer();
  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (e) {
      return `${(e as XunshiError).code}: ${(e as XunshiError).message}`;
    }
    throw new Error('expected a rejection');
  };

  it('checks its arguments, needs ocr, keeps each file within maxSize (a larger one left out and named)', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await codeOf(analyzer.analyzeImageFilesAsync('a.png' as never))).toMatch(/^XUNSHI_USAGE: analyzeImageFilesAsync\(files, options\): files must be an array of \{ name: string, read: \(\) => bytes \}/);
    expect(await codeOf(analyzer.analyzeImageFilesAsync([{ name: '', read: () => png }]))).toMatch(/^XUNSHI_USAGE/);
    expect(await codeOf(analyzer.analyzeImageFilesAsync([{ name: 'a.png', read: () => png }], { ocr: 'yes' as never }))).toMatch(/^XUNSHI_USAGE: analyzeImageFilesAsync: options.ocr must be a boolean/);
    for (const ocrThreads of [0, 1.5, '2'] as never[]) expect(await codeOf(analyzer.analyzeAsync(png, { ocr: true, ocrThreads }))).toMatch(/^XUNSHI_USAGE: analyzeAsync: options.ocrThreads must be a positive whole number/);
    expect(await codeOf(analyzer.analyzeImageFilesAsync([{ name: 'a.png', read: () => png }], { path: 'notice/' }))).toBe('XUNSHI_INPUT_NO_TEXT: a report of 1 image file, which has no text but what OCR reads: read it with --ocr (library: the option ocr: true)');
    expect(await codeOf(analyzer.analyzeImageFilesAsync([{ name: 'a.png', read: () => 'text' as never }], { ocr: true }))).toMatch(/^XUNSHI_USAGE: analyzeImageFilesAsync: the read\(\) of a\.png must give a Uint8Array, got/);
    expect(await codeOf(analyzer.analyzeImageFilesAsync([{ name: 'a.png', read: () => new Uint8Array(2000) }, { name: 'b.png', read: async () => png }], { ocr: true, maxSize: 1000 }))).toBe(
      'XUNSHI_INPUT_CORRUPT: a report of 2 image files, none of which gives a page: a.png (the file is 2,000 bytes (2 KiB), more than the size limit of 1,000 bytes; raise it with --max-size (option maxSize) for a report that large); b.png (not an image xunshi reads)',
    );
  });

  it('analyzeFiles: joinImages must be a boolean and needs ocr', async () => {
    await expect(analyzeFiles(['x'], () => {}, { joinImages: 1 as never })).rejects.toThrow(/options\.joinImages must be a boolean/);
    await expect(analyzeFiles(['x'], () => {}, { joinImages: true })).rejects.toThrow(/options\.joinImages reads images as the pages of a report by OCR: set options\.ocr too/);
  });
});
