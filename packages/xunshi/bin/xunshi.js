#!/usr/bin/env node
// The only place that turns results into an exit code.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`xunshi: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 70;
  },
);
