/**
 * Calendar points for time-skipping tests. The test server's clock starts at
 * the wall clock, so a test that assumes "this month has 30 days" passes on
 * some days and fails on others. Tests either compute every expected instant
 * from the workflow's own start with the policy functions the workflow uses,
 * or move the clock to a chosen Shanghai calendar point first (sleepUntil).
 *
 * DUBAN_TEST_CLOCK=MM-DDTHH:mm moves every time-skipping environment to the
 * next such Shanghai point before its tests run (createTimeSkippingEnv): the
 * date proof (scripts/test-dates.sh) runs the same suites in other months.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPolicy } from '../../common/policy';
import { deadlineAfter, type CalendarPolicy, type DeadlineSpec } from '../../common/policy/calendar';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const POINT = /^(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A deadline as the workflows compute it (a date on the calendar, common/policy/calendar.ts), plus `extraMs`. */
export function dueAfter(from: Date | string, d: DeadlineSpec, extraMs = 0, cal: CalendarPolicy = defaultPolicy.calendar): Date {
  return new Date(Date.parse(deadlineAfter(from, d, cal).at) + extraMs);
}

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The Shanghai calendar year of an instant. */
export const shanghaiYear = (at: number | Date) => new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();

/** The instant of a Shanghai wall-clock time, e.g. shanghai(2027, 1, 31, 0, 10). */
export function shanghai(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS);
}

/**
 * The first instant after `after` at which Shanghai's calendar reads `point`
 * ("MM-DDTHH:mm"), optionally only in a leap (or a common) year. "02-29T…"
 * finds the next leap day.
 */
export function nextShanghai(after: number | Date, point: string, opts: { leap?: boolean } = {}): Date {
  const m = POINT.exec(point);
  if (!m) throw new Error(`calendar point "${point}" is not MM-DDTHH:mm`);
  const [month, day, hour, minute] = m.slice(1).map(Number);
  const from = new Date(after).getTime();
  for (let year = shanghaiYear(from); year < shanghaiYear(from) + 9; year++) {
    if (opts.leap !== undefined && isLeapYear(year) !== opts.leap) continue;
    const at = shanghai(year, month, day, hour, minute);
    const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
    if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) continue; // e.g. 02-29 in a common year
    if (at.getTime() > from) return at;
  }
  throw new Error(`no calendar point ${point} within 8 years of ${new Date(from).toISOString()}`);
}

/**
 * Moves the test server's clock forward to `at` (nothing to do if it is already
 * past). Timers of workflows still open in this environment fire on the way.
 */
export async function sleepUntil(env: TestWorkflowEnvironment, at: Date | number): Promise<void> {
  const ms = new Date(at).getTime() - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

/** Where DUBAN_TEST_CLOCK puts a new environment's clock (undefined: leave it at the wall clock). */
export function configuredStart(now: number): Date | undefined {
  const point = process.env.DUBAN_TEST_CLOCK;
  return point ? nextShanghai(now, point) : undefined;
}

/**
 * How many years ahead of its clock each test file runs its months of the
 * 六个一 cycle. A month is one workflow and one row for the whole run (and a
 * month's annual figure reads the earlier months of its year), so each file
 * keeps to years of its own.
 */
export const CYCLE_YEARS = {
  /** tests/workflows/cycle.test.ts: +5 … +8 (its clock may start a year later in the date proof: +6 … +9). */
  timeSkipping: 5,
  integration: 10,
  admin: 11,
  browser: 12,
  steps: 13,
  /** tests/reliability/records.test.ts: +20 … +69, by process. */
  records: 20,
} as const;
