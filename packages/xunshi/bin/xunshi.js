#!/usr/bin/env node
// The only place that turns results into an exit code.
import { main } from '../dist/cli.js';

// A standard error nobody reads any more (`2> >(head -1)`, a closed pipe) loses its messages, nothing else: the batch
// goes on and the exit code still says how it went. Without a listener the first EPIPE was an uncaught 'error' event
// that killed the process at the first failed input, before the other inputs and the output.
process.stderr.on('error', () => {});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`xunshi: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
