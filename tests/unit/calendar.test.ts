/**
 * Deadlines as dates on the working-day calendar (common/policy/calendar.ts):
 * the seed calendar against the `chinese-days` package day by day, end-of-day
 * and named-hour deadlines, holiday shifting, working days across 调休, and
 * the validation of a calendar the office publishes.
 */
import chineseDays from 'chinese-days';
import {
  CalendarSchema,
  deadlineAfter,
  defaultCalendarPolicy,
  describeDeadline,
  formatShanghai,
  isWorkingDay,
  Policy,
  defaultPolicy,
  type CalendarPolicy,
} from '../../common/policy';
import { calendarYear } from '../../scripts/calendar-year';

const cal = defaultCalendarPolicy;
/** 2027 as the office would publish it: 元旦 Friday 1 to Sunday 3 January (a test version). */
const with2027: CalendarPolicy = { ...cal, version: 'test-2027', years: { ...cal.years, '2027': { holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] } } };
const fmt = (d: { at: string }) => formatShanghai(d.at);

describe('the seed calendar', () => {
  it('is the State Council 2026 arrangement: every day of 2026 a working day exactly when chinese-days says so', () => {
    const wrong: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      if (isWorkingDay(cal, d) !== chineseDays.isWorkday(d)) wrong.push(d);
    }
    expect(wrong).toEqual([]);
    expect(cal.years['2026']).toEqual(calendarYear(2026));
    expect(cal.years['2026'].workdays).toHaveLength(6);
  });

  it('passes its own validation, and the default policy carries it', () => {
    expect(CalendarSchema.safeParse(cal).success).toBe(true);
    expect(Policy.parse(defaultPolicy).calendar.version).toBe('cn-2026');
  });
});

describe('deadlines as dates', () => {
  it('a month from 23:26 on 1 December ends at 24:00 on 1 January, not at 23:26', () => {
    const d = deadlineAfter('2026-12-01T15:26:00Z', { months: 1 }, cal);
    expect(fmt(d)).toBe('2027年1月1日 24:00');
    expect(d.shift).toBeUndefined(); // 2027 is not in the seed calendar
  });

  it('on 元旦 once 2027 is published: moved to the next working day, and the notice text says so', () => {
    const d = deadlineAfter('2026-12-01T15:26:00Z', { months: 1 }, with2027);
    expect(fmt(d)).toBe('2027年1月4日 24:00');
    expect(describeDeadline({ months: 1 }, d)).toBe('1个月（2027年1月1日为元旦假期，顺延至下一个工作日2027年1月4日）');
  });

  it('国庆 2026: three weeks from 10 September fall on 1 October → 8 October (a Thursday after the 7-day holiday)', () => {
    const d = deadlineAfter('2026-09-10T01:00:00Z', { weeks: 3 }, cal);
    expect(fmt(d)).toBe('2026年10月8日 24:00');
    expect(d.shift).toBe('2026年10月1日为国庆节假期，顺延至下一个工作日2026年10月8日');
  });

  it('a weekend stays under HOLIDAYS and moves under REST_DAYS; NONE keeps even a holiday', () => {
    const sat = '2026-11-07T02:00:00Z'; // Saturday 7 November + 7 days = Saturday 14 November
    expect(fmt(deadlineAfter(sat, { days: 7 }, cal))).toBe('2026年11月14日 24:00');
    const rest = deadlineAfter(sat, { days: 7 }, { ...cal, shift: 'REST_DAYS' });
    expect(fmt(rest)).toBe('2026年11月16日 24:00');
    expect(rest.shift).toBe('2026年11月14日为休息日，顺延至下一个工作日2026年11月16日');
    expect(fmt(deadlineAfter('2026-09-10T01:00:00Z', { weeks: 3 }, { ...cal, shift: 'NONE' }))).toBe('2026年10月1日 24:00');
  });

  it('an hour the policy names instead of the end of the day', () => {
    expect(fmt(deadlineAfter('2026-03-02T01:00:00Z', { days: 3 }, { ...cal, dueTime: { hour: 17, minute: 30 } }))).toBe('2026年3月5日 17:30');
  });

  it('working days skip holidays and count 调休 make-up Saturdays', () => {
    // 30 September + 3 working days: 1–7 October off, 8 (Thu), 9 (Fri), 10 (Sat, make-up working day).
    expect(fmt(deadlineAfter('2026-09-30T01:00:00Z', { workingDays: 3 }, cal))).toBe('2026年10月10日 24:00');
    // Friday 13 February + 1 working day: Saturday 14 February is a make-up working day.
    expect(fmt(deadlineAfter('2026-02-13T01:00:00Z', { workingDays: 1 }, cal))).toBe('2026年2月14日 24:00');
    // … + 2: 15–23 February are 春节, so the 24th.
    expect(fmt(deadlineAfter('2026-02-13T01:00:00Z', { workingDays: 2 }, cal))).toBe('2026年2月24日 24:00');
  });

  it('durations in hours or seconds (drill policies) stay instants', () => {
    expect(deadlineAfter('2026-10-01T01:00:00Z', { seconds: 30 }, cal).at).toBe('2026-10-01T01:00:30.000Z');
    expect(deadlineAfter('2026-10-01T01:00:00Z', { hours: 2 }, cal).at).toBe('2026-10-01T03:00:00.000Z');
  });

  it('a policy with working days is accepted; working days with hours are refused', () => {
    const ok = Policy.safeParse({ ...defaultPolicy, document: { ...defaultPolicy.document, chaseAfter: { workingDays: 15 } } });
    expect(ok.success).toBe(true);
    const bad = Policy.safeParse({ ...defaultPolicy, document: { ...defaultPolicy.document, chaseAfter: { workingDays: 15, hours: 2 } } });
    expect(bad.success).toBe(false);
  });
});

describe('a calendar the office publishes is validated', () => {
  const issues = (c: unknown) => {
    const r = CalendarSchema.safeParse(c);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  it('refuses impossible data with the reason', () => {
    const y = (holidays: CalendarPolicy['years'][string]['holidays'], workdays: string[] = []) => ({ ...with2027, years: { '2027': { holidays, workdays } } });
    expect(issues(y([{ name: '元旦', from: '2027-02-30', to: '2027-03-01' }]))).toEqual(['2027: holiday 元旦 has an invalid date']);
    expect(issues(y([{ name: '春节', from: '2027-02-06', to: '2027-02-04' }]))).toEqual(['2027: holiday 春节 must end 0 to 14 days after it starts']);
    expect(issues(y([{ name: 'A', from: '2027-05-01', to: '2027-05-05' }, { name: 'B', from: '2027-05-05', to: '2027-05-06' }]))).toEqual(['2027: holiday B overlaps A (2027)']);
    expect(issues(y([{ name: '元旦', from: '2026-12-31', to: '2027-01-01' }]))).toEqual(['2027: holiday 元旦 starts in another year (2026-12-31)']);
    expect(issues(y([], ['2027-01-06']))).toEqual(['2027: make-up working day 2027-01-06 is not a Saturday or Sunday']);
    expect(issues(y([{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], ['2027-01-02']))).toEqual(['2027: make-up working day 2027-01-02 is inside a holiday']);
    expect(issues({ ...with2027, shift: 'SOMETIMES' })).toHaveLength(1);
    expect(issues(with2027)).toEqual([]);
  });
});
