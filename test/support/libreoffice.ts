import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Report } from 'xunshi';

/** LibreOffice's command (Debian: libreoffice-writer-nogui, which `.ci/run` installs), or undefined where it is absent. */
export const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/** Why tests that need LibreOffice are skipped, for their titles (empty where it is installed). */
export const SOFFICE_SKIP = SOFFICE ? '' : ' (skipped: LibreOffice is not installed)';

/** Save `files` (in `dir`) with LibreOffice's `filter` into `dir`, its profile kept there too; `args` go before. */
export function saveAs(dir: string, filter: string, files: string[], args: string[] = []): void {
  const run = spawnSync(SOFFICE!, ['--headless', `-env:UserInstallation=file://${dir}/profile`, ...args, '--convert-to', filter, '--outdir', dir, ...files.map((f) => join(dir, f))], { encoding: 'utf8', timeout: 240_000 });
  expect(run.status, run.stderr).toBe(0);
}

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
