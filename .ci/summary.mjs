// Sums vitest JSON reports into the one closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    // A test file that failed to load has no failed tests but must still count.
    failed += r.numFailedTests + r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
  } catch {
    console.error(`missing or unreadable test results: ${file}`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
