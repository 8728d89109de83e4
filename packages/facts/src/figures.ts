import type { AmountFact, CountFact, RatioFact } from '@xunshi/types';
import { ARABIC_SOURCE, CN_NUMERAL_CHARS, LONE_FORMAL_NUMERAL, getLastPlaceStep, isLoosePair, parseNumeral, readLoosePair, roundMoney, roundTo15 } from './numbers.js';
import type { FactSink } from './sink.js';
import { CASE_NOUNS, PERSON_MEASURES, PERSON_NOUNS } from './nouns.js';
import { buildCodeTable, compileAnchoredPattern, compileScanPattern, scanAnchored, scanMatches } from './scan.js';

const CN = `[${CN_NUMERAL_CHARS}]`;
/** The length of the longest of `words`. */
const longest = (words: readonly string[]): number => Math.max(0, ...words.map((w) => w.length));
// A comma only continues a number after a digit (1,234); after a word it is the folded full-width comma.
const NOT_AFTER_NUMERAL = `(?<![\\d.${CN_NUMERAL_CHARS}万亿第]|\\d,)`;
/**
 * A numeral with optional 余/多/几 and 万/亿, e.g. 180余万, 一千多万, 5万余, 十几, 数十万, 数百万, 几千, and a bare
 * 万/亿 before 余/多 (万余元, 亿多元) or after 上/近/逾/超 (上万元, 近万名).
 */
const NUMBER = `(?:(?:${ARABIC_SOURCE})[十百千]?|${CN}+(?:[万亿]${CN}+)?|[数几][十百千万亿]|(?=[万亿][余多])|(?<=[上近逾超])(?=[万亿]))(?:[余多几])?(?:万亿|[万亿])?(?:[余多](?![余多]))?`;

// 上 (上百万元, 上千名) is a lead-in only before a bare 百/千/万/亿; before other numerals it is dropped (上一轮, 上两轮).
const AMOUNT_PREFIX = '大约|大概|将近|接近|超过|不足|不到|低于|少于|小于|未满|不超过|不高于|至多|最多|不少于|不低于|至少|最少|高于|多于|大于|约|近|逾|超|上';
/** A numeral that begins with a bare place (百余, 千万, 万余): 上 stands before it as a lead-in (上百万). */
const BARE_PLACE = /^[百千万亿佰仟]/;
const RANGE_SEP = '至|到|-|~|—|–';
/** Source of the amount pattern (exported for the test that scanning equals `matchAll`). */
export const AMOUNT_SOURCE = `(?<pre>${AMOUNT_PREFIX})?${NOT_AFTER_NUMERAL}(?<n1>${NUMBER})(?:(?<y1>元)?(?:${RANGE_SEP})(?<n2>${NUMBER}))?元(?![化论素件旦首])(?<suf>以上|以下|以内|左右|上下)?`;
/** What a NUMBER match can begin with. */
const NUMBER_STARTS = [...'0123456789', ...CN_NUMERAL_CHARS, '数', '几', '万', '亿'];
/** Every string a match of {@link AMOUNT_SOURCE} or {@link COUNT_SOURCE} can begin with. */
export const AMOUNT_STARTS: readonly string[] = [...AMOUNT_PREFIX.split('|'), ...NUMBER_STARTS];
/** What the amount and count patterns' matches begin with before their number, and what the number begins with. */
export const AMOUNT_GATE = { core: NUMBER_STARTS, reach: longest(AMOUNT_PREFIX.split('|')) } as const;
/**
 * Every code unit an amount or a count can hold before its 元 or measure word: its lead-in, numerals (digits, `,` and
 * `.`, Chinese numerals, 数, 几, 余, 多, 万, 亿) and range separators.
 */
const FIGURE_RUN = [...new Set([...AMOUNT_PREFIX, ...'0123456789,.', ...CN_NUMERAL_CHARS, ...'数几余多万亿', ...RANGE_SEP].filter((ch) => ch !== '|'))].join('');
/** An amount's run of {@link FIGURE_RUN} code units ends at its first 元 (the one of 3元至5万元 or of 5万元). */
export const AMOUNT_RUN = { runOf: FIGURE_RUN, stop: ['元'] } as const;
const AMOUNT_PATTERN = compileScanPattern(AMOUNT_SOURCE, AMOUNT_STARTS, '', { ...AMOUNT_GATE, required: ['元'], ...AMOUNT_RUN });

/** Measure words of counts, longest first. */
export const COUNT_MEASURES = [
  '人次', '户次', '个次', '名', '个', '起', '件', '趟', '种', '人', '次', '位', '项', '条', '家', '户', '批', '份', '篇',
  '宗', '笔', '处', '所', '座', '台', '辆', '张', '场', '轮', '类', '支', '间', '本', '套', '栋', '例',
];
/** Source of the count pattern; its matches begin like amounts ({@link AMOUNT_STARTS}). */
export const COUNT_SOURCE = `(?<pre>${AMOUNT_PREFIX})?${NOT_AFTER_NUMERAL}(?:(?<n0>${NUMBER})(?:${RANGE_SEP}))?(?<n>${NUMBER})(?<m>${COUNT_MEASURES.join('|')})(?<suf>以上|以下|以内|左右)?`;
/** A count's run of {@link FIGURE_RUN} code units ends at its measure word. */
export const COUNT_RUN = { runOf: FIGURE_RUN, stop: COUNT_MEASURES } as const;
const COUNT_PATTERN = compileScanPattern(COUNT_SOURCE, AMOUNT_STARTS, '', { ...AMOUNT_GATE, ...COUNT_RUN });
// After 个 these make a duration or a percentage-point difference, never a count.
const NOT_A_COUNT_AFTER_GE = /^(?:多|余|半)?(?:月|工作日|小时|季度|星期|年头|百分点|半月)/;

