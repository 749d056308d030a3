// Deadlines as dates (issue bent 2) on the working-day calendar. Officials work
// in dates: a deadline stated in months, weeks, days or working days is the end
// of a Shanghai day (or the hour the policy names), never the minute a step
// happened to be taken. The calendar (holidays and 调休 make-up working days per
// year) is versioned policy data the office publishes; it reaches workflows in
// their input or by a signal, never read inside workflow code. Pure functions
// without dependencies: the one mechanism every family's deadlines go through.
import { addDuration, type DurationSpec } from './duration';

/** A public holiday's days off, Shanghai dates "YYYY-MM-DD", both ends included (weekends inside count). */
export interface HolidayPeriod {
  name: string;
  from: string;
  to: string;
}

/** One year of the State Council's arrangement: the holidays and the weekend days worked instead (调休). */
export interface CalendarYear {
  holidays: HolidayPeriod[];
  workdays: string[];
}

export interface CalendarPolicy {
  /** The calendar's identity, e.g. "cn-2026": a new year or a correction is a new version. */
  version: string;
  /** A deadline date ends at the end of that Shanghai day, or at the hour the policy names. */
  dueTime: 'END_OF_DAY' | { hour: number; minute: number };
  /**
   * A deadline date that is not a working day: kept (NONE), moved to the next working day when it
   * is in a holiday (HOLIDAYS), or when it is any rest day, weekends included (REST_DAYS).
   */
  shift: 'NONE' | 'HOLIDAYS' | 'REST_DAYS';
  /** Years the calendar knows, keyed "YYYY". A year it does not know has weekends off and no holidays. */
  years: Record<string, CalendarYear>;
}

/** A deadline in months, weeks, days and/or working days (counted on the calendar after those). */
export interface DeadlineSpec extends DurationSpec {
  workingDays?: number;
}

export interface Deadline {
  /** ISO instant: the end of the due day (its last millisecond) or the policy's hour on it. */
  at: string;
  /** Chinese, when the date moved off a rest day: what it fell on and where it went. */
  shift?: string;
}

