import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectEnumeration, parseChineseNumeral, parseDocument } from '../src/index.js';
import type { DocumentModel } from '@xunshi/types';
import { SHARED_DIR, hasShared } from '../../../test/support/shared.js';

const outline = (doc: DocumentModel): string[] => doc.headings.map((h) => `${h.level}:${h.text}`);
const unit = (doc: DocumentModel, prefix: string) => {
  const u = doc.units.find((x) => x.text.startsWith(prefix));
  if (!u) throw new Error(`no unit starting with ${prefix}`);
  return u;
};

describe('enumeration markers', () => {
  it('parses Chinese numerals', () => {
    expect(['一', '九', '十', '十二', '二十', '二十三', '一百零五', '两'].map(parseChineseNumeral)).toEqual([
      1, 9, 10, 12, 20, 23, 105, 2,
    ]);
    expect(parseChineseNumeral('一一')).toBeUndefined();
    expect(parseChineseNumeral('零')).toBeUndefined();
    expect(parseChineseNumeral('十十')).toBeUndefined();
  });

  it('recognises every marker family with its ordinal', () => {
    expect(detectEnumeration('一、巡察发现的问题')).toEqual({ marker: '一、', style: 'cn-dun', ordinal: 1 });
    expect(detectEnumeration('（十二）强化组织领导')).toEqual({ marker: '（十二）', style: 'cn-paren', ordinal: 12 });
    expect(detectEnumeration('(三)注重实效')).toEqual({ marker: '(三)', style: 'cn-paren', ordinal: 3 });
    expect(detectEnumeration('3.服务保障')).toEqual({ marker: '3.', style: 'arabic-dot', ordinal: 3 });
    expect(detectEnumeration('12、关于')).toEqual({ marker: '12、', style: 'arabic-dot', ordinal: 12 });
    expect(detectEnumeration('２．全角')).toEqual({ marker: '２．', style: 'arabic-dot', ordinal: 2 });
    expect(detectEnumeration('（4）个别')).toEqual({ marker: '（4）', style: 'arabic-paren', ordinal: 4 });
    expect(detectEnumeration('二是落实全面从严治党责任不到位')).toEqual({ marker: '二是', style: 'cn-shi', ordinal: 2 });
    expect(detectEnumeration('第三,加强监督')).toEqual({ marker: '第三,', style: 'cn-ordinal', ordinal: 3 });
    expect(detectEnumeration('首先是政绩观出了偏差。')).toEqual({ marker: '首先是', style: 'cn-sequence', ordinal: 1 });
    expect(detectEnumeration('其次，要压实整改主体责任。')).toEqual({ marker: '其次，', style: 'cn-sequence', ordinal: 2 });
    expect(detectEnumeration('再次是责任落实层层“甩锅”。')).toEqual({ marker: '再次是', style: 'cn-sequence', ordinal: 3 });
    // A table's 序号 cell and the section title across the rest of its row, read as one line (一 | 作风建设方面).
    expect(detectEnumeration('二\t作风建设方面')).toEqual({ marker: '二\t', style: 'cn-dun', ordinal: 2 });
  });

  it('does not take decimals, dates or ordinary words for markers', () => {
    // 1 and a tab begin a row of a table pasted as text, not a list item.
    for (const s of ['3.5万元', '2019.5', '第十条在国家', '十分重要', '一些单位', '(注)', '12月', '首先要明确', '其次要素', '再次出现', '1\t学习不深入。\t制定计划。']) {
      expect(detectEnumeration(s), s).toBeUndefined();
    }
  });
});

