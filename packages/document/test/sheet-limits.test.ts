import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { readDocument, readDocumentAsync } from '../src/index.js';
import { MAX_SHEET_CELLS } from '../src/sheet-cells.js';
import { makeXlsx } from './support/fixtures.js';
import { rejectionOf } from './support/thrown.js';

const MESSAGE = 'the sheets have more than 100,000 cells with text, more than a report is read in (reading them would take gigabytes of memory); split it, or check it is a report and not a data dump';

// 20 MB of CSV in 5 million one-character cells took 2.8 GB and 25 s before the bound on passages refused it.
describe('the bound on cells with text', () => {
  const rows = (n: number, cols: number): string => `${Array.from({ length: cols }, () => '巡').join(',')}\n`.repeat(n);

  it('refuses a CSV of more cells with text as the parser reads them, naming the file; empty cells do not count', async () => {
    // Two cells a row: fewer lines than the bound on lines, more cells than the bound on cells.
    const err = await rejectionOf(() => readDocument(new TextEncoder().encode(rows(MAX_SHEET_CELLS / 2 + 1, 2)), { path: 'dump.csv' }));
    expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.csv', message: MESSAGE });
    const sparse = `${'巡,,, \n'.repeat(MAX_SHEET_CELLS)}`;
    expect(readDocument(new TextEncoder().encode(sparse), { path: 'sparse.csv' }).units.length).toBe(MAX_SHEET_CELLS);
  });

  it('refuses a workbook of more cells with text', async () => {
    const cells = Array.from({ length: MAX_SHEET_CELLS / 2 + 1 }, () => ['巡', '察']);
    const err = await rejectionOf(async () => readDocumentAsync(await makeXlsx([{ name: 'S', rows: cells }]), { path: 'dump.xlsx' }));
    expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.xlsx', message: MESSAGE });
  }, 60_000);
});
