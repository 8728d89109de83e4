/** The value of an ASCII hex digit's byte (`0`–`9`, `a`–`f`, `A`–`F`), or -1 for any other byte (or none). */
export function hexDigitValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
