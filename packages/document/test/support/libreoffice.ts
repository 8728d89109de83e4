import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** LibreOffice's command (Debian: libreoffice-writer-nogui, which `.ci/run` installs), or undefined where it is absent. */
export const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/**
 * Save `files` (in `dir`) with LibreOffice's `filter` (`doc`, `rtf`, `odt`, `pdf`, …) into `dir`, its profile kept there
 * too; `args` go before. Throws with LibreOffice's standard error when it fails.
 */
export function saveAs(dir: string, filter: string, files: readonly string[], args: readonly string[] = []): void {
  const run = spawnSync(SOFFICE!, ['--headless', `-env:UserInstallation=file://${dir}/profile`, ...args, '--convert-to', filter, '--outdir', dir, ...files.map((f) => join(dir, f))], { encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0) throw new Error(`LibreOffice could not save ${files.join(', ')} as ${filter} (status ${run.status}, ${run.signal ?? 'no signal'}): ${run.stderr}${run.error ? ` ${run.error.message}` : ''}`);
}
