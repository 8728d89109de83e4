import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawnFieldText, MAX_FIELD_DEPTH, phoneticGuideBase, withBoundedFields, withReadableMarkup, withRubyBase } from '../src/word-markup.js';
import { extractDocx } from '../src/docx-read.js';
import { loadParsers } from '../src/parsers.js';
import { makeDocxXml } from './support/fixtures.js';

describe('Word phonetic guides (拼音指南)', () => {
  it('an EQ field of a phonetic guide gives its characters, as Word and LibreOffice write it; other fields none', () => {
    expect(phoneticGuideBase(' EQ \\* jc2 \\* "Font:宋体" \\* hps10 \\o\\ad(\\s\\up 9(xún),巡)')).toBe('巡');
    expect(phoneticGuideBase(' EQ \\* jc3 \\* "Font:DejaVu Serif" \\* hps12 \\o\\al(\\s\\up 15(xún chá),巡察)')).toBe('巡察');
    expect(phoneticGuideBase('EQ \\o\\ac(\\s\\up -2(a\\,b),甲\\,乙)')).toBe('甲,乙');
    for (const other of [' EQ \\f(1,2)', ' EQ \\o(□,√)', ' PAGE ', ' TOC \\o "1-3" ', ' EQ \\o\\ad(\\s\\up 9(xún)', ' EQ \\o\\ad(\\s\\up 9(xún),)']) expect(phoneticGuideBase(other)).toBeUndefined();
  });
  it('a field without a result whose code Word draws: a phonetic guide\'s characters, a MACROBUTTON\'s display text; no other', () => {
    expect(drawnFieldText(' MACROBUTTON  NoMacro [单位名称] ')).toBe('[单位名称]');
    expect(drawnFieldText('MACROBUTTON None 单位 名称')).toBe('单位 名称');
    expect(drawnFieldText(' EQ \\o\\ad(\\s\\up 9(xún),巡)')).toBe('巡');
    for (const other of [' MACROBUTTON NoMacro ', ' DOCVARIABLE unit ', ' PAGE ', '']) expect(drawnFieldText(other)).toBeUndefined();
  });
  it('a docx <w:ruby> becomes the text of its base, the reading left out; a part without one is returned as it is', () => {
    const ruby = '<w:r><w:ruby><w:rubyPr><w:hps w:val="12"/></w:rubyPr><w:rt><w:r><w:t>xún chá</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>巡</w:t></w:r><w:r><w:t xml:space="preserve">察</w:t></w:r></w:rubyBase></w:ruby></w:r>';
    expect(withRubyBase(`<w:p>${ruby}<w:r><w:t>工作</w:t></w:r></w:p>`)).toBe('<w:p><w:r><w:t>巡</w:t><w:t xml:space="preserve">察</w:t></w:r><w:r><w:t>工作</w:t></w:r></w:p>');
    // An unclosed one (a damaged part) is left as it is.
    expect(withRubyBase('<w:p><w:r><w:ruby><w:rt>')).toBe('<w:p><w:r><w:ruby><w:rt>');
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const x = s.replace(/<w:ruby/g, '');
        expect(withRubyBase(x)).toBe(x);
        expect(typeof phoneticGuideBase(s)).not.toBe('number');
      }),
    );
  });
  it('many unclosed <w:ruby> and long EQ codes are read in one pass (each opening tag finds its closing tag once)', () => {
    const xml = '<w:ruby>'.repeat(20_000) + '</w:ruby>';
    expect(withRubyBase(xml)).toBe('');
    expect(phoneticGuideBase(` EQ ${'\\* a '.repeat(20_000)}\\o\\ad(\\s\\up 9(${'x'.repeat(50_000)}`)).toBeUndefined();
  });
});

describe('Word markup mammoth does not read', () => {
  const M = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"';
  it('unwraps simple fields (their result kept) and bidirectional embeddings; w:cr is a break, w:ptab a tab; an equation is a run of its text', () => {
    expect(withReadableMarkup('<w:p><w:fldSimple w:instr=" REF _Ref1 \\h "><w:r><w:t>附件1</w:t></w:r></w:fldSimple><w:fldSimple w:instr="PAGE"/></w:p>')).toBe('<w:p><w:r><w:t>附件1</w:t></w:r></w:p>');
    // An instruction holding > inside its quotes is one tag.
    expect(withReadableMarkup('<w:fldSimple w:instr="IF 3 > 2 &quot;是&quot;"><w:r><w:t>是</w:t></w:r></w:fldSimple>')).toBe('<w:r><w:t>是</w:t></w:r>');
    expect(withReadableMarkup('<w:dir w:val="rtl"><w:r><w:t>甲</w:t></w:r></w:dir><w:bdo w:val="ltr"><w:r><w:t>乙</w:t></w:r></w:bdo>')).toBe('<w:r><w:t>甲</w:t></w:r><w:r><w:t>乙</w:t></w:r>');
    expect(withReadableMarkup('<w:t>甲</w:t><w:cr/><w:t>乙</w:t><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="dot"/>')).toBe('<w:t>甲</w:t><w:br/><w:t>乙</w:t><w:tab/>');
    expect(withReadableMarkup(`<w:p><m:oMathPara ${M}><m:oMath><m:r><m:t>20%</m:t></m:r></m:oMath></m:oMathPara><m:oMath></m:oMath></w:p>`)).toBe('<w:p><w:r><w:t xml:space="preserve">20%</w:t></w:r></w:p>');
    // VML WordArt: its string as a text box's paragraph, after the text path; an empty string adds nothing.
    expect(withReadableMarkup('<v:shape><v:textpath on="t" fitshape="t" string="某县委巡察办文件" style="font-size:36pt"/></v:shape>')).toBe(
      '<v:shape><v:textpath on="t" fitshape="t" string="某县委巡察办文件" style="font-size:36pt"/><v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">某县委巡察办文件</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>',
    );
    expect(withReadableMarkup('<v:textpath on="t" string=""/>')).toBe('<v:textpath on="t" string=""/>');
    // An unclosed equation (a damaged part) is left as it is.
    expect(withReadableMarkup('<m:oMath><m:t>1</m:t>')).toBe('<m:oMath><m:t>1</m:t>');
  });
  it('property: a part without that markup is returned as it is; many unclosed equations are read in one pass', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const x = s.replace(/<(?:w:fldSimple|w:dir|w:bdo|m:oMath|w:cr|w:ptab)|<\/(?:w:fldSimple|w:dir|w:bdo|m:oMathPara)>/g, '');
        expect(withReadableMarkup(x)).toBe(x);
      }),
    );
    const many = '<m:oMath>'.repeat(20_000) + '</m:oMath>';
    expect(withReadableMarkup(many)).toBe('');
  });
});

