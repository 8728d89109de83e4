import type { Range, Token, TokenColumns } from '@xunshi/types';

/** Tokens as columns: those of the segmenter's `segmentColumns` as they are, token objects copied into columns. */
export function toTokenColumns(tokens: readonly Token[] | TokenColumns): TokenColumns {
  if (!Array.isArray(tokens)) return tokens as TokenColumns;
  const list = tokens as readonly Token[];
  const starts = new Int32Array(list.length);
  const ends = new Int32Array(list.length);
  const texts = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    starts[i] = list[i]!.start;
    ends[i] = list[i]!.end;
    texts[i] = list[i]!.text;
  }
  return { count: list.length, starts, ends, texts };
}

/**
 * The segmenter words of one unit: tokens `from` to `to` (exclusive) of the document's token columns, read by index
 * (`text(i)`, `start(i)`, `end(i)` for `0 ≤ i < length`) without a token object each. `find` and iteration give token
 * objects, made on demand, for code that reads a few.
 */
export class UnitWords implements Iterable<Token> {
  constructor(
    readonly columns: TokenColumns,
    readonly from: number,
    readonly to: number,
  ) {}

  get length(): number {
    return this.to - this.from;
  }

  text(i: number): string {
    return this.columns.texts[this.from + i]!;
  }

  start(i: number): number {
    return this.columns.starts[this.from + i]!;
  }

  end(i: number): number {
    return this.columns.ends[this.from + i]!;
  }

  /** Word `i` as a token object. */
  token(i: number): Token {
    const k = this.from + i;
    return { start: this.columns.starts[k]!, end: this.columns.ends[k]!, text: this.columns.texts[k]! };
  }

  /** The first word (as a token object) that `test` accepts. */
  find(test: (t: Token) => boolean): Token | undefined {
    for (let i = 0; i < this.length; i++) {
      const t = this.token(i);
      if (test(t)) return t;
    }
    return undefined;
  }

  *[Symbol.iterator](): Iterator<Token> {
    for (let i = 0; i < this.length; i++) yield this.token(i);
  }
}

/**
 * The words inside each unit (tokens that start and end inside it), for units in document order: one cursor over the
 * tokens, ordered by start and not overlapping (as the segmenter writes them), so each unit's words are one run.
 */
export function wordsOfUnits(columns: TokenColumns, units: readonly Range[]): UnitWords[] {
  const { count, starts, ends } = columns;
  const out = new Array<UnitWords>(units.length);
  let cursor = 0;
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    while (cursor < count && starts[cursor]! < unit.start) cursor++;
    let to = cursor;
    while (to < count && starts[to]! < unit.end && ends[to]! <= unit.end) to++;
    out[u] = new UnitWords(columns, cursor, to);
  }
  return out;
}
