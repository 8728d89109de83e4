/**
 * CCITT fax decoding (ITU-T T.4 and T.6), for TIFF scans of compressions 2 (Modified Huffman, one row a byte-aligned
 * code), 3 (T.4, rows after EOL codes, one- or two-dimensional) and 4 (T.6, two-dimensional, no EOLs): what scanners
 * and fax servers write for black-and-white pages. No npm package decodes them but utif2, whose decoders build each row
 * as an array of one number a pixel from codes read as strings of '0' and '1' (one string a bit) and whose row array
 * grows without bound on a damaged stream; this one reads codes through lookup tables of 13 bits, keeps a row as its
 * changing elements (at most two a pixel) and is bounded by the stream: every step reads at least one bit, and a row
 * whose codes do not fit its width ends the strip (the rows decoded so far kept, the rest left white).
 */

// T.4's code tables (Tables 2 and 3 of ITU-T T.4): terminating codes of runs 0–63, make-up codes of 64–1728 (step
// 64) for each colour, and the extended make-up codes of 1792–2560 that both colours share.
const TERMINATING_WHITE =
  '00110101,000111,0111,1000,1011,1100,1110,1111,10011,10100,00111,01000,001000,000011,110100,110101,101010,101011,0100111,0001100,0001000,0010111,0000011,0000100,0101000,0101011,0010011,0100100,0011000,00000010,00000011,00011010,00011011,00010010,00010011,00010100,00010101,00010110,00010111,00101000,00101001,00101010,00101011,00101100,00101101,00000100,00000101,00001010,00001011,01010010,01010011,01010100,01010101,00100100,00100101,01011000,01011001,01011010,01011011,01001010,01001011,00110010,00110011,00110100';
const TERMINATING_BLACK =
  '0000110111,010,11,10,011,0011,0010,00011,000101,000100,0000100,0000101,0000111,00000100,00000111,000011000,0000010111,0000011000,0000001000,00001100111,00001101000,00001101100,00000110111,00000101000,00000010111,00000011000,000011001010,000011001011,000011001100,000011001101,000001101000,000001101001,000001101010,000001101011,000011010010,000011010011,000011010100,000011010101,000011010110,000011010111,000001101100,000001101101,000011011010,000011011011,000001010100,000001010101,000001010110,000001010111,000001100100,000001100101,000001010010,000001010011,000000100100,000000110111,000000111000,000000100111,000000101000,000001011000,000001011001,000000101011,000000101100,000001011010,000001100110,000001100111';
const MAKEUP_WHITE =
  '11011,10010,010111,0110111,00110110,00110111,01100100,01100101,01101000,01100111,011001100,011001101,011010010,011010011,011010100,011010101,011010110,011010111,011011000,011011001,011011010,011011011,010011000,010011001,010011010,011000,010011011';
const MAKEUP_BLACK =
  '0000001111,000011001000,000011001001,000001011011,000000110011,000000110100,000000110101,0000001101100,0000001101101,0000001001010,0000001001011,0000001001100,0000001001101,0000001110010,0000001110011,0000001110100,0000001110101,0000001110110,0000001110111,0000001010010,0000001010011,0000001010100,0000001010101,0000001011010,0000001011011,0000001100100,0000001100101';
const MAKEUP_EXTENDED = '00000001000,00000001100,00000001101,000000010010,000000010011,000000010100,000000010101,000000010110,000000010111,000000011100,000000011101,000000011110,000000011111';

/** Bits a run code is looked up by: the longest code (a black terminating or make-up code) has 13. */
const PEEK = 13;

/** A lookup table: for each value of the next {@link PEEK} bits, `(run + 1) << 4 | code length`, 0 for no code. */
function runTable(terminating: string, makeup: string): Int32Array {
  const table = new Int32Array(1 << PEEK);
  const add = (codes: string, first: number, step: number): void => {
    codes.split(',').forEach((code, i) => {
      const shift = PEEK - code.length;
      const start = parseInt(code, 2) << shift;
      table.fill(((first + i * step + 1) << 4) | code.length, start, start + (1 << shift));
    });
  };
  add(terminating, 0, 1);
  add(makeup, 64, 64);
  add(MAKEUP_EXTENDED, 1792, 64);
  return table;
}

