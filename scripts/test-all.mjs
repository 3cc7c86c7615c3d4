#!/usr/bin/env node
// The one test command (npm test): unit tests in Node, browser tests in Chromium, the packaging test, then a
// closing line "N passed, N failed" that sums them, each test counted once (CI reads it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'fw-tests-'));
const suites = [{ name: 'unit (Node)', config: 'vitest.config.ts' }];
if (existsSync('tests/browser') && readdirSync('tests/browser').some((f) => f.endsWith('.test.ts'))) {
  suites.push({ name: 'browser (Chromium)', config: 'vitest.browser.config.ts' });
}
// The package as users install it: npm pack → fresh projects → train, run, build, Chromium.
suites.push({ name: 'package (npm pack → fresh project)', config: 'vitest.package.config.ts' });

let passed = 0;
let failed = 0;
let skipped = 0;
let exit = 0;
/** Why tests were skipped: the titles of the groups they belong to (each names what it needs). */
const skippedGroups = new Set();
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const report = join(tmp, `${suite.config}.json`);
  const r = spawnSync('npx', ['vitest', 'run', '-c', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { stdio: 'inherit' });
  if (r.status !== 0) exit = 1;
  if (!existsSync(report)) {
    console.error(`${suite.name}: the test runner wrote no report (exit ${r.status}).`);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests + countFilesFailedWithoutTests(json);
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  for (const file of json.testResults) {
    for (const a of file.assertionResults) if (a.status === 'pending' || a.status === 'skipped' || a.status === 'todo') skippedGroups.add(a.ancestorTitles.join(' › ') || a.title);
  }
}
if (skippedGroups.size) {
  console.log(`\nSkipped, for want of data that is not in the repository (../shared next to it: the tau-bench data and the reference conversion):`);
  for (const g of skippedGroups) console.log(`- ${g}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exit || (failed ? 1 : 0));

/**
 * Each failed test counts once. A test file that failed without a failed test (it did not load, or a
 * hook threw) counts as one more failure. (numFailedTestSuites also counts describe blocks, so it
 * cannot be used: one failing test inside a describe would count twice.)
 */
function countFilesFailedWithoutTests(json) {
  return json.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
}
