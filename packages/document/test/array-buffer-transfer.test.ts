import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureArrayBufferTransfer } from '../src/array-buffer-transfer.js';

type Transferable = ArrayBuffer & { transferToFixedLength(newLength?: number): ArrayBuffer };

// The polyfill itself, whatever the runtime has: the native method (Node 22+) is put aside while it is tested.
describe('ArrayBuffer.prototype.transferToFixedLength where the runtime lacks it', () => {
  let native: PropertyDescriptor | undefined;
  beforeEach(() => {
    native = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'transferToFixedLength');
    delete (ArrayBuffer.prototype as { transferToFixedLength?: unknown }).transferToFixedLength;
    ensureArrayBufferTransfer();
  });
  afterEach(() => {
    delete (ArrayBuffer.prototype as { transferToFixedLength?: unknown }).transferToFixedLength;
    if (native) Object.defineProperty(ArrayBuffer.prototype, 'transferToFixedLength', native);
    else ensureArrayBufferTransfer();
  });

  it('gives a new buffer of the length asked, the contents kept (cut short or zero-filled), and detaches the old one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.nat(80), { nil: undefined }), (bytes, length) => {
        const old = new Uint8Array(bytes).buffer as Transferable;
        const out = old.transferToFixedLength(length);
        const n = length ?? bytes.length;
        expect(out.byteLength).toBe(n);
        expect([...new Uint8Array(out)]).toEqual(Array.from({ length: n }, (_, i) => (i < bytes.length ? bytes[i] : 0)));
        expect(old.byteLength).toBe(0);
        expect(() => new Uint8Array(old)).toThrow(TypeError);
      }),
    );
  });

  it('refuses a negative length, as the built-in does', () => {
    expect(() => (new ArrayBuffer(4) as Transferable).transferToFixedLength(-1)).toThrow(RangeError);
  });

  it('is defined once, not enumerable, and left alone where it exists', () => {
    const first = (ArrayBuffer.prototype as unknown as Transferable).transferToFixedLength;
    ensureArrayBufferTransfer();
    expect((ArrayBuffer.prototype as unknown as Transferable).transferToFixedLength).toBe(first);
    expect(Object.keys(ArrayBuffer.prototype)).not.toContain('transferToFixedLength');
  });
});
