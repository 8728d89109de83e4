import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The workplace's shared folder beside the repository (`../shared`), which CI provides and a plain clone may lack. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
/** The repository root. */
export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** True when `../shared/<rel>` exists; otherwise prints why the dependent tests are skipped. */
export function hasShared(rel: string): boolean {
  const ok = existsSync(SHARED_DIR + rel);
  if (!ok) console.warn(`SKIPPED: ${SHARED_DIR}${rel} is absent, so the tests that need it are skipped (not passed).`);
  return ok;
}
