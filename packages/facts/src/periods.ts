import type { PeriodFact } from '@xunshi/types';
import { CN_NUMERAL_CHARS, LONE_FORMAL_NUMERAL, parseNumeral, parseYearDigits } from './numbers.js';
import { indexRanges } from './ranges.js';
import { buildCodeTable, compileScanPattern, scanMatches } from './scan.js';
import type { FactSink } from './sink.js';

type Body = Omit<PeriodFact, 'text' | 'start' | 'end'>;
type DurationUnit = NonNullable<PeriodFact['duration']>['unit'];

interface DatePart {
  start: number;
  end: number;
  year?: number;
  month?: number;
  day?: number;
  /** Month span for 上半年/下半年/季度 (inclusive). */
  monthTo?: number;
}

const YEAR_RE = /(?:19|20)\d{2}(?!\d)|[一二][〇零一二三四五六七八九]{3}/y;
const SMALL_RE = new RegExp(`\\d{1,2}(?!\\d)|[${CN_NUMERAL_CHARS}]{1,3}`, 'y');
const SEP_RE = /至|到|-|—|–|~/y;
// Character tests of the scan in findPeriods run at every position, so they compare code units, not strings.
const CN_NUMERAL_CODES = buildCodeTable(CN_NUMERAL_CHARS);
const ORDINAL_PREFIX = '第'.charCodeAt(0);

function readSmall(text: string, pos: number, max: number): { value: number; end: number } | undefined {
  SMALL_RE.lastIndex = pos;
  const m = SMALL_RE.exec(text);
  if (!m) return undefined;
  const value = parseNumeral(m[0]);
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > max) return undefined;
  return { value, end: pos + m[0].length };
}

function lookAt(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : undefined;
}

const YEAR_TAIL_RE = /度|底|末|初|上半年|下半年|第[一二三四1-4]季度|[一二三四1-4]季度/y;
const MONTH_TAIL_RE = /底|末|初|上旬|中旬|下旬|份/y;

