/**
 * Encode text as Big5 or GBK for tests. Node's TextEncoder writes UTF-8 only and no CJK encoder is a dependency, so each
 * table is built by inverting Node's own (WHATWG) decoder over the encoding's double-byte area.
 */
type Table = Map<string, [number, number]>;
const tables = new Map<string, Table>();

/** Character → byte pair, from decoding every pair of `lead` × `trail` bytes (`skipTrail` bytes left out). */
function invertDecoder(label: string, lead: [number, number], skipTrail: (trail: number) => boolean): Table {
  let map = tables.get(label);
  if (map) return map;
  const decoder = new TextDecoder(label);
  map = new Map();
  for (let l = lead[0]; l <= lead[1]; l++) {
    for (let t = 0x40; t <= 0xfe; t++) {
      if (skipTrail(t)) continue;
      const ch = decoder.decode(Uint8Array.of(l, t));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [l, t]);
    }
  }
  tables.set(label, map);
  return map;
}

/** ASCII as is, other characters as their byte pair; null when a character has no code in the table. */
function encodeWith(table: Table, text: string): Uint8Array | null {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = table.get(ch);
    if (!pair) return null;
    out.push(pair[0], pair[1]);
  }
  return Uint8Array.from(out);
}

/**
 * Encode as Big5 (the standard area, lead bytes 0xA1–0xF9; the HKSCS leads below are left out, as the WHATWG encoder
 * does). Throws on a character Big5 cannot hold.
 */
export function encodeBig5(text: string): Uint8Array {
  const table = invertDecoder('big5', [0xa1, 0xf9], (t) => t > 0x7e && t < 0xa1);
  const out = encodeWith(table, text);
  if (!out) {
    const ch = [...text].find((c) => c.codePointAt(0)! >= 0x80 && !table.has(c))!;
    throw new Error(`encodeBig5: ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase()}) has no Big5 code`);
  }
  return out;
}

/** Encode as GBK (two-byte GB18030); null when a character has no GBK code. */
export function encodeGbk(text: string): Uint8Array | null {
  return encodeWith(invertDecoder('gb18030', [0x81, 0xfe], (t) => t === 0x7f), text);
}