describe('plain-text structure', () => {
  it('recovers the official numbering levels, with long numbered sentences as enumerated units', () => {
    const text = [
      '根据市委统一部署,市委第四巡察组对市公安局党委开展了巡察。',
      '一、巡察发现的问题',
      '（一）学习贯彻习近平新时代中国特色社会主义思想不到位,履行职责能力有待提升',
      '1.学习贯彻重要论述精神不到位。深入推进改革力度有待加强。',
      '（1）个别单位学习流于形式',
      '具体表现为会议记录不全。',
      '2.服务保障市委部署要求有差距。',
      '二、整改要求',
      '要立行立改。',
    ].join('\n');
    const doc = parseDocument(text);
    expect(outline(doc)).toEqual([
      '1:一、巡察发现的问题',
      '2:（一）学习贯彻习近平新时代中国特色社会主义思想不到位,履行职责能力有待提升',
      '3:（1）个别单位学习流于形式',
      '1:二、整改要求',
    ]);
    expect(doc.headings.every((h) => h.source === 'numbering')).toBe(true);
    const long = unit(doc, '1.学习');
    expect(long.isHeading).toBe(false);
    expect(long.enumeration).toEqual({ marker: '1.', style: 'arabic-dot', ordinal: 1 });
    expect(long.headingPath).toEqual(['一、巡察发现的问题', '（一）学习贯彻习近平新时代中国特色社会主义思想不到位,履行职责能力有待提升']);
    expect(unit(doc, '具体表现').headingPath).toHaveLength(3);
    // 2. closes the （1） section: it is a sibling of 1., not its child.
    expect(unit(doc, '2.服务').headingPath).toHaveLength(2);
    expect(unit(doc, '（一）').headingPath).toEqual(['一、巡察发现的问题']);
    expect(unit(doc, '要立行').headingPath).toEqual(['二、整改要求']);
    expect(unit(doc, '一、巡察')).toMatchObject({ isHeading: true, headingLevel: 1, headingPath: [] });
  });

  it('reads numbering written with Kangxi radicals (⼀、 （⼆）, as some PDF fonts give 一 二) as the numbering it stands for', () => {
    const plain = ['巡视反馈意见', '一、巡视发现的主要问题', '（一）党的建设方面', '存在圈子文化问题。', '（二）作风建设方面', '违规发放津贴补贴。', '二、整改措施', '加强教育。'].join('\n');
    const radicals = plain.replace(/一/g, '\u2f00').replace(/二/g, '\u2f06');
    expect(radicals).not.toBe(plain);
    const a = parseDocument(plain);
    const b = parseDocument(radicals);
    expect(b.headings.map((h) => [h.level, h.start, h.end])).toEqual(a.headings.map((h) => [h.level, h.start, h.end]));
    expect(b.units.map((u) => u.headingPath.length)).toEqual(a.units.map((u) => u.headingPath.length));
    expect(unit(b, '存在').headingPath).toEqual(['\u2f00、巡视发现的主要问题', '（\u2f00）党的建设方面']);
    // The marker of a unit is read the same way, and stays as written.
    expect(detectEnumeration('\u2f00是落实主体责任不到位')).toEqual({ marker: '\u2f00是', style: 'cn-shi', ordinal: 1 });
    expect(detectEnumeration('（\u2f17\u2f06）强化组织领导')).toEqual({ marker: '（\u2f17\u2f06）', style: 'cn-paren', ordinal: 12 });
    expect(detectEnumeration('\u2f00些单位')).toBeUndefined();
    expect(detectEnumeration('\u2e81、')).toBeUndefined(); // a radical without a unified form stays what it is
  });

  it('marks 一是/二是 and in-line 二、 enumerations at the start of units only', () => {
    const doc = parseDocument('存在以下问题:一是理论学习不深入;二是政策落实有偏差;三、作风不实。');
    expect(doc.units.map((u) => u.enumeration?.marker)).toEqual([undefined, '二是', '三、']);
    expect(doc.headings).toEqual([]);
  });

  it('treats a run of short numbered items without content as a list, not headings', () => {
    const doc = parseDocument('主要问题:\n一、党的领导弱化\n二、党的建设缺失\n三、全面从严治党不力\n以上问题要整改。');
    expect(doc.headings.map((h) => h.text)).toEqual(['三、全面从严治党不力']);
    expect(unit(doc, '二、').enumeration?.ordinal).toBe(2);
  });

  it('does not make the news title, dates, sources or bylines into headings', () => {
    const text = [
      '区委第一巡察组向闸口街道6个社区党委反馈巡察情况',
      '时间:2019-09-02 12:00   来源:  作者:',
      '中华人民共和国国家统计局',
      '(2016年10月19日)',
      '根据区委巡察工作领导小组的安排,委第一巡察组反馈了巡察情况。',
      '按照区委的统一部署,巡察组开展了巡察。',
    ].join('\n');
    const doc = parseDocument(text);
    expect(doc.headings).toEqual([]);
    expect(doc.units.every((u) => u.headingPath.length === 0)).toBe(true);
  });

  it('takes a short title line between paragraphs as a heading, but not a closing signature', () => {
    const text = [
      '根据党中央统一部署,中央巡视组对体育总局党组开展了机动巡视。',
      '党组履行巡视整改主体责任情况',
      '坚持发扬斗争精神抓整改。',
      '巡视反馈重点问题整改落实情况',
      '全面加强党对足球工作的领导。',
      '中共高要区委巡察办',
      '2022年1月28日',
    ].join('\n');
    const doc = parseDocument(text);
    expect(outline(doc)).toEqual(['1:党组履行巡视整改主体责任情况', '1:巡视反馈重点问题整改落实情况']);
    expect(doc.headings.every((h) => h.source === 'title-line')).toBe(true);
    expect(unit(doc, '全面加强').headingPath).toEqual(['巡视反馈重点问题整改落实情况']);
    expect(unit(doc, '中共高要').isHeading).toBe(false);
  });

  it('ignores lines that end open (colon, comma) as titles', () => {
    const doc = parseDocument('开头一句话。\n同志们:\n今天召开会议。');
    expect(doc.headings).toEqual([]);
  });

  it('nests a title line followed by title lines above them, seed style, with blank lines', () => {
    const text = [
      '引言:巡视工作的背景与意义',
      '',
      '巡视工作是党内监督的重要制度安排。',
      '',
      '巡视反馈揭示的主要深层问题类型',
      '',
      '政治建设方面存在的突出问题',
      '',
      '政治站位不高。',
      '',
      '党的建设方面存在的薄弱环节',
      '',
      '党建工作虚化弱化。',
      '',
      '整改方向与具体措施',
      '',
      '强化政治建设,筑牢思想根基',
      '',
      '持续深化理论武装。',
      '',
      '结语',
      '',
      '巡视工作是党之利器。',
    ].join('\n');
    const doc = parseDocument(text);
    expect(outline(doc)).toEqual([
      '1:引言:巡视工作的背景与意义',
      '1:巡视反馈揭示的主要深层问题类型',
      '2:政治建设方面存在的突出问题',
      '2:党的建设方面存在的薄弱环节',
      '1:整改方向与具体措施',
      '2:强化政治建设,筑牢思想根基',
      '1:结语',
    ]);
    expect(unit(doc, '党建工作').headingPath).toEqual(['巡视反馈揭示的主要深层问题类型', '党的建设方面存在的薄弱环节']);
    expect(unit(doc, '巡视工作是党之利器').headingPath).toEqual(['结语']);
    expect(unit(doc, '政治建设方面')).toMatchObject({ isHeading: true, headingLevel: 2 });
  });

  it('puts numbered sections under the title line that precedes them', () => {
    const doc = parseDocument('开头一句。\n整改方向与具体措施\n一、强化政治建设\n要加强学习。\n二、压实主体责任\n要压实责任。');
    expect(outline(doc)).toEqual(['1:整改方向与具体措施', '2:一、强化政治建设', '2:二、压实主体责任']);
    expect(unit(doc, '要压实').headingPath).toEqual(['整改方向与具体措施', '二、压实主体责任']);
  });

  it('gives each line its own block', () => {
    const doc = parseDocument('甲。乙。\n\n丙。');
    expect(doc.units.map((u) => u.block)).toEqual([0, 0, 1]);
  });

  it('ends a line of text at Unicode\'s other mandatory breaks too (U+2028, U+2029, NEL, form feed, vertical tab), as at \\n', () => {
    const lines = ['巡视反馈意见', '一、存在的主要问题', '（一）理论学习不够深入', '一是学习流于形式', '二、整改措施'];
    const plain = parseDocument(lines.join('\n'));
    for (const sep of ['\u2028', '\u2029', '\u0085', '\f', '\v', '\r\n\f']) {
      const text = lines.join(sep);
      const doc = parseDocument(text);
      expect(doc.units.map((u) => [u.text, u.headingPath, u.isHeading])).toEqual(plain.units.map((u) => [u.text, u.headingPath, u.isHeading]));
      for (const u of doc.units) expect(text.slice(u.start, u.end)).toBe(u.text);
    }
    // Markdown keeps CommonMark's line ends (its parser's positions count them): a separator there is text.
    expect(parseDocument('甲\u2028乙', { format: 'markdown' }).units.map((u) => u.text)).toEqual(['甲\u2028乙']);
  });
});

