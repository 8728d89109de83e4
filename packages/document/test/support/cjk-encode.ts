/**
 * Encode text as Big5 or GBK for tests. Node's TextEncoder writes UTF-8 only and no Big5 encoder is a dependency, so the table
 * is built by inverting the WHATWG Big5 decoder over the standard Big5 area (lead bytes 0xA1–0xF9; the HKSCS leads below
 * are left out, as the WHATWG encoder does). Throws on a character Big5 cannot hold.
 */
let table: Map<string, [number, number]> | undefined;

function big5Table(): Map<string, [number, number]> {
  if (table) return table;
  const decoder = new TextDecoder('big5');
  const map = new Map<string, [number, number]>();
  for (let lead = 0xa1; lead <= 0xf9; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail > 0x7e && trail < 0xa1) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\ufffd' && !map.has(ch)) map.set(ch, [lead, trail]);
    }
  }
  table = map;
  return map;
}

export function encodeBig5(text: string): Uint8Array {
  const map = big5Table();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = map.get(ch);
    if (!pair) throw new Error(`encodeBig5: ${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase()}) has no Big5 code`);
    out.push(pair[0], pair[1]);
  }
  return Uint8Array.from(out);
}

let gbkTable: Map<string, [number, number]> | undefined;

/** Encode text as GBK (two-byte GB18030), from the inverted GB18030 decoder; null when a character has no GBK code. */
export function encodeGbk(text: string): Uint8Array | null {
  if (!gbkTable) {
    const decoder = new TextDecoder('gb18030');
    gbkTable = new Map();
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.of(lead, trail));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const pair = gbkTable.get(ch);
    if (!pair) return null;
    out.push(pair[0], pair[1]);
  }
  return Uint8Array.from(out);
}