/** What makes N次 after a 届 the ordinal of a session: 二次会议, 二次全会, 三次全体会议. */
const ORDINAL_SESSION_AFTER = /^(?:会议|全会|全体会议)/;
/** A list of ordinals ending right before a numeral: 第九、 (第九、十轮), 第3、 (第3、4批). */
const ORDINAL_LIST_BEFORE = new RegExp(`第(?:${CN}+|\\d+)[、,]$`);
/** A digit and a separator right before a numeral (the 17 of 2022-03-17). */
const DIGITS_AND_SEPARATOR_BEFORE = /\d[-/~.]$/;

/**
 * Numbered political formulas and set phrases: their numerals are part of a name, not a count (四个意识, 八项规定).
 */
export const SET_PHRASES = [
  '四个意识', '四个自信', '两个维护', '两个确立', '四个全面', '三个代表', '两个责任', '四种形态', '八项规定', '三重一大',
  '三会一课', '两学一做', '一岗双责', '一把手', '五位一体', '四位一体', '两个务必', '三个务必', '两个大局', '三个区分开来',
  '四个不直接分管', '三项制度', '两个一百年', '四个落实', '六稳六保', '两个全覆盖', '两个覆盖', '四下基层', '四大考验',
  '四种危险', '一个都不能少', '两个结合', '五个必由之路', '十个明确', '十四个坚持', '四个服从', '五大发展理念',
  '三大攻坚战', '七个有之', '五个必须', '四个面向', '两个毫不动摇', '三个表率', '四个坚持', '一票否决', '两个至上',
  '一个中心', '两个基本点', '三个有利于', '四风', '一案双查', '一线', '一次性', '一批', '一系列', '一件事', '一张网',
  '两张皮', '三个规定', '四项监督', '三个必须', '十个坚持', '六个必须坚持', '九个严禁', '二次供水', '一支笔',
];

/** Measure words of events: what they count stands right after them, without modifiers. */
const EVENT_MEASURES = new Set(['次', '人次', '户次', '个次', '轮', '趟']);

/** Nouns that can be counted (heads; modifiers before them are kept, e.g. 违纪问题, 处级干部). */
export const COUNTED_NOUNS = [
  '干部', '党员', '人员', '职工', '员工', '群众', '同志', '领导', '学生', '教师', '村民', '居民', '成员', '书记', '主任',
  '局长', '校长', '医生', '代表', '公职人员', '工作人员', '党员干部', '领导干部', '人', '问题', '线索', '问题线索', '案件',
  '案', '项目', '表格', '单位', '部门', '企业', '公司', '社区', '村', '乡镇', '街道', '学院', '高校', '医院', '学校',
  '党组织', '党支部', '党委', '支部', '巡察组', '巡视组', '文件', '制度', '会议', '档案', '台账', '资料', '报告', '材料',
  '事项', '工程', '合同', '账户', '车辆', '房屋', '信访件', '举报', '信访举报', '意见', '建议', '措施', '任务', '班子',
  '机构', '平台', '系统', '标段', '课题', '批次', '方面', '行政村', '子公司', '专项检查组', '家庭', '农户', '户', '宗地', '工地', '网点',
];
const NOUN_SET = new Set(COUNTED_NOUNS);
const MAX_NOUN = Math.max(...COUNTED_NOUNS.map((n) => n.length));
// Characters that end a noun phrase: verbs, adverbs and particles that cannot sit inside a counted noun.
const MODIFIER_STOP = buildCodeTable('在未没被已都均也是有和与及对把将从向为并还又就等了给由于共其分各计累占达存发因所以且而或');
const MAX_MODIFIER = 4;

const CHANGE_UP = '上升|增长|增加|提高|提升|上涨';
const CHANGE_DOWN = '下降|减少|降低|下滑|回落|下跌';
const CHANGE_UP_END = new RegExp(`(?:${CHANGE_UP})$`);
const RATIO_CMP = '不足|不到|低于|少于|小于|未达到|未达|不超过|不高于|至多|最多|不低于|不少于|至少|超过|高于|大于|多于|达到|逾|超|达|为';
/** Approximation words before a ratio: 近 gives an upper bound, 约 a value that is not exact. */
const RATIO_APPROX = '将近|接近|大约|大概|近|约';
/** Numerals of tenths: 三成 (30 %), 两成, 3成. */
const TENTHS = '一二两三四五六七八九';
/**
 * What 成 after a numeral must not be followed by to be a ratio: 成 then begins a word (成为, 成立, 成员, 成本, 成效,
 * 成果, 成绩, 成熟, 成群, 成人, 成千 …) or an idiom (一成不变), or the numeral and 成 grade a thing (七成新, 五成熟).
 */