describe('complex fields nested past the depth mammoth is given', () => {
  const field = (type: string): string => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
  /** The types of the field characters of `xml`, in order. */
  const types = (xml: string): string[] => [...xml.matchAll(/w:fldCharType="(\w+)"/g)].map((m) => m[1]!);

  it('leaves fields up to MAX_FIELD_DEPTH deep as they are, and unmarks the begin, separate and end of deeper ones', () => {
    const nested = (depth: number): string => `${field('begin').repeat(depth)}<w:r><w:t>巡察</w:t></w:r>${`${field('separate')}<w:r><w:t>1</w:t></w:r>${field('end')}`.repeat(depth)}`;
    expect(withBoundedFields(nested(MAX_FIELD_DEPTH))).toBe(nested(MAX_FIELD_DEPTH));
    const deep = types(withBoundedFields(nested(MAX_FIELD_DEPTH + 3)));
    // Three begins past the depth, then the separate and end of those three (the innermost), then the kept ones'.
    expect(deep).toEqual([
      ...Array(MAX_FIELD_DEPTH).fill('begin'),
      ...Array(3).fill('unmarked'),
      ...Array(3).fill(['unmarked', 'unmarked']).flat(),
      ...Array(MAX_FIELD_DEPTH).fill(['separate', 'end']).flat(),
    ]);
    // The runs (the fields' results) stay; a field character with content, or quoted with ', keeps its content.
    expect(withBoundedFields(nested(MAX_FIELD_DEPTH + 3)).match(/<w:t>1<\/w:t>/g)).toHaveLength(MAX_FIELD_DEPTH + 3);
    const withData = `${field('begin').repeat(MAX_FIELD_DEPTH)}<w:r><w:fldChar w:fldCharType='begin'><w:ffData><w:name w:val="x"/></w:ffData></w:fldChar></w:r>`;
    expect(withBoundedFields(withData)).toBe(`${field('begin').repeat(MAX_FIELD_DEPTH)}<w:r><w:fldChar w:fldCharType='unmarked'><w:ffData><w:name w:val="x"/></w:ffData></w:fldChar></w:r>`);
  });

  it('property: at most MAX_FIELD_DEPTH fields are open at any point, and a part without field characters is as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('begin', 'separate', 'end', 'text'), { maxLength: 200 }), (seq) => {
        const xml = seq.map((t) => (t === 'text' ? '<w:r><w:t>巡</w:t></w:r>' : field(t))).join('');
        let open = 0;
        for (const t of types(withBoundedFields(xml))) {
          if (t === 'begin') open++;
          else if (t === 'end' && open > 0) open--;
          expect(open).toBeLessThanOrEqual(MAX_FIELD_DEPTH);
        }
        // Well nested in, well nested out: as many begins kept as ends.
        let depth = 0;
        const nestedWell = seq.every((t) => (t === 'begin' ? ++depth : t === 'end' ? --depth : depth) >= 0) && depth === 0;
        if (nestedWell) {
          const kept = types(withBoundedFields(xml));
          expect(kept.filter((t) => t === 'begin').length).toBe(kept.filter((t) => t === 'end').length);
        }
        const plain = xml.replace(/<w:r><w:fldChar[^>]*\/><\/w:r>/g, '');
        expect(withBoundedFields(plain)).toBe(plain);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a Word document of many fields begun and never ended as it read it before, in linear time', async () => {
    // 80,000 begins in 19 KB took 59 s (mammoth looks through the open fields for every run).
    const body = `<w:p>${field('begin').repeat(20_000)}</w:p>${`<w:p>${'<w:r><w:t>巡</w:t></w:r>'.repeat(100)}</w:p>`.repeat(200)}`;
    await loadParsers('docx');
    const doc = await extractDocx(await makeDocxXml(body), { path: 'fields.docx' });
    expect(doc.lines.filter((l) => l.kind === 'body')).toHaveLength(200);
    expect(doc.text.split('\n')[0]).toBe('巡'.repeat(100));
  }, 60_000);
});
