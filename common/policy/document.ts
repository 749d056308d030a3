// Policy for workflow family 1, the superior-document lifecycle (第四条, 第五条).
import { z } from 'zod';
import { addDuration } from './duration';
import { DurationSchema as DurationSpec } from './schema';

export const DocumentPolicy = z
  .object({
    /** 第五条: the municipal supporting document is due within one month of the assignment. */
    assignmentDeadline: DurationSpec,
    /** 第五条: three weeks after assignment without a first draft → 催办单. */
    chaseAfter: DurationSpec,
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
  })
  .strict()
  .refine(
    (p) => {
      const t0 = new Date('2026-01-31T00:00:00Z');
      return addDuration(t0, p.chaseAfter) < addDuration(t0, p.assignmentDeadline);
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
};
