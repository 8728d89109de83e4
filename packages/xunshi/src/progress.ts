import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

/** cli-progress, loaded only when a bar is drawn (on a terminal). */
const loadCliProgress = (): typeof CliProgress => createRequire(import.meta.url)('cli-progress') as typeof CliProgress;

/** Turn the terminal's automatic line wrapping (DECAWM) on and off. */
const WRAP_ON = '\u001b[?7h';
const WRAP_OFF = '\u001b[?7l';

/** Reports batch progress and per-input messages on the error stream. */
export interface BatchProgress {
  /** One more input is done. */
  tick(): void;
  /** Print a message line (a failed input) without breaking the bar. */
  log(line: string): void;
  /** Remove the bar. */
  stop(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Number of inputs in the batch. */
  total: number;
  /** Where the bar is drawn; it is drawn only when this is a terminal. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Writes message lines when no bar is drawn. */
  writeLine: (line: string) => void;
  /** No bar and no message lines. */
  quiet: boolean;
  /**
   * The batch's output goes to a terminal too (standard output, no `--out`): no bar is drawn, since its redraws would
   * land in the middle of the output's lines; messages are plain lines.
   */
  outputOnTerminal?: boolean;
  /** The environment, for NO_COLOR (https://no-color.org: any non-empty value turns colour off) and TERM=dumb (no bar). */
  env?: NodeJS.ProcessEnv;
}

/**
 * True when the bar should be drawn: a terminal that can move its cursor (not `TERM=dumb`, as Emacs' shell buffers
 * are) and that the output does not go to, not quiet, and more than one input.
 */
export function shouldShowProgress(options: Pick<ProgressOptions, 'stream' | 'quiet' | 'total' | 'outputOnTerminal' | 'env'>): boolean {
  const dumb = (options.env ?? process.env).TERM === 'dumb';
  return !options.quiet && options.stream.isTTY === true && !dumb && options.outputOnTerminal !== true && options.total > 1;
}

/**
 * A progress bar on a terminal (files done/total, files per second, time left), or nothing on a pipe or with `quiet`;
 * colour only when NO_COLOR is unset.
 */
export function createProgress(options: ProgressOptions): BatchProgress {
  const { quiet, writeLine } = options;
  if (!shouldShowProgress(options)) {
    return { tick() {}, log: (line) => (quiet ? undefined : writeLine(line)), stop() {} };
  }
  const color = !(options.env ?? process.env).NO_COLOR;
  const started = Date.now();
  const cliProgress = loadCliProgress();
  const bars = new cliProgress.MultiBar(
    {
      stream: options.stream as NodeJS.WriteStream,
      format: `${color ? '\u001b[36m{bar}\u001b[0m' : '{bar}'} {value}/{total} files | {rate} files/s | {eta_formatted} left`,
      barCompleteChar: color ? '\u2588' : '#',
      barIncompleteChar: color ? '\u2591' : '-',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(options.total, 0, { rate: '0.0' });
  let done = 0;
  let stopped = false;
  return {
    tick() {
      done++;
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(done, { rate: (done / seconds).toFixed(1) });
    },
    log(line) {
      // cli-progress turns the terminal's line wrapping off (DECAWM) while the bar is drawn, so that a bar wider than
      // the terminal stays on its one line; a message wider than the terminal was cut at its right edge, its code
      // lost. Wrapping is on for the message and off again for the bar (stop() turns it back on for good).
      bars.log(`${WRAP_ON}${line.endsWith('\n') ? line : `${line}\n`}${WRAP_OFF}`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      // MultiBar.log only buffers until the next redraw, and stop() does not redraw: without this, a message logged
      // just before the end (the last input failed) was never printed.
      bars.update();
      bars.stop();
    },
  };
}
