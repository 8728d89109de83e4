/**
 * The string table of LZW decoding, shared by the TIFF reader (tiff-read.ts: codes most significant bit first, 9–12
 * bits, widened one code early) and the GIF decoder (gif-decode.ts: least significant bit first, from the image's
 * minimum code size): each code's string is written into the output from its table entry, bounded by the output's
 * length, and a new entry is the previous code's string and one byte. Every entry's prefix comes before it, so the
 * chain of prefixes always ends.
 */
export class LzwTable {
  private readonly prefix = new Int16Array(4096);
  private readonly suffix = new Uint8Array(4096);
  private readonly length = new Uint16Array(4096);
  /** The next free entry. */
  next: number;
  /** The code before, or −1 after a clear. */
  private prev = -1;

  /** `literals` single-byte entries (256 for TIFF, 2^minimum code size for GIF), the first free entry at `first`. */
  constructor(
    private readonly literals: number,
    private readonly first: number,
  ) {
    for (let i = 0; i < literals; i++) {
      this.suffix[i] = i;
      this.length[i] = 1;
    }
    this.next = first;
  }

  /** A clear code: the table back to its literals. */
  clear(): void {
    this.next = this.first;
    this.prev = -1;
  }

  /**
   * Write the string of `code` at `o` of `out` (the bytes past its end dropped) and add the table's next entry.
   * Returns where the output goes on, or −1 for a code the table cannot have yet (damage: the stream ends there).
   */
  decode(code: number, out: Uint8Array, o: number): number {
    if (this.prev === -1) {
      if (code >= this.literals) return -1;
      if (o < out.length) out[o] = code;
      this.prev = code;
      return o + 1;
    }
    const { prev } = this;
    let first: number;
    let end: number;
    if (code < this.next) {
      this.write(code, out, o);
      first = this.firstOf(code);
      end = o + this.length[code]!;
    } else if (code === this.next && this.next < 4096) {
      this.write(prev, out, o);
      first = this.firstOf(prev);
      if (o + this.length[prev]! < out.length) out[o + this.length[prev]!] = first;
      end = o + this.length[prev]! + 1;
    } else return -1;
    if (this.next < 4096) {
      this.prefix[this.next] = prev;
      this.suffix[this.next] = first;
      this.length[this.next] = Math.min(65535, this.length[prev]! + 1);
      this.next++;
    }
    this.prev = code;
    return end;
  }

  private firstOf(code: number): number {
    let c = code;
    while (c >= this.literals) c = this.prefix[c]!;
    return this.suffix[c]!;
  }

  private write(code: number, out: Uint8Array, at: number): void {
    let c = code;
    for (let k = this.length[code]! - 1; k >= 0; k--) {
      if (at + k < out.length) out[at + k] = this.suffix[c]!;
      c = this.prefix[c]!;
    }
  }
}
