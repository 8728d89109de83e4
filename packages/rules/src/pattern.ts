import { setFlagsFromString } from 'node:v8';

const UNSAFE_PATTERN = /\\[1-9]|\\k<|\(\?<?[=!]/;
/** Longest pattern source accepted, in characters. */
export const MAX_PATTERN_LENGTH = 400;

let safetyEnabled = false;

/**
 * Make user-written patterns unable to hang the process: V8 switches a regex to its linear-time engine when it
 * backtracks excessively (`--enable-experimental-regexp-engine-on-excessive-backtracks`). This is a process-wide V8
 * flag, so it is set here, explicitly and once per process (a thread shares its isolate's flags), by whoever compiles
 * patterns: {@link loadRuleSet} calls it before compiling any rule. Nothing sets it on import. The linear-time engine
 * has no backreferences or lookarounds, which {@link compilePattern} therefore rejects.
 */
export function enableRegexSafety(): void {
  if (safetyEnabled) return;
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  safetyEnabled = true;
}

/** Compile a rule's pattern (global flag), or return the reason it is refused. */
export function compilePattern(source: string): RegExp | { problem: string } {
  if (UNSAFE_PATTERN.test(source)) return { problem: 'backreferences and lookarounds are not allowed in patterns (they defeat the linear-time regex engine)' };
  if (source.length > MAX_PATTERN_LENGTH) return { problem: `pattern longer than ${MAX_PATTERN_LENGTH} characters` };
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'g');
  } catch (e) {
    return { problem: `bad pattern: ${(e as Error).message}` };
  }
  if (regex.test('')) return { problem: 'pattern matches the empty string' };
  regex.lastIndex = 0;
  return regex;
}
