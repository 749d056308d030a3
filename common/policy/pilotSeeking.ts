// Policy for seeking pilots (第十一条(一)–(四) 争取试点): the monthly 对接 report of
// every district and department, the quarter's pilot leads the reform office
// issues, the units' seeking ledgers and the quarterly bulletin. The rules name
// the rhythm (monthly, quarterly); the terms below are the office's own choices
// and may differ per unit (第二十一条: a unit's report runs under its own).
import { z } from 'zod';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

export const PilotSeekingPolicy = z
  .object({
    /** 第十一条(二): the office issues the quarter's leads within this of the quarter's first day. */
    leadsWithin: DeadlineSpec,
    /** 第十一条(一) 一月一对接: a unit's 对接 report is due this long after its month's first day. */
    reportDueAfter: DeadlineSpec,
    /** One reminder this long before each deadline (to those who still owe it). */
    remindBefore: DurationSpec,
    /** One chase (催办单) this long after each deadline (to those who still owe it). */
    chaseAfter: DurationSpec,
    /** 第十一条(四) 季度通报: the bulletin is due this long after the quarter's end. */
    bulletinWithin: DeadlineSpec,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  // The reminder is counted back from a date, which only whole days and hours can be.
  .refine((p) => !p.remindBefore.months, { message: 'remindBefore is counted back in weeks, days or hours, not months', path: ['remindBefore'] });
export type PilotSeekingPolicy = z.infer<typeof PilotSeekingPolicy>;

export const defaultPilotSeekingPolicy: PilotSeekingPolicy = {
  leadsWithin: { days: 10 },
  reportDueAfter: { days: 25 },
  remindBefore: { days: 3 },
  chaseAfter: { days: 1 },
  bulletinWithin: { days: 15 },
  warningWindow: { days: 3 },
};