export const NOT_TENTHS_AFTER = '了为立员本效果绩熟型形群人长功就分份交套品才年败全像色事规例药衣语因千百龙器家婚亲名材活行书文网片串堆块批案风灾疾性瘾章真双对见心法化竹数天日新建体不';
/** The numeral after 百分之: 二十, 十二点五, 20. */
const PERCENT_NUMERAL = `${CN}+(?:点${CN}+)?|${ARABIC_SOURCE}`;
/** A fraction's numerals: 三分之一, 二十分之一, 1/3 written as 3分之1. */
const FRACTION_NUMERAL = `${CN}{1,3}|\\d{1,4}`;
/** Characters that make 过半 a span of time (过半年, 经过半个月) or 过 part of another word (通过, 经过, 超过). */
const NOT_OVER_HALF_BEFORE = '通经度越穿错透跨路不闯渡超';
const NOT_OVER_HALF_AFTER = '年月天日个小钟周岁辈';
/** What a ratio may begin with: a change, then a comparison or an approximation. */
const RATIO_LEAD = `(?<chg>(?:同比|环比)?(?:${CHANGE_UP}|${CHANGE_DOWN}))?(?:(?<cmp>${RATIO_CMP})|(?<apx>${RATIO_APPROX}))?`;
const RATIO_LEAD_STARTS = ['同比', '环比', ...CHANGE_UP.split('|'), ...CHANGE_DOWN.split('|'), ...RATIO_CMP.split('|'), ...RATIO_APPROX.split('|')];
const RATIO_REACH =
  longest(['同比', '环比']) + longest([...CHANGE_UP.split('|'), ...CHANGE_DOWN.split('|')]) + longest([...RATIO_CMP.split('|'), ...RATIO_APPROX.split('|')]);
const RATIO_SUFFIX = '(?<suf>以上|以下|以内|左右)?';
/** Source of the percentage pattern: 20%, 百分之二十, and ranges (20%-30%, 百分之二十至三十). */
export const RATIO_SOURCE =
  RATIO_LEAD +
  `(?:(?<![\\d.])(?<num>${ARABIC_SOURCE})(?:\\s?(?<pc1>%)?(?:${RANGE_SEP})(?<num2>${ARABIC_SOURCE}))?(?<ws>\\s)?%` +
  `|百分之(?<cn>${PERCENT_NUMERAL})(?:(?:${RANGE_SEP})(?<pc2>百分之)?(?<cn2>${PERCENT_NUMERAL}))?)` +
  RATIO_SUFFIX;
/** Every string a match of {@link RATIO_SOURCE} can begin with. */
export const RATIO_STARTS: readonly string[] = [...RATIO_LEAD_STARTS, ...'0123456789', '百分之'];
/** A percentage's lead-ins (a change, then a comparison or approximation), its core (a figure or 百分之) and what every match holds. */
export const RATIO_GATE = { core: [...'0123456789', '百分之'], reach: RATIO_REACH, required: ['%', '百分之'] } as const;
/** White space as `\s` reads it (the space before % in 15 %). */
const WHITE_SPACE = '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
/**
 * A percentage's lead-in, figures, separators and white space run up to its first % (20%, 20-30%, 20%-30%), or up
 * to 百分之.
 */
export const RATIO_RUN = {
  runOf: [...new Set([...RATIO_LEAD_STARTS.join(''), ...'0123456789,.', ...WHITE_SPACE, ...RANGE_SEP].filter((ch) => ch !== '|'))].join(''),
  stop: ['%', '百分之'],
} as const;
const RATIO_PATTERN = compileScanPattern(RATIO_SOURCE, RATIO_STARTS, '', { ...RATIO_GATE, ...RATIO_RUN });

/** Source of the pattern of parts: tenths (三成, 七八成, 三至五成), fractions (三分之一) and halves (过半, 半数以上). */
export const PART_SOURCE =
  RATIO_LEAD +
  `(?:(?<![${CN_NUMERAL_CHARS}\\d.第])(?<ch>[${TENTHS}1-9])(?:(?<chsep>${RANGE_SEP})?(?<ch2>[${TENTHS}1-9]))?成(?![${NOT_TENTHS_AFTER}])(?<chsuf>多|余)?` +
  `|(?<![${CN_NUMERAL_CHARS}\\d.第])(?<fd>${FRACTION_NUMERAL})分之(?<fn>${FRACTION_NUMERAL})(?![${CN_NUMERAL_CHARS}\\d])` +
  `|(?<![${CN_NUMERAL_CHARS}])(?<half>半数|一半)` +
  `|(?<![${NOT_OVER_HALF_BEFORE}])(?<over>过半数?)(?![${NOT_OVER_HALF_AFTER}]))` +
  RATIO_SUFFIX;
/** Every string a match of {@link PART_SOURCE} can begin with. */
export const PART_STARTS: readonly string[] = [...RATIO_LEAD_STARTS, ...'0123456789', ...CN_NUMERAL_CHARS, '半', '过'];
/**
 * Every match of {@link PART_SOURCE} holds 成, 分 (of 分之) or 半 at most this many code units after its start: the lead-in,
 * then 三至五 before 成, four digits before 分之, or 一/过 before 半.
 */
export const PART_ANCHORS = { anchors: ['成', '分', '半'], before: RATIO_REACH + 4 } as const;
const TENTHS_BEFORE = buildCodeTable([...TENTHS, ...'123456789']);
const FRACTION_BEFORE = buildCodeTable([...CN_NUMERAL_CHARS, ...'0123456789']);
/**
 * Whether the 成, 分 or 半 at `pos` can be the anchor of a part: 成 after a numeral of tenths, 分 of 分之 after a numeral,
 * 半 of 半数, 一半 or 过半.
 */
