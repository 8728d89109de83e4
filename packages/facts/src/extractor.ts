import { ERROR_CODES, XunshiError, type Fact, type UnitTypeList } from '@xunshi/types';
import { findCatchphrases } from './catchphrases.js';
import { findAmounts, findCounts, findRatios } from './figures.js';
import { normalizeForFacts } from './normalize.js';
import { findPeriods } from './periods.js';
import { indexRanges } from './ranges.js';
import { createFactSink, selectNonOverlapping } from './sink.js';
import { compileUnitTypes } from './unit-type-matcher.js';
import { parseYearDigits } from './numbers.js';

/** Options of {@link FactExtractor.extract}. */
export interface ExtractOptions {
  /** Matching copy of `source`, same UTF-16 length (traditional→simplified, full-width→half-width). */
  normalized?: string;
  /** Start of the window to search, UTF-16 offset into `source` (default 0). */
  start?: number;
  /** End of the window to search (exclusive), UTF-16 offset into `source` (default `source.length`). */
  end?: number;
}

/** Finds facts in text; built once by {@link createFactExtractor} and reused for every passage. */
export interface FactExtractor {
  /**
   * Return the facts of `source` (or of `[start, end)` only), sorted by start then end, non-overlapping within one
   * kind, each with `text === source.slice(start, end)` (UTF-16 offsets into `source`).
   */
  extract(source: string, options?: ExtractOptions): Fact[];
}

/** Options of {@link createFactExtractor}. */
export interface FactExtractorOptions {
  /** The unit-type list: a value, read and checked by `@xunshi/rules` (`ruleset.unitTypes`); this package reads no files. */
  unitTypes: UnitTypeList;
}

// How far before a window to look for the year that dates such as 10月28日 inherit.
const YEAR_LOOKBACK = 2000;

/** Build a fact extractor for the given unit-type list. */
export function createFactExtractor(options: FactExtractorOptions): FactExtractor {
  if (options === null || typeof options !== 'object' || options.unitTypes === undefined || !Array.isArray(options.unitTypes.types)) {
    throw new XunshiError(ERROR_CODES.USAGE, 'createFactExtractor needs { unitTypes }: a unit-type list such as ruleset.unitTypes of @xunshi/rules');
  }
  const unitTypes = compileUnitTypes(options.unitTypes);
  return {
    extract(source, opts = {}) {
      if (typeof source !== 'string') throw new XunshiError(ERROR_CODES.USAGE, 'extract(source): source must be a string');
      const start = opts.start ?? 0;
      const end = opts.end ?? source.length;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > source.length || start > end) {
        throw new XunshiError(
          ERROR_CODES.USAGE,
          `extract: window [${String(start)}, ${String(end)}) is not inside the source of length ${source.length}`,
        );
      }
      let normalized: string;
      if (opts.normalized !== undefined) {
        if (typeof opts.normalized !== 'string' || opts.normalized.length !== source.length) {
          throw new XunshiError(
            ERROR_CODES.USAGE,
            `extract: options.normalized must be a string of the same length as source (${source.length} UTF-16 units), got ${
              typeof opts.normalized === 'string' ? opts.normalized.length : typeof opts.normalized
            }`,
          );
        }
        normalized = opts.normalized;
      } else {
        normalized = normalizeForFacts(source.slice(Math.max(0, start - YEAR_LOOKBACK), end));
        normalized = ' '.repeat(Math.max(0, start - YEAR_LOOKBACK)) + normalized;
      }
      const window = normalized.slice(start, end);
      const facts: Fact[] = [];
      const sink = createFactSink(source, start, facts);
      const quoted = findCatchphrases(window, sink);
      const quotes = indexRanges(quoted);
      const insideQuotes = (s: number, e: number): boolean => quotes.encloses(s, e);
      findAmounts(window, sink);
      findCounts(window, sink, insideQuotes);
      findRatios(window, sink);
      findPeriods(window, sink, findYearBefore(normalized, start));
      unitTypes.find(window, sink);
      return selectNonOverlapping(facts);
    },
  };
}

function findYearBefore(normalized: string, start: number): number | undefined {
  const before = normalized.slice(Math.max(0, start - YEAR_LOOKBACK), start);
  let year: number | undefined;
  for (const m of before.matchAll(/((?:19|20)\d{2}|[一二][〇零一二三四五六七八九]{3})年/g)) {
    const y = parseYearDigits(m[1]!);
    if (y !== undefined && y >= 1900 && y <= 2099) year = y;
  }
  return year;
}