let tables: [Int32Array, Int32Array] | undefined;
/** The run tables of white (0) and black (1), built on first use. */
function runTables(): [Int32Array, Int32Array] {
  tables ??= [runTable(TERMINATING_WHITE, MAKEUP_WHITE), runTable(TERMINATING_BLACK, MAKEUP_BLACK)];
  return tables;
}

/** The two-dimensional coding modes (T.4 Table 4), looked up by the next 7 bits: `mode << 3 | code length`. */
const PASS = 1;
const HORIZONTAL = 2;
/** Vertical modes: V0 … as `VERTICAL + 3 + offset` (offset −3 … +3). */
const VERTICAL = 3;
const MODE_PEEK = 7;
const modeTable: Int32Array = (() => {
  const table = new Int32Array(1 << MODE_PEEK);
  const add = (code: string, mode: number): void => {
    const shift = MODE_PEEK - code.length;
    const start = parseInt(code, 2) << shift;
    table.fill((mode << 3) | code.length, start, start + (1 << shift));
  };
  add('0001', PASS);
  add('001', HORIZONTAL);
  add('1', VERTICAL + 3);
  add('011', VERTICAL + 4);
  add('000011', VERTICAL + 5);
  add('0000011', VERTICAL + 6);
  add('010', VERTICAL + 2);
  add('000010', VERTICAL + 1);
  add('0000010', VERTICAL + 0);
  return table;
})();

/** Reads a byte array's bits, most significant first; past the end it reads zeros. */
class Bits {
  pos = 0;
  readonly end: number;
  constructor(private readonly data: Uint8Array) {
    this.end = data.length * 8;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  peek(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.pos + i;
      v = (v << 1) | (p < this.end ? (this.data[p >> 3]! >> (7 - (p & 7))) & 1 : 0);
    }
    return v;
  }
  skip(n: number): void {
    this.pos += n;
  }
  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }
  /** Skip an EOL code (eleven zeros or more, then a one: fill bits before it included); false, reading nothing, when the next bits are none. */
  eol(): boolean {
    let p = this.pos;
    while (p < this.end && ((this.data[p >> 3]! >> (7 - (p & 7))) & 1) === 0) p++;
    if (p - this.pos < 11 || p >= this.end) return false;
    this.pos = p + 1;
    return true;
  }
}

/** One run of `color` (make-up codes then a terminating code); −1 for no valid code. */
function readRun(bits: Bits, color: number): number {
  const table = runTables()[color]!;
  let run = 0;
  // Each code read moves on by at least two bits; a make-up code adds at least 64, so a run past 2^20 is damage.
  for (;;) {
    if (bits.done) return -1;
    const entry = table[bits.peek(PEEK)]!;
    if (entry === 0) return -1;
    bits.skip(entry & 15);
    const r = (entry >> 4) - 1;
    run += r;
    if (r < 64) return run;
    if (run > 1 << 20) return -1;
  }
}

/** How a strip is coded: TIFF compression 2, 3 (with its `T4Options`: bit 0 two-dimensional) or 4. */
export interface CcittOptions {
  compression: 2 | 3 | 4;
  /** T4Options (tag 292) for compression 3: bit 0 = two-dimensional coding. */
  t4Options?: number;
  /** FillOrder 2: each byte's bits stored least significant first. */
  reversed?: boolean;
}

/** Each byte's bits in reverse order (FillOrder 2). */
const REVERSED = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) r |= ((i >> b) & 1) << (7 - b);
    t[i] = r;
  }
  return t;
})();

/**
 * Decode one CCITT-coded strip of `rows` rows of `width` pixels into `out` (rows of `ceil(width / 8)` bytes, from byte
 * `offset`): a pixel of a black run (T.4's colour 1) is a 1 bit, as TIFF reads the pixel's value (white is 0: what
 * `PhotometricInterpretation` 0 shows white). Returns the rows decoded; a damaged strip ends where its codes stop
 * making sense, the rows before kept.
 */
