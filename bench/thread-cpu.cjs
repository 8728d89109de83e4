// Preloaded with `node -r` into a CLI run: samples every thread's CPU time from /proc/self/task every 50 ms (threads that
// end before the process, such as worker threads, keep their last sample) and at exit prints it per thread to stderr, or
// writes it to $THREAD_CPU_FILE as JSON with totals by kind: `main` (the process's own thread), `v8` (the threads that
// already run when this preload starts: V8's platform workers, which compile optimised code and help the collector), and
// `later` (threads started afterwards: worker threads, libuv's pool). Node names them all "node", hence the start order.
// Linux only; elsewhere it does nothing. Usage: node -r ./bench/thread-cpu.cjs packages/xunshi/bin/xunshi.js analyze …
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const TICKS = 100; // USER_HZ on Linux
const threads = new Map(); // tid -> { name, ticks, kind }
let started = false;
function sample() {
  let tids;
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      // The name is in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of stat)
      const t = threads.get(tid);
      if (t) t.ticks = ticks;
      else threads.set(tid, { name, ticks, kind: Number(tid) === process.pid ? 'main' : started ? 'later' : 'v8' });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
}
if (existsSync('/proc/self/task')) {
  sample();
  started = true;
  setInterval(sample, 50).unref();
  process.on('exit', () => {
    sample();
    const rows = [...threads.entries()].map(([tid, t]) => ({ tid: Number(tid), kind: t.kind, cpuS: t.ticks / TICKS })).filter((r) => r.cpuS > 0);
    const byKind = { main: 0, v8: 0, later: 0 };
    for (const r of rows) byKind[r.kind] = Math.round((byKind[r.kind] + r.cpuS) * 100) / 100;
    const out = { threads: rows, byKind, totalS: Math.round(rows.reduce((s, r) => s + r.cpuS, 0) * 100) / 100 };
    if (process.env.THREAD_CPU_FILE) writeFileSync(process.env.THREAD_CPU_FILE, JSON.stringify(out));
    else process.stderr.write(`thread CPU (s): ${rows.map((r) => `${r.kind}#${r.tid} ${r.cpuS.toFixed(2)}`).join(', ')}\n`);
  });
}
