// Prints one year of China's official calendar (holidays with their days off,
// 调休 make-up working days) as CalendarYear data for common/policy/calendars.ts,
// built from the `chinese-days` package. Used to write and check the seed data
// only: workflows receive the calendar as policy data, never from this package.
// Usage: npx tsx scripts/calendar-year.ts 2026
import chineseDays from 'chinese-days';
import type { CalendarYear, HolidayPeriod } from '../common/policy/calendar';

const DAY_MS = 24 * 3600_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekend = (t: number) => [0, 6].includes(new Date(t).getUTCDay());
/** The Chinese name in chinese-days' "English,中文,days" detail, as the State Council writes it ("清明" → "清明节"). */
const nameOf = (d: string) => {
  const name = chineseDays.getDayDetail(d).name.split(',')[1];
  return name === '元旦' || name.endsWith('节') ? name : `${name}节`;
};

export function calendarYear(year: number): CalendarYear {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const holidays: HolidayPeriod[] = [];
  const workdays: string[] = [];
  for (let t = start; t < end; t += DAY_MS) {
    const d = iso(t);
    if (weekend(t) && chineseDays.isWorkday(d)) workdays.push(d);
    // A holiday's period: the named weekday off and the rest days joined to it.
    if (weekend(t) || !chineseDays.isHoliday(d) || holidays.some((h) => h.from <= d && d <= h.to)) continue;
    let from = t;
    let to = t;
    while (chineseDays.isHoliday(iso(from - DAY_MS)) && iso(from - DAY_MS).startsWith(String(year))) from -= DAY_MS;
    while (chineseDays.isHoliday(iso(to + DAY_MS))) to += DAY_MS;
    holidays.push({ name: nameOf(d), from: iso(from), to: iso(to) });
  }
  return { holidays, workdays };
}

if (require.main === module) {
  const year = Number(process.argv[2]);
  if (!Number.isInteger(year)) throw new Error('usage: tsx scripts/calendar-year.ts YYYY');
  process.stdout.write(`${JSON.stringify(calendarYear(year), null, 2)}\n`);
}