export function acceptPartAnchor(text: string, pos: number): boolean {
  const c = text[pos];
  const before = text.charCodeAt(pos - 1);
  if (c === '成') return TENTHS_BEFORE[before] === 1;
  if (c === '分') return text[pos + 1] === '之' && FRACTION_BEFORE[before] === 1;
  return text[pos + 1] === '数' || text[pos - 1] === '一' || text[pos - 1] === '过';
}
// Numerals are everywhere in a report, 成/分/半 after a numeral much rarer: the pattern is tried only just before one.
const PART_PATTERN = compileAnchoredPattern(PART_SOURCE, PART_STARTS, PART_ANCHORS.anchors, PART_ANCHORS.before, acceptPartAnchor);

interface Reading {
  value: number;
  min?: number;
  max?: number;
  approx: boolean;
  /** Multiplier of 万/亿 written with the numeral (1 when none). */
  scale: number;
}

const SCALE: Record<string, number> = { '': 1, 万: 1e4, 亿: 1e8, 万亿: 1e12 };
/** The places a bare 百/千 or a 数/几 before a place names. */
const PLACE: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };

function multiply(value: number, scale: number): number {
  return roundTo15(value * scale);
}

/**
 * Read one numeral match (see NUMBER) into a value and, for 余/多/几/数, bounds; undefined when it is no number. A bare
 * 百/千 (百余名, 千余万元, 近百万元) is read only with 余/多 or when `bareOk` (a lead-in such as 近, 上, 逾 stands before
 * it, or an amount writes 万/亿 after it): 千家万户, 千人计划 and 百年 count nothing.
 */
function readNumber(numeral: string, bareOk = false): Reading | undefined {
  const m = /^(?<vague>[数几])?(?<base>.*?)(?<inner>[余多几])?(?<scale>万亿|[万亿])?(?<outer>[余多])?$/.exec(numeral);
  if (!m?.groups) return undefined;
  const { vague, base = '', inner, scale = '', outer } = m.groups;
  const mul = SCALE[scale] ?? 1;
  if (vague !== undefined) {
    // 数十万, 几百: between two and ten times the named place.
    // 数万 / 几亿: the place is 万/亿 itself.
    const place = base === '' && scale !== '' ? 1 : (PLACE[base] ?? parseNumeral(base));
    if (place === undefined || inner !== undefined || outer !== undefined) return undefined;
    return { value: multiply(2 * place, mul), min: multiply(2 * place, mul), max: multiply(10 * place, mul), approx: true, scale: mul };
  }
  const marker = inner ?? outer;
  let baseValue: number | undefined;
  if (base === '') {
    // 万余元, 亿多元, 上万元: one 万/亿 (and more).
    if (scale === '' || (marker === undefined && !bareOk)) return undefined;
    baseValue = 1;
  } else if (marker === undefined && readLoosePair(base) !== undefined) {
    // 三五名, 两三个, 二三十人, 三四百万元: a loose range, from the first value to the second.
    const pair = readLoosePair(base)!;
    const lo = multiply(pair.lo, mul);
    return { value: lo, min: lo, max: multiply(pair.hi, mul), approx: true, scale: mul };
  } else if (/^[百千佰仟]/.test(base)) {
    if (base.length !== 1 || (marker === undefined && !bareOk)) return undefined;
    baseValue = PLACE[base];
  } else if (LONE_FORMAL_NUMERAL.test(base) && scale === '') {
    // 伍, 陆 and 柒 alone are surnames and place names far more often (伍家岗, 陆元华); a figure written in formal
    // numerals has two characters at least (伍万, 陆拾).
    return undefined;
  } else baseValue = parseNumeral(base.replace(/,/g, ''));
  if (baseValue === undefined) return undefined;
  const value = multiply(baseValue, mul);
  // A run of hundreds of digits is no figure (and would be Infinity, which JSON cannot carry).
  if (!Number.isFinite(value)) return undefined;
  if (marker === undefined) return { value, approx: false, scale: mul };
  if (inner === '几' && outer !== undefined) return undefined;
  // 余/多/几 after the numeral: more than it, by less than one step of its last place (or of 万/亿 when written after it).
  // After 万/亿 (5万余) the step is one 万/亿, or less when decimals are written (1.2万余 < 1.3万).
  const placeStep = base === '' ? 1 : getLastPlaceStep(base.replace(/,/g, ''));
  const step = inner !== undefined ? multiply(placeStep, mul) : multiply(Math.min(1, placeStep), mul);
  return { value, min: value, max: roundTo15(value + step), approx: true, scale: mul };
}

type Bound = 'approx' | 'near' | 'min' | 'max';
const BOUND_WORDS: Record<string, Bound> = {
  约: 'approx', 大约: 'approx', 大概: 'approx', 左右: 'approx', 上下: 'approx',
  近: 'near', 将近: 'near', 接近: 'near',
  超过: 'min', 超: 'min', 逾: 'min', 上: 'min', 高于: 'min', 多于: 'min', 大于: 'min', 不少于: 'min', 不低于: 'min', 至少: 'min', 最少: 'min', 以上: 'min',
  不足: 'max', 不到: 'max', 低于: 'max', 少于: 'max', 小于: 'max', 未满: 'max', 不超过: 'max', 不高于: 'max', 至多: 'max', 最多: 'max', 以下: 'max', 以内: 'max',
};

interface Bounds {
  value?: number;
  min?: number;
  max?: number;
  approx: boolean;
}

