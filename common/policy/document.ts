// Policy for workflow family 1, the superior-document lifecycle (第四条, 第五条).
import { z } from 'zod';
import { RULE_CHECK_CALENDAR, deadlineAfter } from './calendar';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

export const DocumentPolicy = z
  .object({
    /** 第五条: the municipal supporting document is due within one month (of `deadlineAnchor`). */
    assignmentDeadline: DeadlineSpec,
    /** 第五条: three weeks after assignment without a first draft → 催办单. */
    chaseAfter: DeadlineSpec,
    /** Reminders this long before each deadline (draft due, issuance due). */
    remindBefore: z.array(DurationSpec).max(5),
    /** After the 责令书, how often the follow-up reminder goes out until the document is issued. */
    orderFollowUpEvery: DurationSpec,
    /** After this many follow-ups the city leader in charge is copied (never silence, 第五条). */
    escalateToLeaderAfter: z.number().int().min(1).max(52),
    /** 第五条: ledger tasks are dispatched monthly until closed (销号). */
    ledgerDispatchEvery: DurationSpec,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
    /**
     * 第五条（三） "上级重大改革方案出台一月之内": what the municipal document's month counts from —
     * the superior document's issuance (the rule's words) or its receipt in the city.
     */
    deadlineAnchor: z.enum(['SUPERIOR_ISSUANCE', 'RECEIPT']).default('SUPERIOR_ISSUANCE'),
    /** A PROVINCIAL document that arrives without a lead unit: the reform office names one within this time (then a 催办). */
    leadAssignmentWithin: DeadlineSpec.default({ days: 2 }),
    /** 第四条（二） "第一时间": the lead unit signs the 交办单 and opens the ledger within this time of its assignment. */
    ledgerWithin: DeadlineSpec.default({ days: 3 }),
    /** 第五条（三） 印发到区县: each district acknowledges the municipal document within this time of its issuance. */
    distributionAckWithin: DeadlineSpec.default({ days: 5 }),
  })
  .strict()
  .refine(
    (p) => {
      const t0 = new Date('2026-01-31T00:00:00Z');
      return deadlineAfter(t0, p.chaseAfter, RULE_CHECK_CALENDAR).at < deadlineAfter(t0, p.assignmentDeadline, RULE_CHECK_CALENDAR).at;
    },
    { message: 'chaseAfter must come before assignmentDeadline', path: ['chaseAfter'] },
  );
export type DocumentPolicy = z.infer<typeof DocumentPolicy>;

/** The values of 《淄博市全面深化改革运行规则》 第五条. */
export const defaultDocumentPolicy: DocumentPolicy = {
  assignmentDeadline: { months: 1 },
  chaseAfter: { weeks: 3 },
  remindBefore: [{ days: 3 }],
  orderFollowUpEvery: { weeks: 1 },
  escalateToLeaderAfter: 2,
  ledgerDispatchEvery: { months: 1 },
  warningWindow: { days: 3 },
  deadlineAnchor: 'SUPERIOR_ISSUANCE',
  leadAssignmentWithin: { days: 2 },
  ledgerWithin: { days: 3 },
  distributionAckWithin: { days: 5 },
};