export function decodeCcittStrip(data: Uint8Array, width: number, rows: number, options: CcittOptions, out: Uint8Array, offset: number): number {
  const bits = new Bits(options.reversed ? data.map((b) => REVERSED[b]!) : data);
  const stride = (width + 7) >> 3;
  // A row's changing elements: positions where the colour changes, white first; three sentinels of the width.
  let ref = new Int32Array(2 * width + 8);
  let cur = new Int32Array(2 * width + 8);
  let refLen = 0;
  ref.fill(width, 0, 3);
  const twoD = options.compression === 4 || (options.compression === 3 && ((options.t4Options ?? 0) & 1) === 1);
  let row = 0;
  for (; row < rows; row++) {
    let oneD = options.compression === 2 || (options.compression === 3 && !twoD);
    if (options.compression === 3) {
      // T.4: an EOL before each row (fill bits before it when T4Options bit 2 says so); two-dimensional coding tells
      // after it, in one bit, whether the row is coded in one dimension (1) or two (0).
      if (bits.eol() && twoD) {
        oneD = bits.peek(1) === 1;
        bits.skip(1);
      } else if (twoD && row === 0) oneD = true;
    }
    const n = oneD ? decodeRow1D(bits, width, cur) : decodeRow2D(bits, width, ref, refLen, cur);
    if (n < 0) break;
    writeRow(cur, n, width, out, offset + row * stride);
    if (options.compression === 2) bits.align();
    [ref, cur] = [cur, ref];
    refLen = n;
    ref.fill(width, refLen, refLen + 3);
  }
  return row;
}

/** A one-dimensional row: runs of white and black in turn, from white. The number of changing elements, −1 on damage. */
function decodeRow1D(bits: Bits, width: number, cur: Int32Array): number {
  let a0 = 0;
  let color = 0;
  let n = 0;
  while (a0 < width) {
    const run = readRun(bits, color);
    if (run < 0) return -1;
    a0 = Math.min(width, a0 + run);
    cur[n++] = a0;
    color ^= 1;
  }
  return n;
}

/**
 * A two-dimensional row against the reference row `ref` (its `refLen` changing elements, then sentinels of the
 * width): pass, horizontal and vertical modes as T.4 4.2 describes them. The number of changing elements, −1 on damage
 * (an EOL, an unknown code, the stream's end, a row of more changes than pixels).
 */
function decodeRow2D(bits: Bits, width: number, ref: Int32Array, refLen: number, cur: Int32Array): number {
  let a0 = -1;
  let color = 0;
  let n = 0;
  let i = 0;
  const limit = cur.length - 3;
  while (a0 < width) {
    if (bits.done || n >= limit) return -1;
    // b1: the first changing element of the reference row right of a0 whose colour is the opposite of a0's (an even
    // index changes to black); b2 the next one.
    while (i > 0 && ref[i - 1]! > a0) i--;
    while (i < refLen && (ref[i]! <= a0 || (i & 1) !== color)) i++;
    const b1 = ref[i]!;
    const b2 = ref[i + 1]!;
    const entry = modeTable[bits.peek(MODE_PEEK)]!;
    if (entry === 0) return -1;
    bits.skip(entry & 7);
    const mode = entry >> 3;
    const start = Math.max(a0, 0);
    if (mode === PASS) {
      a0 = b2;
    } else if (mode === HORIZONTAL) {
      const r1 = readRun(bits, color);
      const r2 = r1 < 0 ? -1 : readRun(bits, color ^ 1);
      if (r2 < 0) return -1;
      const a1 = Math.min(width, start + r1);
      const a2 = Math.min(width, a1 + r2);
      cur[n++] = a1;
      cur[n++] = a2;
      a0 = a2;
    } else {
      const a1 = Math.min(width, Math.max(start, b1 + mode - VERTICAL - 3));
      cur[n++] = a1;
      a0 = a1;
      color ^= 1;
    }
  }
  return n;
}

/** Set the black runs of a row (between changing elements 0 and 1, 2 and 3, …) as 1 bits. */
function writeRow(changes: Int32Array, n: number, width: number, out: Uint8Array, at: number): void {
  for (let j = 0; j < n; j += 2) {
    const from = changes[j]!;
    const to = j + 1 < n ? changes[j + 1]! : width;
    for (let x = from; x < to; x++) out[at + (x >> 3)]! |= 0x80 >> (x & 7);
  }
}