/** Combine a reading with the bound words before and after it. */
function applyBounds(r: Bounds, words: (string | undefined)[]): Bounds {
  let out: Bounds = { ...r };
  for (const w of words) {
    if (w === undefined) continue;
    const kind = BOUND_WORDS[w];
    const base = out.min ?? out.value ?? out.max;
    if (base === undefined) continue;
    if (kind === 'approx') out = { min: out.min ?? base, max: out.max ?? base, approx: true };
    else if (kind === 'near') out = { max: out.max ?? base, approx: true };
    else if (kind === 'min') out = { min: base, approx: out.approx };
    else if (kind === 'max') out = { max: out.max ?? base, approx: out.approx };
  }
  return out;
}

function toBounds(r: Reading): Bounds {
  if (r.min === undefined && r.max === undefined) return { value: r.value, approx: r.approx };
  const out: Bounds = { approx: r.approx };
  if (r.min !== undefined) out.min = r.min;
  if (r.max !== undefined) out.max = r.max;
  return out;
}

/** Find amounts in yuan (…元) in `text` (the normalised window); offsets are relative to the window. */
export function findAmounts(text: string, sink: FactSink): void {
  for (const m of scanMatches(text, AMOUNT_PATTERN)) {
    const g = m.groups!;
    const pre = leadIn(g.pre, g.n1!);
    const start = m.index + (g.pre !== undefined && pre === undefined ? g.pre.length : 0);
    // 百万元, 千万元: a bare place with 万/亿 is an amount.
    const r1 = readNumber(g.n1!, pre !== undefined || /[万亿]/.test(g.n1!));
    if (r1 === undefined) continue;
    const end = m.index + m[0].length;
    let bounds: Bounds;
    if (g.n2 !== undefined) {
      const r2 = readNumber(g.n2, /[万亿]/.test(g.n2));
      if (r2 === undefined) continue;
      // 10-20万元: the scale written once applies to both ends; 3元至5万元 writes each end in full.
      const lo = g.y1 === undefined && r1.scale === 1 && r2.scale !== 1 ? multiply(r1.value, r2.scale) : (r1.min ?? r1.value);
      const hi = r2.max ?? r2.value;
      if (!(lo < hi)) {
        if (g.y1 === undefined) continue;
        // 5万元至3万元: no range, but the two amounts written in full.
        const firstEnd = m.index + (g.pre?.length ?? 0) + g.n1!.length + 1;
        const secondEnd = end - (g.suf?.length ?? 0);
        addAmount(sink, start, firstEnd, applyBounds(toBounds(r1), [pre]));
        addAmount(sink, secondEnd - 1 - g.n2.length, end, applyBounds(toBounds(r2), [g.suf]));
        continue;
      }
      bounds = { min: lo, max: hi, approx: r1.approx || r2.approx };
    } else bounds = toBounds(r1);
    addAmount(sink, start, end, applyBounds(bounds, [pre, g.suf]));
  }
}

function addAmount(sink: FactSink, start: number, end: number, bounds: Bounds): void {
  if (![bounds.value, bounds.min, bounds.max].every((x) => x === undefined || Number.isFinite(x))) return;
  const fact: Omit<AmountFact, 'text' | 'start' | 'end'> = { kind: 'amount', unit: 'CNY' };
  if (bounds.value !== undefined) fact.value = roundMoney(bounds.value);
  if (bounds.min !== undefined) fact.min = roundMoney(bounds.min);
  if (bounds.max !== undefined) fact.max = roundMoney(bounds.max);
  if (bounds.approx) fact.approx = true;
  sink.add(start, end, fact);
}

/** The lead-in word before `numeral`, or undefined when there is none or it is a 上 before an ordinary numeral. */
function leadIn(pre: string | undefined, numeral: string): string | undefined {
  return pre === '上' && !BARE_PLACE.test(numeral) ? undefined : pre;
}

function isHan(code: number): boolean {
  return code >= 0x4e00 && code <= 0x9fff;
}

/** First and last code units of the counted nouns: a slice that begins or ends with anything else is no noun. */
const NOUN_FIRST = buildCodeTable(COUNTED_NOUNS);
const NOUN_LAST = buildCodeTable(COUNTED_NOUNS.map((n) => n[n.length - 1]!));

export function longestNounAt(text: string, pos: number): number {
  if (NOUN_FIRST[text.charCodeAt(pos)] !== 1) return 0;
  for (let len = Math.min(MAX_NOUN, text.length - pos); len > 0; len--) {
    if (NOUN_SET.has(text.slice(pos, pos + len))) return len;
  }
  return 0;
}

/** The counted noun right after a measure word (违纪问题 in 15起违纪问题), as an end offset; -1 when none. */
export function findCountedAfter(text: string, pos: number): number {
  for (let p = pos; p <= pos + MAX_MODIFIER && p < text.length; p++) {
    if (p > pos) {
      const c = text.charCodeAt(p - 1);
      if (!isHan(c) || MODIFIER_STOP[c] === 1) return -1;
    }
    if (MODIFIER_STOP[text.charCodeAt(p)] === 1) return -1;
    const len = longestNounAt(text, p);
    // A one-character head must stand right after the measure word (3个村), not after a modifier.
    if (len > 1 || (len === 1 && p === pos)) {
      let end = p + len;
      for (let more = longestNounAt(text, end); more > 0; more = longestNounAt(text, end)) end += more;
      return end;
    }
  }
  return -1;
}

/** The counted noun right before the numeral (问题线索 in 问题线索39件), as a start offset; -1 when none. */
export function findCountedBefore(text: string, pos: number): number {
  if (NOUN_LAST[text.charCodeAt(pos - 1)] !== 1) return -1;
  for (let len = Math.min(MAX_NOUN, pos); len >= 2; len--) {
    if (NOUN_SET.has(text.slice(pos - len, pos))) return pos - len;
  }
  return -1;
}

