// Policy for workflow family 3, innovation experiences: the semiannual
// selection and each experience's rollout (第十四条). A district may
// adopt its own values (第二十一条); nothing here is a constant in workflow code.
import { z } from 'zod';
import { RULE_CHECK_CALENDAR, deadlineAfter } from './calendar';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

const count = (max: number) => z.number().int().min(1).max(max);

export const InnovationSelectionPolicy = z
  .object({
    /** 第十四条: the call for candidates stays open this long. */
    callWindow: DeadlineSpec,
    /** Mutual voting among districts and special groups. */
    mutualVoteWindow: DeadlineSpec,
    /** Second vote by districts and departments, together with the public vote. */
    secondVoteWindow: DeadlineSpec,
    /** Opinions of the city leaders in charge and the lead departments. */
    opinionWindow: DeadlineSpec,
    /** The director's review of the list before submitting it to the main city leaders. */
    approvalWindow: DeadlineSpec,
    /** 第十四条: the main city leaders' agreement to the submitted list (defaulted: versions stored before it existed). */
    leadersWindow: DeadlineSpec.default({ weeks: 1 }),
    /**
     * 第十四条: the 10 are chosen by combining the district/department vote with the public vote,
     * each counted as its share of the round's ballots and weighted; the chosen are then ordered
     * by the public vote.
     */
    finalCombination: z
      .object({ officialWeight: z.number().min(0).max(1), publicWeight: z.number().min(0).max(1) })
      .strict()
      .refine((w) => Math.abs(w.officialWeight + w.publicWeight - 1) < 1e-9, { message: 'the weights must add up to 1' })
      .default({ officialWeight: 0.5, publicWeight: 0.5 }),
    /** Reminders this long before each round's deadline. */
    remindBefore: z.array(DurationSpec).max(5),
    /** 第十四条: the shortlist after the mutual vote (20). */
    shortlistSize: count(100),
    /** 第十四条: experiences selected every half year (10). */
    selectedCount: count(50),
    /** How many candidates one district or special group may put forward. */
    maxCandidatesPerUnit: count(20),
    /** Most candidates one ballot may name, per round. */
    mutualVoteChoices: count(100),
    secondVoteChoices: count(100),
    publicVoteChoices: count(100),
    /** Abuse limits of the public vote: per client address per hour (burst) and per round (stored). */
    publicVotesPerIpPerHour: count(100000),
    publicVotesPerIpPerRound: count(1000000),
  })
  .strict()
  .refine((p) => p.selectedCount <= p.shortlistSize, { message: 'selectedCount must not exceed shortlistSize', path: ['selectedCount'] });
export type InnovationSelectionPolicy = z.infer<typeof InnovationSelectionPolicy>;

export const InnovationRolloutPolicy = z
  .object({
    /** 第十四条: the lead department's 实施方案 within one week of the reform office's 实施意见. */
    leadPlanWithin: DeadlineSpec,
    /** 第十四条: the deployment meeting within two weeks of the approved 实施方案. */
    meetingWithin: DeadlineSpec,
    /** 第十四条: each district's 实施意见 and 实施方案 within one month. */
    districtPlanWithin: DeadlineSpec,
    /** Townships named by each district within this time, where township rollout applies. */
    townshipWithin: DeadlineSpec,
    /** 第十四条: at least 2–3 townships per district (the lower bound). */
    minTownships: z.number().int().min(1).max(20),
    /** A rectification plan is due this long after a problem is recorded (consolidation). */
    rectificationWithin: DeadlineSpec,
    /** Tracking: a bulletin of every district's progress this often. */
    bulletinEvery: DurationSpec,
    /** Reminders before each deadline. */
    remindBefore: z.array(DurationSpec).max(5),
    /** After a missed deadline: chase at once, then every chaseEvery, at most maxChases times (the board stays red after). */
    chaseEvery: DurationSpec,
    maxChases: z.number().int().min(1).max(52),
    /** From this many chases on, the unit's head is copied. */
    escalateAfter: z.number().int().min(1).max(52),
    acceptance: z
      .object({
        /** 第十四条: reports at the end of June and December (months 1–12, Shanghai calendar). */
        reportMonths: z.array(z.number().int().min(1).max(12)).min(1).max(12),
        /** The reform office's summary is due on this day of the following month (10 July / 10 January). */
        summaryDay: z.number().int().min(1).max(28),
        /** The first acceptance is the first report date at least this long after the rollout starts. */
        firstAfter: DurationSpec,
      })
      .strict(),
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  .refine(
    (p) => {
      const t0 = new Date('2026-01-31T00:00:00Z');
      return deadlineAfter(t0, p.leadPlanWithin, RULE_CHECK_CALENDAR).at <= deadlineAfter(t0, p.districtPlanWithin, RULE_CHECK_CALENDAR).at;
    },
    { message: 'leadPlanWithin must not exceed districtPlanWithin', path: ['leadPlanWithin'] },
  );
export type InnovationRolloutPolicy = z.infer<typeof InnovationRolloutPolicy>;

export const InnovationPolicy = z.object({ selection: InnovationSelectionPolicy, rollout: InnovationRolloutPolicy }).strict();
export type InnovationPolicy = z.infer<typeof InnovationPolicy>;

/** The values of 《淄博市全面深化改革运行规则》 第十四条 (windows of the selection rounds: the office's practice). */
export const defaultInnovationPolicy: InnovationPolicy = {
  selection: {
    callWindow: { weeks: 2 },
    mutualVoteWindow: { weeks: 1 },
    secondVoteWindow: { weeks: 1 },
    opinionWindow: { weeks: 1 },
    approvalWindow: { weeks: 1 },
    leadersWindow: { weeks: 1 },
    finalCombination: { officialWeight: 0.5, publicWeight: 0.5 },
    remindBefore: [{ days: 2 }],
    shortlistSize: 20,
    selectedCount: 10,
    maxCandidatesPerUnit: 3,
    mutualVoteChoices: 20,
    secondVoteChoices: 10,
    publicVoteChoices: 10,
    publicVotesPerIpPerHour: 30,
    publicVotesPerIpPerRound: 500,
  },
  rollout: {
    leadPlanWithin: { weeks: 1 },
    meetingWithin: { weeks: 2 },
    districtPlanWithin: { months: 1 },
    townshipWithin: { months: 3 },
    minTownships: 2,
    rectificationWithin: { weeks: 2 },
    bulletinEvery: { months: 1 },
    remindBefore: [{ days: 2 }],
    chaseEvery: { weeks: 1 },
    maxChases: 4,
    escalateAfter: 2,
    acceptance: { reportMonths: [6, 12], summaryDay: 10, firstAfter: { months: 3 } },
    warningWindow: { days: 3 },
  },
};
