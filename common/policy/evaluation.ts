// Policy for the annual evaluation (第九条 third-party evaluation of the major
// reform items, merged with 第十四条（三） the evaluation of last year's
// innovation experiences: "合二为一"). A district may adopt its own values
// (第二十一条); nothing here is a constant in workflow code.
import { z } from 'zod';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

export const EvaluationPolicy = z
  .object({
    /** 第九条（一）: last year's major reform items chosen for evaluation (5). */
    majorItems: z.number().int().min(1).max(20),
    /** 第九条（二）（三）: the evaluator and the plan are due this long after the evaluation starts (1 March). */
    planWithin: DeadlineSpec,
    /** 第十四条（三）（3）: experiences each district chooses for the evaluators' visit (2)… */
    visitsChosen: z.number().int().min(0).max(10),
    /** …and experiences drawn at random among the rest (2). */
    visitsDrawn: z.number().int().min(0).max(10),
    /** Scores run from 0 to this. */
    scoreMax: z.number().int().min(1).max(1000),
    /** 第十四条（三）（8）: an experience scored below this owes a rectification (回头抓). */
    rectifyBelow: z.number().min(0).max(1000),
    /** Rectifications and accountability (第九条（五）) are due this long after publication. */
    followUpWithin: DeadlineSpec,
    /** Reminders this long before each deadline. */
    remindBefore: z.array(DurationSpec).max(5),
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  .refine((p) => p.rectifyBelow <= p.scoreMax, { message: 'rectifyBelow must not exceed scoreMax', path: ['rectifyBelow'] });
export type EvaluationPolicy = z.infer<typeof EvaluationPolicy>;

/** The values of 《淄博市全面深化改革运行规则》 第九条 and 第十四条（三）. */
export const defaultEvaluationPolicy: EvaluationPolicy = {
  majorItems: 5,
  planWithin: { weeks: 2 },
  visitsChosen: 2,
  visitsDrawn: 2,
  scoreMax: 100,
  rectifyBelow: 60,
  followUpWithin: { months: 1 },
  remindBefore: [{ days: 3 }],
  warningWindow: { days: 3 },
};
