// Policy for workflow family 2, the monthly 六个一 supervision cycle
// (第六条–第八条, 第十条). Every duration counts from the cycle's start (the
// first of the month, 00:00 Asia/Shanghai) unless stated otherwise.
import { z } from 'zod';
import { RULE_CHECK_CALENDAR, deadlineAfter } from './calendar';
import { DeadlineSchema as DeadlineSpec, DurationSchema as DurationSpec } from './schema';

/** An indicator of the departments' own set (第十条（二）); the scoring methods the system computes or inspectors enter. */
const DepartmentIndicator = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{0,49}$/),
    name: z.string().min(1).max(200),
    weight: z.number().positive().max(100),
    method: z.enum(['REPORT_ON_TIME', 'DOCUMENTS_ON_TIME', 'LEDGER_CLOSED', 'INSPECTION_ISSUES', 'INSPECTOR']),
    bonus: z.boolean().optional(),
    description: z.string().max(1000).optional(),
  })
  .strict();
export type DepartmentIndicator = z.infer<typeof DepartmentIndicator>;

/** 第十条（二）: the departments' own indicators (not the districts' set): what the data holds about them. */
export const DEFAULT_DEPARTMENT_INDICATORS: DepartmentIndicator[] = [
  { code: 'DEPT_REPORT_ON_TIME', name: '按时报送月度调度情况', weight: 10, method: 'REPORT_ON_TIME' },
  { code: 'DEPT_DOCUMENTS_ON_TIME', name: '牵头文件按期办理（交办、出台）', weight: 40, method: 'DOCUMENTS_ON_TIME' },
  { code: 'DEPT_LEDGER_CLOSED', name: '台账任务按期销号', weight: 35, method: 'LEDGER_CLOSED' },
  { code: 'DEPT_ISSUES', name: '督查发现问题', weight: 15, method: 'INSPECTION_ISSUES' },
];

/**
 * 第十条（二）: the departments carrying reform tasks (an open ledger task or an open document obligation) are
 * dispatched, inspected and ranked on their own. `enabled: false` turns the extension off; `inspect` limits the
 * inspections to a random sample of that many departments a month (0: every one).
 */
export const DepartmentExtension = z
  .object({
    enabled: z.boolean(),
    inspect: z.number().int().min(0).max(200),
    indicators: z.array(DepartmentIndicator).min(1).max(30),
    tieBreak: z.array(z.string().min(1).max(50)).max(20),
  })
  .strict()
  .refine((d) => new Set(d.indicators.map((i) => i.code)).size === d.indicators.length, { message: 'indicator codes must be unique', path: ['indicators'] });
export type DepartmentExtension = z.infer<typeof DepartmentExtension>;
export const defaultDepartmentExtension: DepartmentExtension = { enabled: true, inspect: 0, indicators: DEFAULT_DEPARTMENT_INDICATORS, tieBreak: ['DEPT_DOCUMENTS_ON_TIME', 'DEPT_LEDGER_CLOSED'] };

/** 第十条（一）: mutual inspections (互督互查) the month expects; 0: optional. */
export const MutualInspection = z.object({ expected: z.number().int().min(0).max(50) }).strict();
export const defaultMutualInspection = { expected: 0 };

const month = z.number().int().min(1).max(12);

export const CyclePolicy = z
  .object({
    /** 第六条（一）: the progress report on the roadmap is due this long after the dispatch. */
    reportDueAfter: DeadlineSpec,
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
    /** 第十条（二）: departments carrying reform tasks, inspected and ranked on their own. A version stored before this value takes the default. */
    departments: DepartmentExtension.default(defaultDepartmentExtension),
    /** 第十条（一）: how many mutual inspections (peer district / peer group) the month expects. A version stored before takes the default. */
    mutualInspection: MutualInspection.default(defaultMutualInspection),
    /** Points one signed issue (问题清单 item) costs under an INSPECTION_ISSUES indicator. */
    issuePenalty: z.number().min(0).max(100),
    /** 第六条（三）: scores and overrides are accepted until this long after the start; then the ranking is published. */
    scoringCloseAfter: DeadlineSpec,
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
    diagnosisReportDueAfter: DeadlineSpec,
    /** After that due date the visiting team is chased at this interval until the report is filed. */
    diagnosisChaseEvery: DurationSpec,
    /** Traffic light: an obligation due within this window is yellow. */
    warningWindow: DurationSpec,
  })
  .strict()
  .refine(
    (p) => {
      const t0 = new Date('2026-01-01T00:00:00+08:00');
      return deadlineAfter(t0, p.reportDueAfter, RULE_CHECK_CALENDAR).at < deadlineAfter(t0, p.scoringCloseAfter, RULE_CHECK_CALENDAR).at;
    },
    { message: 'reportDueAfter must come before scoringCloseAfter', path: ['reportDueAfter'] },
  );
export type CyclePolicy = z.infer<typeof CyclePolicy>;

/** The values of 《淄博市全面深化改革运行规则》 第六条 and the city's practice (seed 000). */
export const defaultCyclePolicy: CyclePolicy = {
  // Dates (common/policy/calendar.ts): the 1st plus 4 days is the 5th, due by its end.
  reportDueAfter: { days: 4 },
  remindBefore: [{ days: 1 }],
  chaseAfter: [{ days: 1 }, { days: 3 }],
  lateReportFactor: 0.5,
  inspection: { mode: 'ALL' },
  jointInspection: { required: false, departments: 1 },
  departments: defaultDepartmentExtension,
  mutualInspection: defaultMutualInspection,
  issuePenalty: 1,
  scoringCloseAfter: { days: 24 },
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