// Set phrases are looked up around each count only: scanning the whole window once per phrase cost more than the
// counts themselves on long documents.
const SET_PHRASES_BY_FIRST: ReadonlyMap<number, readonly string[]> = (() => {
  const map = new Map<number, string[]>();
  for (const phrase of SET_PHRASES) {
    const c = phrase.charCodeAt(0);
    const list = map.get(c);
    if (list) list.push(phrase);
    else map.set(c, [phrase]);
  }
  return map;
})();
const MAX_SET_PHRASE = Math.max(...SET_PHRASES.map((p) => p.length));
/** First code units of the set phrases: most positions begin none, which a table says faster than the Map. */
const SET_PHRASE_FIRST = buildCodeTable(SET_PHRASES);

/** True when an occurrence of a set phrase overlaps `[start, end)` of `text`. */
export function overlapsSetPhrase(text: string, start: number, end: number): boolean {
  for (let s = Math.max(0, start - MAX_SET_PHRASE + 1); s < end; s++) {
    const c = text.charCodeAt(s);
    if (SET_PHRASE_FIRST[c] !== 1) continue;
    const phrases = SET_PHRASES_BY_FIRST.get(c);
    if (phrases === undefined) continue;
    for (const p of phrases) if (s + p.length > start && text.startsWith(p, s)) return true;
  }
  return false;
}

/** Find counts (a numeral with a measure word, and the counted noun next to it) in the normalised window. */
export function findCounts(text: string, sink: FactSink, insideQuotes: (start: number, end: number) => boolean): void {
  for (const m of scanMatches(text, COUNT_PATTERN)) {
    const g = m.groups!;
    let pre = leadIn(g.pre, g.n0 ?? g.n!);
    // From the first numeral (3 in 3至5名) to the end of the measure word.
    let numStart = m.index + (g.pre?.length ?? 0);
    const measureEnd = m.index + m[0].length - (g.suf?.length ?? 0);
    let range: Reading | undefined;
    if (g.n0 !== undefined) {
      // 3至5名, 10-20家: the measure word (and 万 of 1-2万名) written once applies to both ends.
      const r0 = readNumber(g.n0, pre !== undefined);
      const r1 = readNumber(g.n!, pre !== undefined);
      if (r0 !== undefined && r1 !== undefined) {
        const lo = r0.scale === 1 && r1.scale !== 1 ? multiply(r0.value, r1.scale) : (r0.min ?? r0.value);
        const hi = r1.max ?? r1.value;
        if (Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo < hi) {
          range = { value: lo, min: lo, max: hi, approx: r0.approx || r1.approx, scale: r1.scale };
        }
      }
      if (range === undefined) {
        // Not a range (5至3名): the count is the second numeral alone, as if the first were not there.
        numStart = measureEnd - g.m!.length - g.n!.length;
        pre = undefined;
      }
    }
    if (g.m === '个' && NOT_A_COUNT_AFTER_GE.test(text.slice(measureEnd, measureEnd + 4))) continue;
    // 十三届全国人大二次会议, 十八届中央纪委二次全会: the session's ordinal, not a number of meetings.
    if (g.m === '次' && ORDINAL_SESSION_AFTER.test(text.slice(measureEnd, measureEnd + 4)) && text.slice(Math.max(0, numStart - 10), numStart).includes('届')) continue;
    // 第九、十轮, 第三、四批: the second ordinal of a list whose 第 is written once.
    if (ORDINAL_LIST_BEFORE.test(text.slice(Math.max(0, numStart - 6), numStart))) continue;
    // 2022-03-17张…, 0731-88812345个: a numeral after digits and a separator belongs to a date or a number.
    if (DIGITS_AND_SEPARATOR_BEFORE.test(text.slice(Math.max(0, numStart - 2), numStart))) continue;
    if (overlapsSetPhrase(text, numStart, measureEnd)) continue;
    const r = range ?? readNumber(g.n!, pre !== undefined);
    if (r === undefined || !Number.isInteger(r.value) || r.value < 0) continue;
    let start = pre === undefined ? numStart : m.index;
    let end = m.index + m[0].length;
    let afterEnd = g.suf === undefined ? findCountedAfter(text, measureEnd) : -1;
    // A measure of events (次, 轮, 趟) counts the noun right after it (2次会议); words between are what was done (6次召开党委会).
    if (afterEnd > measureEnd && EVENT_MEASURES.has(g.m!) && longestNounAt(text, measureEnd) === 0) afterEnd = -1;
    let counted: string | undefined;
    const personMeasure = PERSON_MEASURES.includes(g.m!);
    const isPerson = (noun: string): boolean => PERSON_NOUNS.some((n) => noun.endsWith(n));
    // 2名考察材料 counts people (2 people's files): a person measure only takes a person noun as what it counts.
    if (afterEnd > measureEnd && (!personMeasure || isPerson(text.slice(measureEnd, afterEnd)))) {
      counted = text.slice(measureEnd, afterEnd);
      end = afterEnd;
    } else if (pre === undefined) {
      const before = findCountedBefore(text, numStart);
      if (before >= 0 && (!personMeasure || isPerson(text.slice(before, numStart)))) {
        counted = text.slice(before, numStart);
        start = before;
      }
    }
    // A bare 一 with a measure word is mostly an article (一个时期, 一次性, 一起研究): keep it only with a counted noun.
    // 上一轮, 每一个, 统一: not a count at all.
    if (range === undefined && /^[一壹]$/.test(g.n!)) {
      // (At the start of the window no character stands before it: ''.includes('') would be true.)
      const before = text[numStart - 1];
      if (counted === undefined || counted.length < 2 || (before !== undefined && '上下每同统唯逐之其另单'.includes(before))) continue;
      if (!isPerson(counted) && !CASE_NOUNS.some((n) => counted!.endsWith(n))) continue;
    }
    // A numeral in Chinese characters inside quotes is part of a name or a slogan (“三个一批”, “实施两项创新，做好三项工作”);
    // figures in Arabic digits are counts there too (“已清退不符合条件人员12名”, “开展集体廉政谈话3次，召开警示教育大会2次”).
    if (!/\d/.test(g.n!) && insideQuotes(numStart, measureEnd)) continue;
    const bounds = applyBounds(toBounds(r), [pre, g.suf]);
    const fact: Omit<CountFact, 'text' | 'start' | 'end'> = { kind: 'count', value: r.value, measure: g.m! };
    if (counted !== undefined) fact.counted = counted;
    if (bounds.min !== undefined) fact.min = bounds.min;
    if (bounds.max !== undefined) fact.max = bounds.max;
    if (bounds.approx) fact.approx = true;
    sink.add(start, end, fact);
  }
}