/** A calendar with no holidays and no shift: for a policy's own consistency checks (which deadline comes first). */
export const RULE_CHECK_CALENDAR: CalendarPolicy = { version: 'rule-check', dueTime: 'END_OF_DAY', shift: 'NONE', years: {} };

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The Shanghai date "YYYY-MM-DD" of an instant. */
export function shanghaiDate(at: Date | string): string {
  return new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const nextDate = (date: string, days = 1) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const label = (date: string) => `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** The holiday a date falls in, if any (periods may start in the previous year's list). */
export function holidayOf(cal: CalendarPolicy, date: string): HolidayPeriod | undefined {
  const y = Number(date.slice(0, 4));
  for (const year of [String(y), String(y - 1)]) {
    const hit = cal.years[year]?.holidays.find((h) => h.from <= date && date <= h.to);
    if (hit) return hit;
  }
  return undefined;
}

/** A working day: not in a holiday, and a weekday or a make-up working day (调休上班). */
export function isWorkingDay(cal: CalendarPolicy, date: string): boolean {
  if (holidayOf(cal, date)) return false;
  const wd = weekday(date);
  if (wd !== 0 && wd !== 6) return true;
  return cal.years[date.slice(0, 4)]?.workdays.includes(date) ?? false;
}

/** The n-th working day after `date` (n ≥ 1); 0 returns `date` itself. */
export function addWorkingDays(cal: CalendarPolicy, date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0; ) {
    d = nextDate(d);
    if (isWorkingDay(cal, d)) left--;
  }
  return d;
}

/** The instant a due date ends at under the policy. */
export function dueInstant(cal: CalendarPolicy, date: string): Date {
  const midnight = Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
  if (cal.dueTime === 'END_OF_DAY') return new Date(midnight + DAY_MS - 1);
  return new Date(midnight + cal.dueTime.hour * 3600_000 + cal.dueTime.minute * 60_000);
}

/**
 * The deadline `d` after `from`. Months, weeks and days count on the Shanghai
 * calendar, then working days on the policy calendar; the date is then taken
 * as by `deadlineOn`. Durations in hours or seconds (drill and test policies)
 * stay instants.
 */
export function deadlineAfter(from: Date | string, d: DeadlineSpec, cal: CalendarPolicy): Deadline {
  if (d.hours || d.seconds) return { at: addDuration(new Date(from), d).toISOString() };
  const calendarPart = d.months || d.weeks || d.days ? addDuration(new Date(from), { months: d.months, weeks: d.weeks, days: d.days }) : new Date(from);
  return deadlineOn(cal, addWorkingDays(cal, shanghaiDate(calendarPart), d.workingDays ?? 0));
}

/** A deadline on a date ("YYYY-MM-DD"): moved off a rest day if the policy says so, ending at the policy's time of day. */
export function deadlineOn(cal: CalendarPolicy, date: string): Deadline {
  const holiday = holidayOf(cal, date);
  const moves = cal.shift === 'REST_DAYS' ? !isWorkingDay(cal, date) : cal.shift === 'HOLIDAYS' && !!holiday;
  if (!moves) return { at: dueInstant(cal, date).toISOString() };
  let due = date;
  while (!isWorkingDay(cal, due)) due = nextDate(due);
  const what = holiday ? `${holiday.name}假期` : '休息日';
  return { at: dueInstant(cal, due).toISOString(), shift: `${label(date)}为${what}，顺延至下一个工作日${label(due)}` };
}

/** Chinese label of a deadline for notices: the duration, and the shift if there was one, e.g. "1个月（…顺延至…）". */
export function describeDeadline(d: DeadlineSpec, due?: Deadline): string {
  const parts: string[] = [];
  if (d.months) parts.push(`${d.months}个月`);
  if (d.weeks) parts.push(`${d.weeks}周`);
  if (d.days) parts.push(`${d.days}天`);
  if (d.workingDays) parts.push(`${d.workingDays}个工作日`);
  if (d.hours) parts.push(`${d.hours}小时`);
  if (d.seconds) parts.push(`${d.seconds}秒`);
  return parts.join('') + (due?.shift ? `（${due.shift}）` : '');
}

/** Problems of a calendar's data, in English for the zod error (empty: valid). */
export function calendarProblems(cal: Pick<CalendarPolicy, 'years'>): string[] {
  const out: string[] = [];
  const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && nextDate(d, 0) === d;
  const seen: Array<HolidayPeriod & { year: string }> = [];
  for (const [year, y] of Object.entries(cal.years)) {
    for (const h of y.holidays) {
      if (!valid(h.from) || !valid(h.to)) out.push(`${year}: holiday ${h.name} has an invalid date`);
      else if (h.from.slice(0, 4) !== year) out.push(`${year}: holiday ${h.name} starts in another year (${h.from})`);
      else if (h.to < h.from || nextDate(h.from, 15) <= h.to) out.push(`${year}: holiday ${h.name} must end 0 to 14 days after it starts`);
      const clash = seen.find((o) => !(h.to < o.from || o.to < h.from));
      if (clash) out.push(`${year}: holiday ${h.name} overlaps ${clash.name} (${clash.year})`);
      seen.push({ ...h, year });
    }
    for (const w of y.workdays) {
      if (!valid(w) || w.slice(0, 4) !== year) out.push(`${year}: make-up working day ${w} is not a date of that year`);
      else if (weekday(w) !== 0 && weekday(w) !== 6) out.push(`${year}: make-up working day ${w} is not a Saturday or Sunday`);
      else if (y.holidays.some((h) => h.from <= w && w <= h.to)) out.push(`${year}: make-up working day ${w} is inside a holiday`);
    }
    if (new Set(y.workdays).size !== y.workdays.length) out.push(`${year}: a make-up working day is listed twice`);
  }
  return out;
}