/** Read a calendar date at `pos`: 2020年10月28日, 2022年, 10月, 28日 (when `dayOnly`), 2022年底, 2022年上半年. */
function readDate(text: string, pos: number, allowBareDay = false): DatePart | undefined {
  const part: DatePart = { start: pos, end: pos };
  let i = pos;
  const year = lookAt(YEAR_RE, text, i);
  if (year !== undefined && text[i + year.length] === '年') {
    const y = parseYearDigits(year);
    if (y === undefined || y < 1900 || y > 2099) return undefined;
    part.year = y;
    i += year.length + 1;
    const tail = lookAt(YEAR_TAIL_RE, text, i);
    if (tail !== undefined) {
      i += tail.length;
      if (tail === '底' || tail === '末') part.month = 12;
      else if (tail === '初') part.month = 1;
      else if (tail === '上半年') [part.month, part.monthTo] = [1, 6];
      else if (tail === '下半年') [part.month, part.monthTo] = [7, 12];
      else if (tail.endsWith('季度')) {
        const q = '一二三四'.indexOf(tail.replace('第', '')[0]!) + 1 || Number(tail.replace('第', '')[0]);
        [part.month, part.monthTo] = [q * 3 - 2, q * 3];
      }
      if (tail !== '度') {
        part.end = i;
        return part;
      }
    }
  }
  const month = readSmall(text, i, 12);
  if (month !== undefined && text[month.end] === '月') {
    part.month = month.value;
    i = month.end + 1;
    const tail = lookAt(MONTH_TAIL_RE, text, i);
    if (tail !== undefined) i += tail.length;
    else {
      const day = readSmall(text, i, 31);
      if (day !== undefined && (text[day.end] === '日' || text[day.end] === '号')) {
        part.day = day.value;
        i = day.end + 1;
      } else if (day !== undefined && allowBareDay && lookAt(SEP_RE, text, day.end) !== undefined) {
        part.day = day.value;
        i = day.end;
      }
    }
  } else if (part.year === undefined && allowBareDay) {
    const day = readSmall(text, i, 31);
    if (day !== undefined && (text[day.end] === '日' || text[day.end] === '号')) {
      part.day = day.value;
      i = day.end + 1;
    }
  }
  if (part.year === undefined && part.month === undefined && part.day === undefined) return undefined;
  part.end = i;
  return part;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** ISO date or partial date; `--MM`/`--MM-DD` when no year is known (ISO 8601 truncated form). */
function formatDate(year: number | undefined, month: number | undefined, day: number | undefined): string | undefined {
  if (year === undefined && month === undefined) return undefined;
  if (year === undefined) return day === undefined ? `--${pad(month!)}` : `--${pad(month!)}-${pad(day)}`;
  if (month === undefined) return String(year);
  if (day === undefined) return `${year}-${pad(month)}`;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function isValidDay(year: number | undefined, month: number, day: number): boolean {
  const y = year ?? 2000; // a leap year, so that 2月29日 without a year stands
  return day <= new Date(Date.UTC(y, month, 0)).getUTCDate();
}

function spanDuration(a: DatePart, b: DatePart): PeriodFact['duration'] | undefined {
  if (a.year === undefined && b.year === undefined && a.month !== undefined && b.month !== undefined) {
    // 10月12日至11月2日 with no year named before: both in one year (the range is ordered), its length the same in
    // any year unless it runs over the end of February, whose length the year decides.
    if (a.day !== undefined && b.day !== undefined && a.month <= 2 && (b.month > 2 || (b.month === 2 && b.day === 29))) return undefined;
    return spanDuration({ ...a, year: 2001 }, { ...b, year: 2001 });
  }
  if (a.year === undefined || b.year === undefined) return undefined;
  if (a.month === undefined || b.month === undefined) return { value: b.year - a.year + 1, unit: 'year' };
  const bMonthTo = b.monthTo ?? b.month;
  if (a.day === undefined || b.day === undefined) {
    return { value: (b.year - a.year) * 12 + (bMonthTo - a.month) + 1, unit: 'month' };
  }
  const days = (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000 + 1;
  return { value: days, unit: 'day' };
}

// 2019年至今: from 2019 on (至今年6月 is a range to a date of this year, not taken here).
const FROM_SUFFIX = /(?:以来|起)?至今(?!年)|以来|以后|之后|开始|起/y;
// 2022年底前, 6月30日前: a deadline (not 2019年前三季度, 前5个月, 前后, 前期, 前夕).
const TO_SUFFIX = /以前|之前|前(?![\d〇零一二三四五六七八九十两几半后期夕])/y;
const RANGE_TAIL = /期间|年间|间/y;
const TO_PREFIX = ['截至', '截止到', '截止'];
const FROM_PREFIX = ['自', '从'];

const DURATION_UNITS = ['个工作日', '个半月', '个多月', '个月', '工作日', '年', '天', '日', '周', '个星期', '星期'];
const DURATION_PREFIX = '近|最近|过去|连续|持续|长达|历时|用时|仅用|不到|不足|超过|满';
/** Source of the duration pattern (exported for the test that scanning equals `matchAll`). */
export const DURATION_SOURCE = `(?<pre>${DURATION_PREFIX})?(?<![\\d.${CN_NUMERAL_CHARS}第])(?<n>\\d{1,3}(?:\\.\\d)?|[${CN_NUMERAL_CHARS}]{1,3})(?<approx>多|余)?(?<unit>${DURATION_UNITS.join('|')})(?<suf>以来|来|以内|之内|内|间|多)?`;
/** Every string a match of {@link DURATION_SOURCE} can begin with. */
export const DURATION_STARTS: readonly string[] = [...DURATION_PREFIX.split('|'), ...'0123456789', ...CN_NUMERAL_CHARS];
/** A duration's lead-ins and what its number begins with. */
export const DURATION_GATE = { core: [...'0123456789', ...CN_NUMERAL_CHARS], reach: Math.max(...DURATION_PREFIX.split('|').map((w) => w.length)) } as const;
/** A duration's lead-in, number and 多/余 run up to its unit. */
export const DURATION_RUN = {
  runOf: [...new Set([...DURATION_PREFIX, ...'0123456789.', ...CN_NUMERAL_CHARS, '多', '余'].filter((ch) => ch !== '|'))].join(''),
  stop: DURATION_UNITS,
} as const;
const DURATION_PATTERN = compileScanPattern(DURATION_SOURCE, DURATION_STARTS, '', { ...DURATION_GATE, ...DURATION_RUN });

/** The month each National Congress of the Party opened (党的十八大: November 2012). */
const CONGRESSES: Readonly<Record<string, string>> = {
  十六: '2002-11', 十七: '2007-10', 十八: '2012-11', 十九: '2017-10', 二十: '2022-10',
};
/** The month each plenary session of a Central Committee opened (十八届三中全会: November 2013); only those certain. */
const PLENUMS: Readonly<Record<string, string>> = {
  十八届一中: '2012-11', 十八届二中: '2013-02', 十八届三中: '2013-11', 十八届四中: '2014-10', 十八届五中: '2015-10',
  十八届六中: '2016-10', 十八届七中: '2017-10',
  十九届一中: '2017-10', 十九届二中: '2018-01', 十九届三中: '2018-02', 十九届四中: '2019-10', 十九届五中: '2020-10',
  十九届六中: '2021-11', 十九届七中: '2022-10',
  二十届一中: '2022-10', 二十届二中: '2023-02', 二十届三中: '2024-07',
};
/**
 * Source of the pattern of periods named by a congress or plenum: 党的十八大以来, 十九届四中全会召开以来, 十八大以前
 * (exported for the test that scanning equals `matchAll`). Without 以来/以后/之后/至今/以前/之前 such a name is an
 * event (学习党的二十大精神), not a period.
 */
export const CONGRESS_SOURCE = `(?<party>党的|中共)?(?<![${CN_NUMERAL_CHARS}\\d第])(?<n>十六|十七|十八|十九|二十)(?:大|届(?<pl>[一二三四五六七])中全会)(?:召开)?(?<suf>(?:以来)?至今|以来|以后|之后|以前|之前)`;
/** Every string a match of {@link CONGRESS_SOURCE} can begin with. */
export const CONGRESS_STARTS: readonly string[] = ['党的', '中共', '十', '二'];
/** A congress period's lead-in (党的, 中共), what its number begins with, and what every match holds. */
export const CONGRESS_GATE = { core: ['十', '二'], reach: 2, required: ['大', '全会'] } as const;
const CONGRESS_PATTERN = compileScanPattern(CONGRESS_SOURCE, CONGRESS_STARTS, '', CONGRESS_GATE);

/**
 * Periods named by a Party congress or plenum: from its month (以来, 以后, 之后, 至今) or to it (以前, 之前; the month
 * is inclusive, as the congress opened in the course of it).
 */
function findCongressPeriods(text: string, sink: FactSink, taken: [number, number][]): void {
  for (const m of scanMatches(text, CONGRESS_PATTERN)) {
    const g = m.groups!;
    const month = g.pl === undefined ? CONGRESSES[g.n!] : PLENUMS[`${g.n!}届${g.pl}中`];
    if (month === undefined) continue;
    const to = g.suf === '以前' || g.suf === '之前';
    const end = m.index + m[0].length;
    sink.add(m.index, end, to ? { kind: 'period', to: month } : { kind: 'period', from: month });
    taken.push([m.index, end]);
  }
}

/**
 * Find dates, date ranges and durations in the normalised window `text`; `yearBefore` is the last year named before
 * the window, used for dates written without one.
 */
export function findPeriods(text: string, sink: FactSink, yearBefore: number | undefined, { gate = true }: { gate?: boolean } = {}): void {
  let lastYear = yearBefore;
  let lastSpan: PeriodAt['span'];
  const yearFor: YearFor = (month) => {
    if (lastSpan === undefined || month === undefined) return lastYear;
    const first = Math.floor(lastSpan.from / 12);
    const fits: number[] = [];
    for (let y = first; y * 12 <= lastSpan.to; y++) {
      const at = y * 12 + month - 1;
      if (at >= lastSpan.from && at <= lastSpan.to) fits.push(y);
    }
    return fits.length === 1 ? fits[0] : lastYear;
  };
  const taken: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digitLike = (c >= 0x30 && c <= 0x39) || CN_NUMERAL_CODES[c] === 1;
    if (!digitLike) continue;
    if (i > 0) {
      const p = text.charCodeAt(i - 1);
      if ((p >= 0x30 && p <= 0x39) || p === 0x2e || p === ORDINAL_PREFIX || CN_NUMERAL_CODES[p] === 1) continue;
    }
    if (gate && !mayStartPeriod(text, i)) continue;
    const found = readPeriodAt(text, i, yearFor);
    if (found === undefined) continue;
    if (found.year !== undefined) lastYear = found.year;
    if (found.named) lastSpan = found.span;
    sink.add(found.start, found.end, found.body);
    taken.push([found.start, found.end]);
    i = found.end - 1;
  }
  findCongressPeriods(text, sink, taken);
  const takenIndex = indexRanges(taken);
  for (const m of scanMatches(text, DURATION_PATTERN)) {
    const g = m.groups!;
    const start = m.index;
    const end = start + m[0].length;
    if (takenIndex.overlaps(start, end)) continue;
    let unit = g.unit!;
    const n = g.n!;
    // 3月 / 28日 are calendar dates; a bare 日 is a duration only with 内/以内 or a prefix such as 连续.
    if (unit === '日' && g.pre === undefined && !(g.suf === '内' || g.suf === '以内' || g.suf === '之内')) continue;
    if (unit === '年' && (/^\d{4}$/.test(n) || Number(n) > 100)) continue;
    // 90年代, 八十年代: a decade; 队伍年龄: 伍 is no numeral alone (see LONE_FORMAL_NUMERAL).
    if (unit === '年' && text[start + m[0].length - (g.suf?.length ?? 0)] === '代') continue;
    if (LONE_FORMAL_NUMERAL.test(n)) continue;
    if (unit === '周' && text[end] === '年') continue;
    // 40年前 is a point in the past, not a span.
    if (g.suf === undefined && text[end] === '前') continue;
    let value = /^\d/.test(n) ? Number(n) : parseNumeral(n);
    if (value === undefined || value <= 0) continue;
    // An article 一 without a qualifier is mostly idiom (一年一度, 一周内 is fine): require a qualifier for it.
    if (n === '一' && g.pre === undefined && g.suf === undefined) continue;
    let durUnit: DurationUnit;
    if (unit === '个半月') {
      value += 0.5;
      unit = '个月';
    }
    if (unit === '年') durUnit = 'year';
    else if (unit.endsWith('月')) durUnit = 'month';
    else if (unit.endsWith('工作日')) durUnit = 'workday';
    else if (unit === '周' || unit.endsWith('星期')) {
      value *= 7;
      durUnit = 'day';
    } else durUnit = 'day';
    sink.add(start, end, { kind: 'period', duration: { value, unit: durUnit } });
  }
}

/** 年 月 - . / 至 到 — – ~: the code units one of which follows a period's first number (see {@link mayStartPeriod}). */
const PERIOD_CUES = buildCodeTable(['年', '月', '-', '.', '/', '至', '到', '—', '–', '~']);

/**
 * Whether {@link readPeriodAt} can find a period at `pos` (a digit or Chinese numeral): each of its readings has a cue
 * within four code units after `pos`. A numeric date or year range is four digits and a separator (2022-10-28,
 * 2019-2022年); a year is four digits or numerals and 年; a month one or two digits, or one to three numerals, and 月;
 * a bare day (28日) is no period on its own. Skipping the other numbers (一些, 统一, 进一步 …) saves the regular
 * expressions readPeriodAt tries at each of them, with the same result (a property test compares).
 */
function mayStartPeriod(text: string, pos: number): boolean {
  const end = Math.min(text.length, pos + 5);
  for (let k = pos + 1; k < end; k++) if (PERIOD_CUES[text.charCodeAt(k)] === 1) return true;
  return false;
}

const ISO_DATE_RE = /((?:19|20)\d{2})([-./])(\d{1,2})\2(\d{1,2})(?!\d)/y;
const YEAR_RANGE_RE = /((?:19|20)\d{2})(?:至|到|-|—|–|~)((?:19|20)\d{2})年/y;

/** A period read at a position: its span, its fact body, and the year it names (inherited by later dates). */
interface PeriodAt {
  start: number;
  end: number;
  body: Body;
  year?: number;
  /** A range over more than one year, as months counted from year 0 (year × 12 + month − 1), both ends included. */
  span?: { from: number; to: number };
  /** The period writes its year (2022年, 2022-10-28); a date that takes its year from before keeps the range it is in. */
  named?: true;
}

/**
 * The year a date written without one takes: the last year named, or, after a range over several years, the one
 * year of it in which the date's month falls within the range (集中整改时间为2015年9月下旬至2016年3月。9月下旬至11月上旬…:
 * 2015, not 2016).
 */
type YearFor = (month: number | undefined) => number | undefined;

function readPeriodAt(text: string, pos: number, yearFor: YearFor): PeriodAt | undefined {
  // A numeric date 2022-10-28 / 2022.10.28 / 2022/10/28.
  const iso = ISO_DATE_RE;
  iso.lastIndex = pos;
  const im = iso.exec(text);
  if (im) {
    const [y, mo, d] = [Number(im[1]), Number(im[3]), Number(im[4])];
    if (mo >= 1 && mo <= 12 && d >= 1 && isValidDay(y, mo, d)) {
      const iso8601 = formatDate(y, mo, d)!;
      return { start: pos, end: pos + im[0].length, body: { kind: 'period', from: iso8601, to: iso8601 }, year: y, named: true };
    }
  }
  // 2019-2022年(间): a year range with 年 written once.
  const yr = YEAR_RANGE_RE;
  yr.lastIndex = pos;
  const ym = yr.exec(text);
  if (ym) {
    const [a, b] = [Number(ym[1]), Number(ym[2])];
    if (a <= b) {
      let end = pos + ym[0].length;
      const tail = lookAt(RANGE_TAIL, text, end);
      if (tail !== undefined) end += tail.length;
      return {
        start: pos,
        end,
        body: { kind: 'period', from: String(a), to: String(b), duration: { value: b - a + 1, unit: 'year' } },
        year: b,
        named: true,
        ...(a < b ? { span: { from: a * 12, to: b * 12 + 11 } } : {}),
      };
    }
  }
  const months = readMonthRange(text, pos, yearFor);
  if (months !== undefined) return months;
  const first = readDate(text, pos, true);
  if (first === undefined || (first.day !== undefined && first.month === undefined && first.year === undefined)) return undefined;
  if (first.day !== undefined && first.month !== undefined && !isValidDay(first.year ?? yearFor(first.month), first.month, first.day)) {
    return undefined;
  }
  const yearOf = (p: DatePart): number | undefined => p.year ?? yearFor(p.month);
  let end = first.end;
  const sep = lookAt(SEP_RE, text, end);
  if (sep !== undefined) {
    const second = readDate(text, end + sep.length, true);
    if (second !== undefined) {
      // The right end inherits what it leaves out: 2022年9月16日至10月18日, 12月13-15日, 2017年10月至12月.
      const right: DatePart = { ...second };
      if (right.year === undefined) right.year = first.year;
      if (right.month === undefined && right.day !== undefined) right.month = first.month;
      const left: DatePart = { ...first, year: yearOf(first) };
      const fromIso = formatDate(left.year, left.month, left.day);
      const toIso = formatDate(right.year ?? left.year, right.monthTo ?? right.month, right.day);
      const comparableLeft = left.year !== undefined;
      const ordered =
        fromIso !== undefined &&
        toIso !== undefined &&
        (!comparableLeft || (right.year ?? left.year) === undefined || fromIso.localeCompare(toIso) <= 0) &&
        (right.day === undefined || right.month === undefined || isValidDay(right.year ?? left.year, right.month, right.day));
      const bothDays = (left.day === undefined) === (right.day === undefined);
      if (ordered && bothDays) {
        end = second.end;
        const tail = lookAt(RANGE_TAIL, text, end);
        if (tail !== undefined) end += tail.length;
        const body: Body = { kind: 'period', from: fromIso!, to: toIso! };
        const duration = spanDuration(left, { ...right, year: right.year ?? left.year });
        if (duration !== undefined && duration.value > 0) body.duration = duration;
        const out: PeriodAt = { start: pos, end, body, year: right.year ?? left.year };
        if (first.year !== undefined || second.year !== undefined) out.named = true;
        const toYear = right.year ?? left.year;
        if (left.year !== undefined && toYear !== undefined && toYear > left.year) {
          out.span = { from: left.year * 12 + (left.month ?? 1) - 1, to: toYear * 12 + (right.monthTo ?? right.month ?? 12) - 1 };
        }
        return out;
      }
    }
  }
  if (first.day !== undefined && text[first.end - 1] !== '日' && text[first.end - 1] !== '号') return undefined;
  // 一月一学, 一月两次: "once a month", a frequency, when a month in Chinese numerals alone is followed by a numeral.
  if (first.year === undefined && first.day === undefined && CN_NUMERAL_CODES[text.charCodeAt(pos)] === 1 && CN_NUMERAL_CODES[text.charCodeAt(first.end)] === 1) return undefined;
  const year = yearOf(first);
  const from = formatDate(year, first.month, first.day);
  if (from === undefined) return undefined;
  const to = formatDate(year, first.monthTo ?? first.month, first.day)!;
  const body: Body = { kind: 'period', from, to };
  let start = pos;
  const fromSuffix = lookAt(FROM_SUFFIX, text, end);
  const toSuffix = fromSuffix === undefined ? lookAt(TO_SUFFIX, text, end) : undefined;
  const toPrefix = TO_PREFIX.find((p) => text.slice(pos - p.length, pos) === p);
  const fromPrefix = toPrefix === undefined ? FROM_PREFIX.find((p) => text.slice(pos - p.length, pos) === p) : undefined;
  if (fromSuffix !== undefined) {
    end += fromSuffix.length;
    delete body.to;
    if (fromPrefix !== undefined) start -= fromPrefix.length;
  } else if (toSuffix !== undefined) {
    end += toSuffix.length;
    delete body.from;
  } else if (toPrefix !== undefined) {
    start -= toPrefix.length;
    delete body.from;
  }
  const out: PeriodAt = { start, end, body };
  if (first.year !== undefined) {
    out.year = first.year;
    out.named = true;
  }
  return out;
}

/**
 * A month range with 月 written once, after an optional year: 1-9月, 2023年1至6月, 1—9月份 (the year, when not written,
 * is the last one named before).
 */
function readMonthRange(text: string, pos: number, yearFor: YearFor): PeriodAt | undefined {
  let i = pos;
  let year: number | undefined;
  const y = lookAt(YEAR_RE, text, i);
  if (y !== undefined && text[i + y.length] === '年') {
    year = parseYearDigits(y);
    if (year === undefined || year < 1900 || year > 2099) return undefined;
    i += y.length + 1;
  }
  const m1 = readSmall(text, i, 12);
  if (m1 === undefined) return undefined;
  const sep = lookAt(SEP_RE, text, m1.end);
  if (sep === undefined) return undefined;
  const m2 = readSmall(text, m1.end + sep.length, 12);
  if (m2 === undefined || text[m2.end] !== '月' || m1.value >= m2.value) return undefined;
  let end = m2.end + 1;
  if (text[end] === '份') end++;
  const tail = lookAt(RANGE_TAIL, text, end);
  if (tail !== undefined) end += tail.length;
  const inherited = year ?? yearFor(m1.value);
  const body: Body = { kind: 'period', from: formatDate(inherited, m1.value, undefined)!, to: formatDate(inherited, m2.value, undefined)! };
  // Months of one year: as many in any year, named or not.
  body.duration = { value: m2.value - m1.value + 1, unit: 'month' };
  const out: PeriodAt = { start: pos, end, body };
  if (year !== undefined) {
    out.year = year;
    out.named = true;
  }
  return out;
}
