import { main } from '../../packages/xunshi/src/cli.js';

/** Run the CLI in this process (its `main`, with stdout and stderr collected): the exit code and what it wrote. */
export async function runMain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}
