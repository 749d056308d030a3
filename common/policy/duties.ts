// Policy for the standing duties (第十五条(一)(二), 第十七条(二)): the media that
// carry a "深化改革惠民生" piece every week, the weekday by which the propaganda
// department reports a week's pieces, how long after a missed deadline the
// chase goes out, and the December brochure's and the yearly university
// class's reminder and deadline dates. The rules name the rhythm (weekly, each
// December, once a year); the dates below are the office's own choices.
import { z } from 'zod';
import { DurationSchema as DurationSpec } from './schema';

/** "MM-DD", a day of the year (Asia/Shanghai). */
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a day MM-DD');

const Medium = z.object({ id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'lower-case letters, digits and dashes'), name: z.string().min(1).max(60) }).strict();

const YearlyDuty = z
  .object({
    /** The reminder goes out at 00:00 of this day. */
    remindOn: monthDay,
    /** Due at the end of this day; chased `chaseAfter` later when not done. */
    dueBy: monthDay,
  })
  .strict()
  .refine((d) => d.remindOn < d.dueBy, { message: 'the reminder comes before the deadline', path: ['remindOn'] });

export const DutiesPolicy = z
  .object({
    /** 第十五条(一) 各媒体: every medium that owes a piece a week. */
    media: z.array(Medium).min(1).max(40),
    /** 第十五条(一): a week's pieces are due by the end of this weekday of the following week (1 = Monday … 7 = Sunday). */
    weeklyReportDay: z.number().int().min(1).max(7),
    /** One chase (催办单) this long after a missed deadline. */
    chaseAfter: DurationSpec,
    /** 第十五条(二): the brochure is distributed in December (both dates must lie in December). */
    brochure: YearlyDuty,
    /** 第十七条(二): the year's class at a well-known university, reminded in the autumn. */
    training: YearlyDuty,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  .refine((p) => new Set(p.media.map((m) => m.id)).size === p.media.length, { message: 'each medium once', path: ['media'] })
  // 第十五条(二) 每年12月份集中发放: the whole brochure duty lies in December.
  .refine((p) => p.brochure.remindOn.startsWith('12-') && p.brochure.dueBy.startsWith('12-'), { message: 'the brochure is reminded and due in December (第十五条(二))', path: ['brochure'] })
  .refine((p) => !p.chaseAfter.months, { message: 'chaseAfter is counted in weeks, days or hours, not months', path: ['chaseAfter'] });
export type DutiesPolicy = z.infer<typeof DutiesPolicy>;

export const defaultDutiesPolicy: DutiesPolicy = {
  media: [
    { id: 'zibo-daily', name: '淄博日报' },
    { id: 'zibo-evening', name: '淄博晚报' },
    { id: 'zibo-tv', name: '淄博电视台' },
    { id: 'zibo-radio', name: '淄博人民广播电台' },
    { id: 'zibo-online', name: '淄博新闻网' },
  ],
  weeklyReportDay: 2,
  chaseAfter: { days: 1 },
  brochure: { remindOn: '12-01', dueBy: '12-31' },
  training: { remindOn: '09-01', dueBy: '11-30' },
  warningWindow: { days: 3 },
};
