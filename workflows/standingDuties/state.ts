// The standing duties (第十五条(一)(二), 第十七条(二)) as pure data and rules: the
// weeks of a year (Monday–Sunday, Asia/Shanghai), the media's weekly
// "深化改革惠民生" pieces and whether each medium met its week, the December
// brochure and the yearly university class. Deterministic: used by the
// workflow, the activities, the API and the tests.
import { deadlineOn, type CalendarPolicy } from '../../common/policy/calendar';

export type DutiesPhase = 'RUNNING' | 'CLOSED';
export const PHASE_LABELS: Record<DutiesPhase, string> = { RUNNING: '进行中', CLOSED: '年度已结束' };

const DAY_MS = 24 * 3600_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** A Shanghai date "YYYY-MM-DD" plus `n` days. */
export const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The Shanghai date of an instant. */
export const shanghaiDay = (at: Date | number | string) => new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);

/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The Monday of the week (Monday–Sunday) a date lies in: the week's id. */
export const mondayOf = (date: string) => addDays(date, 1 - isoWeekday(date));

/** 00:00 of a Shanghai date, as an instant. */
export const startOfDay = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();

/**
 * The weeks of a year: every week whose Monday lies in it. A week that starts
 * in late December and ends in January is the earlier year's, so each week
 * belongs to exactly one year.
 */
export function weeksOfYear(year: number): string[] {
  const jan1 = `${year}-01-01`;
  const out: string[] = [];
  for (let d = addDays(jan1, (8 - isoWeekday(jan1)) % 7); d.startsWith(`${year}-`); d = addDays(d, 7)) out.push(d);
  return out;
}

/** 第十五条(一): a week's pieces are due by the end of the policy's weekday of the following week (moved off a holiday if the calendar says so). */
export function weekReportDue(monday: string, reportDay: number, cal: CalendarPolicy): string {
  return deadlineOn(cal, addDays(monday, 6 + reportDay)).at;
}

/** A yearly duty's day "MM-DD" of the year as a date. */
export const dayOfYear = (year: number, monthDay: string) => `${year}-${monthDay}`;

/** A yearly duty's deadline: the end of its day (a fixed day: 第十五条(二)'s December is not moved into January). */
export function yearlyDue(year: number, monthDay: string, cal: CalendarPolicy): string {
  return deadlineOn({ ...cal, shift: 'NONE' }, dayOfYear(year, monthDay)).at;
}

export interface Medium {
  id: string;
  name: string;
}

/** 第十五条(一): one piece a medium carried, as the propaganda department reports it. */
export interface Piece {
  /** "P-<n>", in report order. */
  id: string;
  mediumId: string;
  title: string;
  /** The Shanghai date it was published or broadcast. */
  publishedOn: string;
  /** The Monday of its week. */
  week: string;
  link?: string;
  /** 期号/版面 or programme, where there is no link. */
  issue?: string;
  by: string;
  at: string;
}

/** A week of the year once it has begun: its report deadline and, after the chase, the media that missed it. */
export interface Week {
  monday: string;
  dueAt: string;
  /** Set when the chase ran (the deadline and its grace passed). */
  chasedAt?: string;
  /** The media that had no piece reported by then (recorded as missed). */
  missed: string[];
}

export type WeekStatus = 'MET' | 'LATE' | 'MISSED' | 'PENDING';
export const WEEK_STATUS_LABELS: Record<WeekStatus, string> = { MET: '已刊播', LATE: '逾期报送', MISSED: '未刊播', PENDING: '待报送' };

/** Whether a medium met a week: a piece reported by the deadline (MET) or after it (LATE); none: MISSED once chased, else PENDING. */
export function weekStatus(week: Week, mediumId: string, pieces: readonly Piece[]): WeekStatus {
  const mine = pieces.filter((p) => p.mediumId === mediumId && p.week === week.monday);
  if (mine.some((p) => p.at <= week.dueAt)) return 'MET';
  if (mine.length) return 'LATE';
  return week.chasedAt ? 'MISSED' : 'PENDING';
}

/** The media × weeks table: one row per medium, one cell per begun week. */
export function mediaTable(media: readonly Medium[], weeks: readonly Week[], pieces: readonly Piece[]) {
  return media.map((m) => ({
    mediumId: m.id,
    name: m.name,
    weeks: weeks.map((w) => ({ monday: w.monday, status: weekStatus(w, m.id, pieces), pieces: pieces.filter((p) => p.mediumId === m.id && p.week === w.monday).length })),
    met: weeks.filter((w) => weekStatus(w, m.id, pieces) === 'MET').length,
    missed: weeks.filter((w) => weekStatus(w, m.id, pieces) === 'MISSED').length,
  }));
}

/** 第十五条(二): the year's selected innovation experiences the brochure presents. */
export interface Experience {
  id: string;
  title: string;
  unitId: string;
  selectionId: string;
}

export interface Brochure {
  remindAt: string;
  dueAt: string;
  remindedAt?: string;
  experiences: Experience[];
  distribution?: { on: string; copies: number; places: string[]; note?: string; by: string; at: string };
  chasedAt?: string;
}

/** 第十七条(二): the year's class at a well-known university. */
export interface Training {
  remindAt: string;
  dueAt: string;
  remindedAt?: string;
  plan?: { university: string; title: string; startsOn: string; endsOn: string; participantUnitIds: string[]; by: string; at: string };
  held?: { attendees: number; note?: string; by: string; at: string };
  chasedAt?: string;
}

/** 第十七条(二) 定期组织专题培训: another training the office records. */
export interface RegularTraining {
  id: string;
  title: string;
  heldOn: string;
  participantUnitIds: string[];
  note?: string;
  by: string;
  at: string;
}
