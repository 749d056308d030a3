// The working-day calendar the office publishes (versioned policy data, see
// ./calendar.ts). 2026 is the State Council's published arrangement, written with
// scripts/calendar-year.ts and checked day by day against the `chinese-days`
// package by tests/unit/calendar.test.ts. A later year is
// added by the office as a new policy version (POST /policies with the calendar
// section), which also reaches running workflows (the recalculation signal).
import type { CalendarPolicy } from './calendar';

export const defaultCalendarPolicy: CalendarPolicy = {
  version: 'cn-2026',
  dueTime: 'END_OF_DAY',
  shift: 'HOLIDAYS',
  years: {
    '2026': {
      holidays: [
        { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
        { name: '春节', from: '2026-02-15', to: '2026-02-23' },
        { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
        { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
        { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
        { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
        { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
      ],
      workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    },
  },
};