const RATIO_COMPARATORS: Record<string, NonNullable<RatioFact['comparator']>> = {
  不足: 'lt', 不到: 'lt', 低于: 'lt', 少于: 'lt', 小于: 'lt', 未达到: 'lt', 未达: 'lt',
  不超过: 'le', 不高于: 'le', 至多: 'le', 最多: 'le', 以下: 'le', 以内: 'le',
  不低于: 'ge', 不少于: 'ge', 至少: 'ge', 以上: 'ge',
  超过: 'gt', 超: 'gt', 高于: 'gt', 大于: 'gt', 多于: 'gt', 逾: 'gt',
  达到: 'eq', 达: 'eq', 为: 'eq',
};

/**
 * Bounds of a ratio from its comparator and approximation words, as for amounts: lt/le give `max`, ge/gt `min`, 近
 * `max` and approx, 约/左右 `min = max` and approx; `lo`/`hi` are the ends of a range or of 三成多 when written.
 */
function ratioBounds(value: number, cmp: RatioFact['comparator'], approx: string | undefined, lo?: number, hi?: number): Pick<RatioFact, 'min' | 'max' | 'approx'> {
  let min = lo;
  let max = hi;
  let isApprox = false;
  if (approx === '近' || approx === '将近' || approx === '接近') {
    max ??= value;
    min = undefined;
    isApprox = true;
  } else if (approx !== undefined) {
    min ??= value;
    max ??= value;
    isApprox = true;
  }
  if (cmp === 'lt' || cmp === 'le') {
    max ??= value;
    min = undefined;
  } else if (cmp === 'ge' || cmp === 'gt') {
    min ??= value;
    max = undefined;
  }
  const out: Pick<RatioFact, 'min' | 'max' | 'approx'> = {};
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  if (isApprox) out.approx = true;
  return out;
}

/** A fraction rounded so that binary floating-point artefacts do not leak out (30 / 100 → 0.3). */
const fraction = (x: number): number => Number(x.toPrecision(12));

type RatioReading = { value: number; lo?: number; hi?: number; approx?: boolean };
/** One end of a range written in full (30% of 30%-20%), as [start, end, fraction]. */
type RatioPiece = [start: number, end: number, value: number];

const tenthsOf = (numeral: string): number => (/\d/.test(numeral) ? Number(numeral) : parseNumeral(numeral)!);
const percentOf = (numeral: string): number | undefined => {
  const percent = /^[\d.,]+$/.test(numeral) ? Number(numeral.replace(/,/g, '')) : parseCnPercent(numeral);
  return percent === undefined || !Number.isFinite(percent) ? undefined : fraction(percent / 100);
};

/**
 * The fraction a ratio match writes, with the bounds its form gives (三成多: 0.3 to 0.4; 20%-30%: 0.2 to 0.3);
 * undefined when it is none; the pieces that carry their own sign when two ends do not make a range (30%-20%).
 */
