import type { Report } from 'xunshi';
import { SOFFICE } from '../../packages/document/test/support/libreoffice.js';

export { saveAs, SOFFICE } from '../../packages/document/test/support/libreoffice.js';

/** Why tests that need LibreOffice are skipped, for their titles (empty where it is installed). */
export const SOFFICE_SKIP = SOFFICE ? '' : ' (skipped: LibreOffice is not installed)';

/**
 * Each passage as its text (white space aside), function, labels and heading path: what two readings must share; with
 * `cells`, also a table passage's row, column and the header it stands under.
 */
export function signature(r: Report, options: { cells?: boolean } = {}): string[] {
  return r.passages.map((p) => {
    const parts = [p.text.replace(/\s+/g, ''), p.function, p.categories.map((c) => c.subcategory ?? c.id).sort().join(','), p.rootCauses.map((c) => c.id).sort().join(','), p.headingPath.map((h) => h.replace(/\s+/g, '')).join('>')];
    if (options.cells && p.cell) parts.push(`r${p.cell.row}c${p.cell.column}${p.cell.isHeader ? 'H' : ''}${p.cell.header ? `<${p.cell.header.replace(/\s+/g, '')}` : ''}`);
    return parts.join('|');
  });
}
