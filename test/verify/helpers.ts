import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { evaluateContract, formatReport, formatViolation, type Expectations, type StopReport } from '../../lib/verify/report.ts';

export const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/verify/${name}`, import.meta.url));

/** The Node running the tests (24), so fixtures don't depend on the system's older node. */
export const NODE = process.execPath;

export const GRACE_SECONDS = 2;

export { freePort } from '../support/ports.ts';

/** The violated contract points, as "N: message" lines. */
export function violationsOf(report: StopReport, expectations: Expectations): string[] {
  return evaluateContract(report, expectations).map(formatViolation);
}

/** Asserts the contract holds; on failure the message is the whole report (tree, fates, output). */
export function expectContractHolds(report: StopReport, expectations: Expectations): void {
  const violations = evaluateContract(report, expectations);
  expect(violations, formatReport(report, violations)).toEqual([]);
}

/** Asserts exactly these contract points are violated (each matched by its number). */
export function expectViolatedPoints(report: StopReport, expectations: Expectations, points: number[]): string[] {
  const violations = evaluateContract(report, expectations);
  expect([...new Set(violations.map((v) => v.point))], formatReport(report, violations)).toEqual(points);
  return violations.map(formatViolation);
}

export function fateOf(report: StopReport, match: (argv: string) => boolean) {
  const found = report.fates.find((f) => match(f.argv.join(' ')));
  expect(found, formatReport(report, evaluateContract(report, {}))).toBeDefined();
  return found!;
}
