import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

/** A fake terminal: a stream that says it is a TTY and keeps what is written to it. */
function fakeTerminal(): { stream: PassThrough & { isTTY: boolean; columns: number }; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return { stream, text: () => out };
}

describe('progress on a terminal', () => {
  it('prints a message logged just before the bar stops (the last input failed)', async () => {
    const term = fakeTerminal();
    const progress = createProgress({ total: 2, stream: term.stream, writeLine: () => {}, quiet: false, env: { NO_COLOR: '1' } });
    progress.tick();
    progress.log('b.txt: the file is empty [XUNSHI_INPUT_EMPTY]');
    progress.tick();
    progress.stop();
    await new Promise((r) => setImmediate(r));
    expect(term.text()).toContain('b.txt: the file is empty [XUNSHI_INPUT_EMPTY]');
  });
  it('prints messages with line wrapping on: a message wider than the terminal is not cut at its edge', async () => {
    const term = fakeTerminal();
    const progress = createProgress({ total: 3, stream: term.stream, writeLine: () => {}, quiet: false, env: { NO_COLOR: '1' } });
    progress.tick();
    const message = `b.txt: ${'x'.repeat(300)} [XUNSHI_INPUT_UNSUPPORTED]`;
    progress.log(message);
    progress.tick();
    progress.stop();
    await new Promise((r) => setImmediate(r));
    const text = term.text();
    // cli-progress draws the bar with wrapping off (ESC [?7l); the last switch before the message must turn it on.
    expect(text).toContain('\u001b[?7l');
    const at = text.indexOf(message);
    expect(at).toBeGreaterThan(0);
    const before = text.slice(0, at);
    expect(before.lastIndexOf('\u001b[?7h')).toBeGreaterThan(before.lastIndexOf('\u001b[?7l'));
    // and the terminal is left wrapping
    expect(text.lastIndexOf('\u001b[?7h')).toBeGreaterThan(text.lastIndexOf('\u001b[?7l'));
  });
  it.each([
    ['when the output goes to the terminal too', { outputOnTerminal: true, env: { NO_COLOR: '1' } }],
    ['on a dumb terminal (TERM=dumb: no cursor movement)', { env: { TERM: 'dumb' } }],
  ] as const)('draws no bar %s, and prints messages as plain lines', (_, options) => {
    const term = fakeTerminal();
    const lines: string[] = [];
    const progress = createProgress({ total: 3, stream: term.stream, writeLine: (l) => lines.push(l), quiet: false, ...options });
    progress.tick();
    progress.log('b.txt: the file is empty [XUNSHI_INPUT_EMPTY]');
    progress.tick();
    progress.stop();
    expect(term.text()).toBe('');
    expect(lines).toEqual(['b.txt: the file is empty [XUNSHI_INPUT_EMPTY]']);
  });
  it('draws nothing and prints plain lines on a pipe', () => {
    const lines: string[] = [];
    const stream = Object.assign(new PassThrough(), { isTTY: false });
    const progress = createProgress({ total: 2, stream, writeLine: (l) => lines.push(l), quiet: false });
    progress.log('a.txt: bad');
    progress.stop();
    expect(lines).toEqual(['a.txt: bad']);
  });
});
