import type { Reporter, TestCase } from 'vitest/node';

/** Prints how many tests ran (and passed) on each database engine, counted from `[engine]` in their names. */
export default class EngineReporter implements Reporter {
  private readonly counts = new Map<string, { passed: number; failed: number }>();

  onTestCaseResult(test: TestCase): void {
    const fullName = test.fullName;
    for (const engine of ['sqlite', 'postgres']) {
      if (!fullName.includes(`[${engine}]`)) continue;
      const entry = this.counts.get(engine) ?? { passed: 0, failed: 0 };
      const state = test.result().state;
      if (state === 'passed') entry.passed++;
      else if (state === 'failed') entry.failed++;
      this.counts.set(engine, entry);
    }
  }

  onTestRunEnd(): void {
    const parts = [...this.counts.entries()].map(
      ([engine, c]) => `${engine}: ${c.passed} passed, ${c.failed} failed`,
    );
    process.stdout.write(`\nTests per database engine — ${parts.length > 0 ? parts.join('; ') : 'none'}\n`);
  }
}
