/**
 * pdf.js's operator list (`page.getOperatorList()`) walked with the current transformation matrix, for the readers that
 * look at what a page draws besides its text: ruled tables (`pdf-tables.ts`) and scanned images (`pdf-ocr.ts`).
 */

/** pdf.js operator codes (OPS in pdf.js's shared/util.js; stable across versions). */
export const OP = {
  save: 10,
  restore: 11,
  transform: 12,
  stroke: 20,
  closeStroke: 21,
  fill: 22,
  eoFill: 23,
  fillStroke: 24,
  eoFillStroke: 25,
  closeFillStroke: 26,
  closeEOFillStroke: 27,
  paintFormXObjectBegin: 74,
  paintFormXObjectEnd: 75,
  paintImageMaskXObject: 83,
  paintImageXObject: 85,
  paintInlineImageXObject: 86,
  constructPath: 91,
} as const;

/** A PDF matrix [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** `m` applied first, then `ctm` (PDF's `cm`: the new matrix maps a point through `m`, then through the old one). */
export function compose(ctm: Matrix, m: ArrayLike<number>): Matrix {
  const [a, b, c, d, e, f] = ctm;
  const a2 = m[0] ?? 1, b2 = m[1] ?? 0, c2 = m[2] ?? 0, d2 = m[3] ?? 1, e2 = m[4] ?? 0, f2 = m[5] ?? 0;
  return [a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d, e2 * a + f2 * c + e, e2 * b + f2 * d + f];
}

/** Deepest graphics-state stack kept: a crafted page of a million `q` keeps its matrix, not a million copies. */
const MAX_STACK = 10_000;

/**
 * Visit every operator of a page's list but those that set the matrix (`q`, `Q`, `cm`, form XObjects' begin and
 * end), with the matrix current at it. The walk stops when `visit` returns false.
 */
export function walkOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>, visit: (fn: number, args: unknown[] | null | undefined, ctm: Matrix) => boolean | void): void {
  let ctm: Matrix = IDENTITY;
  const stack: Matrix[] = [];
  const n = fnArray.length;
  for (let i = 0; i < n; i++) {
    const fn = fnArray[i]!;
    const args = argsArray[i] as unknown[] | null | undefined;
    switch (fn) {
      case OP.save:
        if (stack.length < MAX_STACK) stack.push(ctm);
        break;
      case OP.restore:
        ctm = stack.pop() ?? ctm;
        break;
      case OP.transform:
        if (Array.isArray(args) && args.length >= 6) ctm = compose(ctm, args as number[]);
        break;
      case OP.paintFormXObjectBegin: {
        if (stack.length < MAX_STACK) stack.push(ctm);
        const m = Array.isArray(args) ? args[0] : undefined;
        if (m && typeof m === 'object' && (m as ArrayLike<number>).length >= 6) ctm = compose(ctm, m as ArrayLike<number>);
        break;
      }
      case OP.paintFormXObjectEnd:
        ctm = stack.pop() ?? ctm;
        break;
      default:
        if (visit(fn, args, ctm) === false) return;
    }
  }
}
