/**
 * Windows (and Mac) code pages, as RTF's `\ansicpg`/`\fcharset` and Excel 95's CODEPAGE record name them, to text
 * decoders: GB2312/GBK as GB18030 (never the lossy `gbk`), and windows-1252 as Windows writes it.
 */

/** Code page → WHATWG encoding label. Excel for the Mac writes its own code pages (10008 Simplified Chinese, 10002 Big5, …). */
export function codePageLabel(codePage: number): string {
  switch (codePage) {
    case 936:
    case 20936:
    case 54936:
    case 10008:
      return 'gb18030';
    case 950:
    case 10002:
      return 'big5';
    case 932:
    case 10001:
      return 'shift_jis';
    case 949:
    case 10003:
      return 'euc-kr';
    case 65001:
      return 'utf-8';
    case 1200:
      return 'utf-16le';
    case 874:
      return 'windows-874';
    case 10000:
    case 0x8000:
      return 'macintosh';
    default:
      return codePage >= 1250 && codePage <= 1258 ? `windows-${codePage}` : 'windows-1252';
  }
}

/** Windows-1252's characters at 0x80–0x9F (the five it leaves undefined kept as the C1 controls). */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** A decoder of bytes in `codePage` (windows-1252 when the runtime has no decoder for it). */
export function codePageDecoder(codePage: number): { decode(input: Uint8Array): string } {
  let label = codePageLabel(codePage);
  let d: { decode(input: Uint8Array): string };
  try {
    d = new TextDecoder(label);
  } catch {
    label = 'windows-1252';
    d = new TextDecoder(label);
  }
  // Node 20's decoder reads windows-1252 as ISO-8859-1 (0x93 as U+0093, not “): its 0x80–0x9F are mapped here.
  if (label !== 'windows-1252') return d;
  return { decode: (input) => d.decode(input).replace(/[\u0080-\u009f]/g, (c: string) => CP1252_C1[c.charCodeAt(0) - 0x80]!) };
}
