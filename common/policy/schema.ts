import { z } from 'zod';
import { calendarProblems, type CalendarPolicy, type DeadlineSpec } from './calendar';
import type { DurationSpec } from './duration';

export const DurationSchema: z.ZodType<DurationSpec> = z
  .object({
    months: z.number().int().min(0).max(24).optional(),
    weeks: z.number().int().min(0).max(104).optional(),
    days: z.number().int().min(0).max(730).optional(),
    hours: z.number().int().min(0).max(24 * 730).optional(),
    seconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict()
  .refine((d) => (d.months ?? 0) + (d.weeks ?? 0) + (d.days ?? 0) + (d.hours ?? 0) + (d.seconds ?? 0) > 0, {
    message: 'a duration must be longer than zero',
  });

/** A deadline: a duration, or working days on the policy calendar (counted after the duration's days). */
export const DeadlineSchema: z.ZodType<DeadlineSpec> = z
  .object({
    months: z.number().int().min(0).max(24).optional(),
    weeks: z.number().int().min(0).max(104).optional(),
    days: z.number().int().min(0).max(730).optional(),
    workingDays: z.number().int().min(0).max(250).optional(),
    hours: z.number().int().min(0).max(24 * 730).optional(),
    seconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict()
  .refine((d) => (d.months ?? 0) + (d.weeks ?? 0) + (d.days ?? 0) + (d.workingDays ?? 0) + (d.hours ?? 0) + (d.seconds ?? 0) > 0, {
    message: 'a duration must be longer than zero',
  })
  .refine((d) => !d.workingDays || !(d.hours || d.seconds), { message: 'working days do not combine with hours or seconds' });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** The working-day calendar section (./calendar.ts), checked for impossible data before it is stored. */
export const CalendarSchema: z.ZodType<CalendarPolicy> = z
  .object({
    version: z.string().min(1).max(100),
    dueTime: z.union([z.literal('END_OF_DAY'), z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }).strict()]),
    shift: z.enum(['NONE', 'HOLIDAYS', 'REST_DAYS']),
    years: z.record(
      z.string().regex(/^20\d{2}$/, 'a year YYYY'),
      z
        .object({
          holidays: z.array(z.object({ name: z.string().min(1).max(20), from: isoDate, to: isoDate }).strict()).max(20),
          workdays: z.array(isoDate).max(20),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const message of calendarProblems(c)) ctx.addIssue({ code: 'custom', message, path: ['years'] });
  });
