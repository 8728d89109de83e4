import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line `Tests: N passed, N failed[, N skipped]` that CI reads. A test file that fails outside
 * its tests (an error while it is collected: a fixture the loader refuses, a syntax error; or in a hook: a beforeAll
 * that throws, whose tests are then skipped) read "0 failed" with the run failing; each such file counts as one failed
 * test here, and is named on the line before.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const broken: string[] = [];
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      failed += failedHere;
      // A file whose hook failed (a beforeAll that throws: its tests are skipped) fails as a module, with no test failed.
      if (failedHere === 0 && (m.errors().length > 0 || m.state() === 'failed')) {
        failed++;
        broken.push(m.relativeModuleId);
      }
    }
    if (broken.length) process.stdout.write(`\n${broken.length} test file(s) failed outside their tests (errors above): ${broken.sort().join(', ')}`);
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
