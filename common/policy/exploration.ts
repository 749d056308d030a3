// Policy for the yearly innovation items (第十二条 激励探索创新): the January
// call, the special groups' first review, the reform office's review, the
// director's approval and the monthly tracking of the approved items. A
// district may adopt its own values (第二十一条); nothing here is a constant in workflow code.
import { z } from 'zod';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

export const ExplorationPolicy = z
  .object({
    /** 第十二条(一): districts and departments submit their items this long after the January notice. */
    submitWithin: DeadlineSpec,
    /** 第十二条(二): each special group's first review, signed by its leader, within this long of the call's close. */
    groupReviewWithin: DeadlineSpec,
    /** 第十二条(二): the reform office's review of what the groups passed. */
    officeReviewWithin: DeadlineSpec,
    /** 第十二条(二): the director's approval of the reviewed items. */
    approvalWithin: DeadlineSpec,
    /** 第十二条(三) 一月一汇总: each implementing unit reports its items' progress this often after approval. */
    reportEvery: DurationSpec,
    /** 第十二条(三) 一月一点评: the reform office comments on a month's reports this long after they were due. */
    commentWithin: DeadlineSpec,
    /** Reminders this long before each deadline. */
    remindBefore: z.array(DurationSpec).max(5),
    /** After a missed deadline: chase at once, then every chaseEvery, at most maxChases times. */
    chaseEvery: DurationSpec,
    maxChases: z.number().int().min(1).max(52),
    /** How many items one district or department may submit in a year. */
    maxItemsPerUnit: z.number().int().min(1).max(50),
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict();
export type ExplorationPolicy = z.infer<typeof ExplorationPolicy>;

/** 第十二条's steps; the windows between them are the office's practice (the rule names only the January call and the monthly rhythm). */
export const defaultExplorationPolicy: ExplorationPolicy = {
  submitWithin: { months: 1 },
  groupReviewWithin: { weeks: 2 },
  officeReviewWithin: { weeks: 2 },
  approvalWithin: { weeks: 1 },
  reportEvery: { months: 1 },
  commentWithin: { days: 10 },
  remindBefore: [{ days: 2 }],
  chaseEvery: { weeks: 1 },
  maxChases: 3,
  maxItemsPerUnit: 5,
  warningWindow: { days: 3 },
};
