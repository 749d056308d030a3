// Policy for the pilot family (第十一条 (五)–(七), 第十三条): a pilot won from the
// central or provincial level is dispatched monthly until accepted and reported
// upward; a mature grassroots experience is reported upward to be made a pilot.
// The rules name the rhythm (monthly dispatch); the short deadlines below are
// the office's own choices and may differ per scope (第二十一条).
import { z } from 'zod';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

export const PilotPolicy = z
  .object({
    /** 第十一条（六）: each pilot's tasks are dispatched monthly, from its registration. */
    dispatchEvery: DurationSpec,
    /** After a dispatch the lead unit reports its progress within this; then a 催报单. */
    progressDueAfter: DeadlineSpec,
    /** A reminder this long before the pilot's time limit (第十一条（五）). */
    remindBefore: DurationSpec,
    /** 第十一条（七）: the reform office accepts a completed pilot within this of the request. */
    acceptanceDueAfter: DeadlineSpec,
    /** 第十一条（七）, 第十三条: an accepted pilot or a mature experience is reported upward within this. */
    upwardReportDueAfter: DeadlineSpec,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  // The reminder is counted back from the time limit, which only whole days and hours can be.
  .refine((p) => !p.remindBefore.months, { message: 'remindBefore is counted back in weeks, days or hours, not months', path: ['remindBefore'] });
export type PilotPolicy = z.infer<typeof PilotPolicy>;

export const defaultPilotPolicy: PilotPolicy = {
  dispatchEvery: { months: 1 },
  progressDueAfter: { days: 10 },
  remindBefore: { days: 15 },
  acceptanceDueAfter: { months: 1 },
  upwardReportDueAfter: { days: 15 },
  warningWindow: { days: 3 },
};
