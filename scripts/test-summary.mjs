// Adds up the JSON reports of vitest and Playwright and prints the closing
// line "N passed, N failed". Above it, one line per failed test (its file,
// name and the first line of its error), because CI shows only the log's tail
// and a failure far above it would otherwise go unnamed. A stage that failed
// without a failed test to show for it counts as one failure, so a broken run
// can never print "0 failed".
// Usage: node scripts/test-summary.mjs RESULTS_DIR [FAILED_STAGE...]
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const [resultsDir, ...failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
/** Stages whose report names a failed test. */
const failedInReport = new Set();
const failures = [];

function read(name) {
  const file = join(resultsDir, name);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function firstLine(message) {
  const line =
    String(message ?? "")
      .split("\n")
      .find((text) => text.trim() !== "") ?? "(no message)";
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function vitestFailures(stage, report) {
  for (const file of report.testResults) {
    const where = relative(process.cwd(), file.name);
    const failedTests = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of failedTests) failures.push(`${stage}: ${where} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
    // A hook or import that failed leaves the file failed with no failed test in it.
    if (file.status === "failed" && failedTests.length === 0) failures.push(`${stage}: ${where}: ${firstLine(file.message)}`);
  }
}

function playwrightFailures(suite, titles = []) {
  const path = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      if (test.status !== "unexpected") continue;
      const error = test.results.flatMap((result) => result.errors).find(Boolean);
      failures.push(`e2e: ${[...path, spec.title].join(" › ")}: ${firstLine(error?.message)}`);
    }
  }
  for (const child of suite.suites ?? []) playwrightFailures(child, path);
}

for (const stage of ["unit", "integration", "postgresql"]) {
  const report = read(`${stage}.json`);
  if (!report) continue;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  vitestFailures(stage, report);
  if (report.numFailedTests > 0) failedInReport.add(stage);
}

const e2e = read("e2e.json");
if (e2e) {
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  if (e2e.stats.unexpected > 0) failedInReport.add("e2e");
  for (const suite of e2e.suites) playwrightFailures(suite);
  for (const error of e2e.errors ?? []) failures.push(`e2e: ${firstLine(error.message)}`);
}

// A stage that failed with no failed test in its report (lint, a crash, or
// vitest's unhandled error outside any test) counts as one failure.
for (const stage of failedStages) {
  if (failedInReport.has(stage)) continue;
  failures.push(`stage "${stage}" failed outside any test: its log above says why (an unhandled error, a crash)`);
  failed += 1;
}

if (failures.length > 0) console.log(`failed:\n${failures.map((line) => `  ${line}`).join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
