// Adds up the JSON reports of vitest and Playwright and prints the closing
// line "N passed, N failed". Above it, one line per failed test (its file,
// name and the first line of its error), because CI shows only the log's tail
// and a failure far above it would otherwise go unnamed. A stage that failed
// without a report (lint, a crash) counts as one failure, so a broken run can
// never print "0 failed".
// Usage: node scripts/test-summary.mjs RESULTS_DIR [FAILED_STAGE...]
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const [resultsDir, ...failedStages] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const reported = new Set();
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
  reported.add(stage);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  vitestFailures(stage, report);
}

const e2e = read("e2e.json");
if (e2e) {
  reported.add("e2e");
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  for (const suite of e2e.suites) playwrightFailures(suite);
  for (const error of e2e.errors ?? []) failures.push(`e2e: ${firstLine(error.message)}`);
}

for (const stage of failedStages) {
  if (!reported.has(stage)) {
    failures.push(`stage "${stage}" failed`);
    failed += 1;
  }
}
// vitest can fail a run (an error outside any test) while every test passed.
if (failed === 0 && failedStages.length > 0) failed = failedStages.length;

if (failures.length > 0) console.log(`failed:\n${failures.map((line) => `  ${line}`).join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
