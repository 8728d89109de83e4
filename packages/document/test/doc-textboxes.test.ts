import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docTextBoxes, docWordArt } from '../src/doc-textboxes.js';

/** A FIB of 93 FibRgFcLcb97 fields with PlcSpaMom (40), DggInfo (50) and PlcftxbxTxt (56) pointing into the table. */
function fib(fields: Record<number, [number, number]>): Buffer {
  const word = Buffer.alloc(154 + 93 * 8);
  word.writeUInt16LE(93, 152);
  for (const [i, [fc, lcb]] of Object.entries(fields)) {
    word.writeUInt32LE(fc, 154 + Number(i) * 8);
    word.writeUInt32LE(lcb, 158 + Number(i) * 8);
  }
  return word;
}

describe('text boxes and WordArt of a .doc', () => {
  it('property: any table stream and any offsets give boxes within the body and the textbox story, never an error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.array(fc.nat(700), { minLength: 6, maxLength: 6 }), fc.nat(400), fc.nat(200), (bytes, [a, b, c, d, e, f], body, story) => {
        const table = Buffer.from(bytes);
        const word = fib({ 40: [a!, b!], 50: [c!, d!], 56: [e!, f!] });
        for (const box of [...docTextBoxes(word, table, body, story), ...docWordArt(word, table, body)]) {
          expect(box.anchor).toBeLessThan(body);
          expect(box.from).toBeLessThanOrEqual(box.to);
          expect(box.to).toBeLessThanOrEqual(story);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('a FIB too short for the tables, or a table of no such size, gives none', () => {
    const short = Buffer.alloc(200);
    short.writeUInt16LE(10, 152);
    expect(docTextBoxes(short, Buffer.alloc(100), 10, 10)).toEqual([]);
    expect(docWordArt(short, Buffer.alloc(100), 10)).toEqual([]);
    expect(docTextBoxes(fib({ 40: [0, 33], 56: [0, 31] }), Buffer.alloc(100), 10, 10)).toEqual([]);
  });
});