const SEED = `${SHARED_DIR}seeds/000_78219daa70cfd39d.txt`;
const haveSeed = hasShared('seeds/000_78219daa70cfd39d.txt');

describe('the seed article', () => {
  it.skipIf(!haveSeed)('recovers its outline', () => {
    const doc = parseDocument(readFileSync(SEED, 'utf8'));
    const top = outline(doc).slice(0, 13);
    expect(top).toEqual([
      '1:引言:巡视工作的背景与意义',
      '1:巡视反馈揭示的主要深层问题类型',
      '2:政治建设方面存在的突出问题',
      '2:党的建设方面存在的薄弱环节',
      '2:作风建设方面存在的顽瘴痼疾',
      '2:纪律建设与反腐败斗争方面的风险隐患',
      '1:深层问题产生的根源剖析',
      '2:思想认识偏差:理想信念“总开关”松动',
      '2:责任落实虚化:管党治党压力传导不到位',
      '2:制度机制漏洞:权力运行制约监督不力',
      '2:政治生态不优:圈子文化、码头文化影响',
      '1:整改方向与具体措施',
      '2:强化政治建设,筑牢思想根基',
    ]);
    // The repeated article title before the second 引言 is the article's own title, not a section.
    expect(doc.headings.some((h) => h.text === '湖南巡视工作反馈揭示深层问题与整改方向')).toBe(false);
    expect(outline(doc)).toContain('1:结语');
    expect(outline(doc)).toContain('2:注重成果运用,推动改革发展');
    const u = unit(doc, '这种思想认识上的偏差');
    expect(u.headingPath).toEqual(['深层问题产生的根源剖析', '思想认识偏差:理想信念“总开关”松动']);
  });
});
