// Preloaded with `node -r` into a CLI run: writes the process's peak RSS and CPU time (all threads) to $BENCH_PEAK_FILE at exit.
const { writeFileSync } = require('node:fs');
const target = process.env.BENCH_PEAK_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    // CPU time of every thread of the process: tells a slow parallel run on a busy machine from real overhead.
    writeFileSync(target, JSON.stringify({ maxRssKb: u.maxRSS, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  });
}