function readRatio(m: RegExpExecArray, text: string, index: number, coreEnd: number): RatioReading | RatioPiece[] | undefined {
  const g = m.groups!;
  const first = g.num ?? g.cn;
  if (first !== undefined) {
    const value = percentOf(first);
    if (value === undefined) return undefined;
    const second = g.num2 ?? g.cn2;
    if (second === undefined) return { value };
    const hi = percentOf(second);
    if (hi !== undefined && value < hi) return { value, lo: value, hi };
    // Offsets of the ends, counted from the core (no indices needed: every part between them has a known length).
    const pieces: RatioPiece[] = [];
    if (g.pc1 !== undefined) pieces.push([index, text.indexOf('%', index + g.num!.length) + 1, value]);
    if (g.cn !== undefined) pieces.push([index, index + '百分之'.length + g.cn.length, value]);
    if (hi !== undefined && g.num2 !== undefined) pieces.push([coreEnd - 1 - (g.ws?.length ?? 0) - g.num2.length, coreEnd, hi]);
    if (hi !== undefined && g.pc2 !== undefined) pieces.push([coreEnd - g.cn2!.length - g.pc2.length, coreEnd, hi]);
    return pieces;
  }
  // A bare 一成, 半数 or 一半 is mostly a word (统一成立 aside, 一半是…): a ratio only with a lead-in, a bound after it,
  // or after 占/仅/只 (占一成).
  const context = g.chg !== undefined || g.cmp !== undefined || g.apx !== undefined || g.suf !== undefined || g.chsuf !== undefined || '占仅只'.includes(text[index - 1] ?? '-');
  if (g.ch !== undefined) {
    const tenths = tenthsOf(g.ch);
    const value = fraction(tenths / 10);
    if (g.ch2 !== undefined && g.chsep === undefined) {
      // 七八成, 两三成: a loose range.
      if (!isLoosePair(g.ch, g.ch2)) return undefined;
      return { value, lo: value, hi: fraction((tenthsOf(g.ch2) + (g.chsuf === undefined ? 0 : 1)) / 10), approx: true };
    }
    if (g.ch2 !== undefined) {
      // 三至五成, 两到三成: 成 written once applies to both ends.
      const upper = tenthsOf(g.ch2);
      if (!(tenths < upper)) return [[coreEnd - (g.chsuf?.length ?? 0) - 2, coreEnd, fraction(upper / 10)]];
      return { value, lo: value, hi: fraction((upper + (g.chsuf === undefined ? 0 : 1)) / 10) };
    }
    if (tenths === 1 && !context) return undefined;
    // 三成多: more than three tenths, by less than one.
    return g.chsuf === undefined ? { value } : { value, lo: value, hi: fraction((tenths + 1) / 10) };
  }
  if (g.fd !== undefined && g.fn !== undefined) {
    // 十分之一, 千分之五: a bare place is its own value.
    const den = PLACE[g.fd] ?? parseNumeral(g.fd);
    const num = parseNumeral(g.fn);
    if (den === undefined || num === undefined || !Number.isInteger(den) || !Number.isInteger(num) || !(num > 0 && num < den)) return undefined;
    return { value: fraction(num / den) };
  }
  if (g.half !== undefined) return context ? { value: 0.5 } : undefined;
  if (g.over !== undefined) return { value: 0.5 };
  return undefined;
}

/**
 * Find ratios (20%, 百分之二十, 三成, 三分之一, 过半, 20%-30%) with their comparator, bounds and direction of change in
 * the normalised window.
 */
export function findRatios(text: string, sink: FactSink): void {
  // 分别下降12%、15%: a change written once before a list of percentages applies to each.
  const list: ListChange = { end: -1 };
  for (const m of scanMatches(text, RATIO_PATTERN)) addRatio(m, text, sink, list);
  for (const m of scanAnchored(text, PART_PATTERN)) addRatio(m, text, sink);
}

/** The direction of change of the last percentage and where it ended, for the next one of a list. */
interface ListChange {
  end: number;
  change?: RatioFact['change'];
}
/** What separates the items of a list of percentages: 12%、15%, 60.6%和58.8%. */
const LIST_SEPARATORS = new Set(['、', '和', '及', '与', ',']);

/** Record the ratio of one match of {@link RATIO_SOURCE} or {@link PART_SOURCE}, if it is one. */
function addRatio(m: RegExpExecArray, text: string, sink: FactSink, list?: ListChange): void {
  const g = m.groups!;
  const end = m.index + m[0].length;
  // 5个百分点 is a difference of percentages, not a ratio.
  if (text.startsWith('百分点', end) || text.startsWith('个百分点', end)) return;
  const start = m.index + (g.chg?.length ?? 0) + (g.cmp?.length ?? 0) + (g.apx?.length ?? 0);
  const r = readRatio(m, text, start, end - (g.suf?.length ?? 0));
  if (r === undefined) return;
  if (Array.isArray(r)) {
    for (const [s, e, value] of r) sink.add(s, e, { kind: 'ratio', value });
    return;
  }
  const fact: Omit<RatioFact, 'text' | 'start' | 'end'> = { kind: 'ratio', value: r.value };
  // 过半 says "more than half" itself.
  const cmpWord = g.suf === '左右' ? g.cmp : (g.suf ?? g.cmp ?? (g.over !== undefined ? '超过' : undefined));
  const comparator = cmpWord === undefined ? undefined : RATIO_COMPARATORS[cmpWord]!;
  Object.assign(fact, ratioBounds(r.value, comparator, g.suf === '左右' ? '左右' : (g.apx ?? g.chsuf ?? (r.approx ? '约' : undefined)), r.lo, r.hi));
  if (comparator !== undefined) fact.comparator = comparator;
  if (g.chg !== undefined) fact.change = CHANGE_UP_END.test(g.chg) ? 'up' : 'down';
  else if (list?.change !== undefined && g.cmp === undefined && g.apx === undefined && m.index === list.end + 1 && LIST_SEPARATORS.has(text[list.end]!)) fact.change = list.change;
  if (list) {
    list.end = end;
    list.change = fact.change;
  }
  sink.add(m.index, end, fact);
}

function parseCnPercent(text: string): number | undefined {
  if (/^[\d.,]+$/.test(text)) return Number(text.replace(/,/g, ''));
  const [int = '', frac] = text.split('点');
  const whole = parseNumeral(int);
  if (whole === undefined) return undefined;
  if (frac === undefined) return whole;
  // 百分之十二点五: the digits after 点 are read one by one.
  const digits = '零一二三四五六七八九';
  let s = '';
  for (const ch of frac) {
    const d = digits.indexOf(ch === '〇' ? '零' : ch);
    if (d < 0) return undefined;
    s += String(d);
  }
  return Number(`${whole}.${s}`);
}
