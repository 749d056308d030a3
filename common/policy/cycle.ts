// Policy for workflow family 2, the monthly 六个一 supervision cycle
// (第六条–第八条, 第十条). Every duration counts from the cycle's start (the
// first of the month, 00:00 Asia/Shanghai) unless stated otherwise.
import { z } from 'zod';
import { addDuration } from './duration';
import { DurationSchema as DurationSpec } from './schema';

const month = z.number().int().min(1).max(12);

export const CyclePolicy = z
  .object({
    /** 第六条（一）: the progress report on the roadmap is due this long after the dispatch. */
    reportDueAfter: DurationSpec,
    /** Reminders this long before the report is due (to units that have not reported). */
    remindBefore: z.array(DurationSpec).max(5),
    /** Chases this long after the due date, while the report is still missing. */
    chaseAfter: z.array(DurationSpec).min(1).max(10),
    /** A late report earns this fraction of the REPORT_ON_TIME weight (none earns 0). */
    lateReportFactor: z.number().min(0).max(1),
    /** 第六条（二）: inspect every district and special group, or a random sample of each kind. */
    inspection: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('ALL') }).strict(),
      z.object({ mode: z.literal('SAMPLE'), districts: z.number().int().min(1).max(50), specialGroups: z.number().int().min(1).max(50) }).strict(),
    ]),
    /**
     * 第十条（一）: "1+1+n" joint inspections — when required, every inspection's team has the reform office, one
     * city special group and at least `departments` departments. A version stored before this value takes the default.
     */
    jointInspection: z.object({ required: z.boolean(), departments: z.number().int().min(1).max(30) }).strict().default({ required: false, departments: 1 }),
    /** Points one signed issue (问题清单 item) costs under an INSPECTION_ISSUES indicator. */
    issuePenalty: z.number().min(0).max(100),
    /** 第六条（三）: scores and overrides are accepted until this long after the start; then the ranking is published. */
    scoringCloseAfter: DurationSpec,
    /** 第六条（三）(1): a district's monthly score counts this share toward its year-end assessment. */
    districtAnnualWeight: z.number().min(0).max(1),
    /**
     * Ties: equal totals are ordered by these indicator codes in turn (higher first);
     * units still equal share the rank (competition ranking: 1, 1, 3).
     */
    tieBreak: z.array(z.string().min(1).max(50)).max(20),
    /** 第六条（四）(1): a special group last this many months in a row gives a commitment speech. */
    specialGroupLastInARow: z.number().int().min(2).max(12),
    /** 第六条（三）(2), 第六条（四）(1): the quarter's months (team ratings; department leaders attend). */
    quarterMonths: z.array(month).min(1).max(12),
    /** 第六条（五）(2): months whose briefing also names the half-year and whole-year winners. */
    halfYearMonths: z.array(month).max(12),
    /** Team ratings (fair method, fair order, thorough, clean) use this scale, 1..ratingScale. */
    ratingScale: z.number().int().min(2).max(100),
    /** 第六条（四）: the briefing meeting is held this long after the ranking is published. */
    briefingMeetingAfter: DurationSpec,
    /** 第六条（六）: the diagnosis visit is this long after the ranking is published. */
    diagnosisVisitAfter: DurationSpec,
    /** The written diagnosis report is due this long after the visit. */
    diagnosisReportDueAfter: DurationSpec,
    /** After that due date the visiting team is chased at this interval until the report is filed. */
    diagnosisChaseEvery: DurationSpec,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  .refine(
    (p) => {
      const t0 = new Date('2026-01-01T00:00:00+08:00');
      return addDuration(t0, p.reportDueAfter) < addDuration(t0, p.scoringCloseAfter);
    },
    { message: 'reportDueAfter must come before scoringCloseAfter', path: ['reportDueAfter'] },
  );
export type CyclePolicy = z.infer<typeof CyclePolicy>;

/** The values of 《淄博市全面深化改革运行规则》 第六条 and the city's practice (seed 000). */
export const defaultCyclePolicy: CyclePolicy = {
  reportDueAfter: { days: 5 },
  remindBefore: [{ days: 1 }],
  chaseAfter: [{ days: 1 }, { days: 3 }],
  lateReportFactor: 0.5,
  inspection: { mode: 'ALL' },
  jointInspection: { required: false, departments: 1 },
  issuePenalty: 1,
  scoringCloseAfter: { days: 25 },
  districtAnnualWeight: 0.5,
  tieBreak: ['REPORT_ON_TIME', 'INSPECTION'],
  specialGroupLastInARow: 3,
  quarterMonths: [3, 6, 9, 12],
  halfYearMonths: [6, 12],
  ratingScale: 10,
  briefingMeetingAfter: { days: 2 },
  diagnosisVisitAfter: { days: 3 },
  diagnosisReportDueAfter: { days: 7 },
  diagnosisChaseEvery: { days: 3 },
  warningWindow: { days: 2 },
};
