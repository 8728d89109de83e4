/**
 * `ArrayBuffer.prototype.transferToFixedLength` (ES2024) where the runtime lacks it (Node 20's V8 11.3). pdf.js 5, which
 * unpdf bundles, calls it to hand a page's font data to the thread that draws it, and unpdf polyfills the other newer
 * built-ins pdf.js uses (`Promise.withResolvers`, `Map.prototype.getOrInsertComputed`, `Math.sumPrecise`…) but not
 * this one. Without it `page.getOperatorList()` fails at the page's first font and returns the operators before it
 * only ("ignoring errors during GetOperatorList"), so a ruled table whose rules are drawn after its first text (as
 * LibreOffice, Word and WPS write a page; Chromium draws its rules first) had no rules and was read as lines.
 *
 * As specified: a new buffer of `newLength` bytes (the old length by default) holding the old contents (cut short, or
 * zero-filled past them), the old buffer detached. Defined only where missing, as unpdf defines its own.
 */
export function ensureArrayBufferTransfer(): void {
  if (typeof (ArrayBuffer.prototype as { transferToFixedLength?: unknown }).transferToFixedLength === 'function') return;
  Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', {
    value(this: ArrayBuffer, newLength?: number): ArrayBuffer {
      const length = newLength === undefined ? this.byteLength : Math.trunc(Number(newLength));
      if (!(length >= 0) || length > Number.MAX_SAFE_INTEGER) throw new RangeError(`Invalid array buffer length: ${newLength}`);
      const out = new ArrayBuffer(length);
      new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(length, this.byteLength)));
      // Detach the old buffer, as transferring does (a transfer list moves it without copying).
      structuredClone(this, { transfer: [this] });
      return out;
    },
    writable: true,
    configurable: true,
  });
}
