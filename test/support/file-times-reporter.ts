import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** One test file's wall time, split as vitest measures it (milliseconds). */
export interface FileTime {
  file: string;
  project: string;
  state: string;
  /** Import of the file and everything it imports, and collection of its tests. */
  collectMs: number;
  /** setupFiles. */
  setupMs: number;
  /** Tests and hooks (a beforeAll that builds an app is here). */
  runMs: number;
  totalMs: number;
}

/**
 * Writes each test file's time to the file named by VITEST_FILE_TIMES (`.ci/run` sets it), for
 * the "slowest files" list: vitest's JSON report times a file from its first test to its last,
 * leaving out the imports and the beforeAll set-up that are most of a slow file's cost.
 */
export default class FileTimesReporter implements Reporter {
  private readonly times: FileTime[] = [];

  onTestModuleEnd(testModule: TestModule): void {
    const d = testModule.diagnostic();
    const collectMs = d.prepareDuration + d.collectDuration + d.environmentSetupDuration;
    this.times.push({
      file: path.relative(process.cwd(), testModule.moduleId),
      project: testModule.project.name,
      state: testModule.state(),
      collectMs,
      setupMs: d.setupDuration,
      runMs: d.duration,
      totalMs: collectMs + d.setupDuration + d.duration,
    });
  }

  onTestRunEnd(): void {
    const out = process.env['VITEST_FILE_TIMES'];
    if (!out) return;
    fs.writeFileSync(
      out,
      JSON.stringify(
        this.times.sort((a, b) => b.totalMs - a.totalMs),
        null,
        1,
      ),
    );
  }
}
