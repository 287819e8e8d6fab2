// Adds up the JSON reports of vitest and Playwright and prints the closing
// line "N passed, N failed". A stage that failed without a report (lint, a
// crash) counts as one failure, so a broken run can never print "0 failed".
// Usage: node scripts/test-summary.mjs RESULTS_DIR [FAILED_STAGE...]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const [resultsDir, ...failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const reported = new Set();

function read(name) {
  const file = join(resultsDir, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

for (const stage of ["unit", "integration", "postgresql"]) {
  const report = read(`${stage}.json`);
  if (!report) continue;
  reported.add(stage);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

const e2e = read("e2e.json");
if (e2e) {
  reported.add("e2e");
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
}

for (const stage of failedStages) {
  if (!reported.has(stage)) {
    console.log(`stage "${stage}" failed`);
    failed += 1;
  }
}
// vitest can fail a run (an error outside any test) while every test passed.
if (failed === 0 && failedStages.length > 0) failed = failedStages.length;

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
