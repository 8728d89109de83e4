import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createJsonFolderSink, openAtomicFile, toOutputError, writeFileAtomicSync } from '../src/output.js';

// A real full file system: a 64 KiB tmpfs, which needs root (CI and the developers' machines run as root). Elsewhere
// the test is skipped and says so.
const dir = mkdtempSync(join(tmpdir(), 'xunshi-full-'));
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
if (!mounted) console.warn(`SKIPPED: cannot mount a small tmpfs at ${dir} (needs root and mount), so the disk-full tests are skipped (not passed).`);
afterAll(() => {
  if (mounted) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
});

const big = '问题'.repeat(60_000); // 360 KB in UTF-8: more than the file system holds

describe('writing output on a full disk', () => {
  it.skipIf(!mounted)('writeFileAtomicSync throws ENOSPC and leaves neither the file nor a temporary file', () => {
    expect(() => writeFileAtomicSync(join(dir, 'a.json'), big)).toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileAtomicSync(join(dir, 'b.json'), '{"ok":true}\n');
    expect(readdirSync(dir)).toEqual(['b.json']);
    rmSync(join(dir, 'b.json'));
  });
  it.skipIf(!mounted)('a report of --format json --out DIR that does not fit leaves no truncated file under its name', () => {
    const sink = createJsonFolderSink(dir, ['r.json']);
    expect(() => sink.writeReport(0, big)).toThrow(/ENOSPC/);
    // Only the errors list's temporary file may exist (it is still open); no r.json, whole or truncated.
    expect(readdirSync(dir).filter((n) => !n.startsWith('.errors.jsonl.'))).toEqual([]);
    sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
  it.skipIf(!mounted)('a streamed output fails on the write that does not fit, and discard leaves nothing', () => {
    const target = openAtomicFile(join(dir, 'c.jsonl'));
    expect(() => target.write(big)).toThrow(/ENOSPC/);
    // The error names the output it was writing (a write on a descriptor has no path of its own).
    let error: NodeJS.ErrnoException | undefined;
    try {
      target.write(big);
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    }
    expect(error?.path).toBe(join(dir, 'c.jsonl'));
    expect(toOutputError(error).message).toBe(`cannot write output: no space left on device (ENOSPC): ${join(dir, 'c.jsonl')}`);
    target.discard();
    expect(readdirSync(dir)).toEqual([]);
  });
});
