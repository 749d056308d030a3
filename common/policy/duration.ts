// Calendar-aware durations for policy values. "One month" (第五条) is a
// calendar month, not 30 days, so durations are objects, not millisecond counts.
// Pure functions without dependencies: safe inside workflow code (the zod
// schema lives in ./schema.ts so the workflow bundle stays small).

export interface DurationSpec {
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  /** For test and drill policies only (the rules speak in days and months): timers due in seconds. */
  seconds?: number;
}

// Asia/Shanghai has no daylight saving: a fixed +08:00 offset is exact.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Adds a duration to an instant; months are counted on the Shanghai calendar (Jan 31 + 1 month = Feb 28/29). */
export function addDuration(from: Date, d: DurationSpec): Date {
  const local = new Date(from.getTime() + SHANGHAI_OFFSET_MS);
  if (d.months) {
    const day = local.getUTCDate();
    local.setUTCDate(1);
    local.setUTCMonth(local.getUTCMonth() + d.months);
    const lastDay = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
    local.setUTCDate(Math.min(day, lastDay));
  }
  const extra = ((d.weeks ?? 0) * 7 + (d.days ?? 0)) * DAY_MS + (d.hours ?? 0) * 3600_000 + (d.seconds ?? 0) * 1000;
  return new Date(local.getTime() + extra - SHANGHAI_OFFSET_MS);
}

/**
 * The `n`-th repetition of an interval after `from`: `from` plus `n` times the
 * interval in one step, so monthly repetitions from the 31st keep the 31st
 * where the month has one (31 Mar → 30 Apr → 31 May), never drifting to the 30th.
 */
export function addRepeated(from: Date, d: DurationSpec, n: number): Date {
  const times = (v?: number) => (v === undefined ? undefined : v * n);
  return addDuration(from, { months: times(d.months), weeks: times(d.weeks), days: times(d.days), hours: times(d.hours), seconds: times(d.seconds) });
}

export function subtractDuration(from: Date, d: DurationSpec): Date {
  if (d.months) throw new Error('subtracting months is not supported');
  const ms = ((d.weeks ?? 0) * 7 + (d.days ?? 0)) * DAY_MS + (d.hours ?? 0) * 3600_000 + (d.seconds ?? 0) * 1000;
  return new Date(from.getTime() - ms);
}

/** Chinese label for notices, e.g. {weeks:3} → "3周". */
export function describeDuration(d: DurationSpec): string {
  const parts: string[] = [];
  if (d.months) parts.push(`${d.months}个月`);
  if (d.weeks) parts.push(`${d.weeks}周`);
  if (d.days) parts.push(`${d.days}天`);
  if (d.hours) parts.push(`${d.hours}小时`);
  if (d.seconds) parts.push(`${d.seconds}秒`);
  return parts.join('');
}

/**
 * Formats an instant as a Shanghai date-time for officials, e.g. "2026年11月21日 13:30".
 * A deadline at the end of a day (its last millisecond, common/policy/calendar.ts)
 * reads "2027年1月4日 24:00", as officials write it, not 23:59 or the next day's 00:00.
 */
export function formatShanghai(at: Date | string): string {
  const t = new Date(at).getTime();
  if ((t + SHANGHAI_OFFSET_MS + 1) % DAY_MS === 0) return `${formatShanghai(new Date(t - DAY_MS / 2)).split(' ')[0]} 24:00`;
  const local = new Date(t + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}
