// Request and response bodies of the annual evaluation's routes (第九条,
// 第十四条（三）); the OpenAPI document is generated from these schemas.
import { z } from 'zod';

const id = z.string().trim().min(1).max(100);
const text = (max: number) => z.string().trim().min(1).max(max);
const score = z.number().min(0).max(1000);
const instant = z.iso.datetime({ offset: true });

/** The evaluation's year: the year it runs in (its March); it evaluates the year before. */
export const EvaluationYear = z.coerce.number().int().min(2000).max(9999);

export const StartEvaluationBody = z.object({ year: EvaluationYear.optional(), seed: text(100).optional() }).strict();

/** 第九条（一）–（三）: the items, the evaluator and the plan (its schedule becomes the deadlines). */
export const PlanBody = z
  .object({
    items: z.array(z.object({ title: text(300), level: z.enum(['CENTRAL', 'PROVINCIAL', 'CITY']), leadUnitId: id }).strict()).min(1).max(20),
    evaluator: z.object({ name: text(200), contact: z.string().trim().max(200).optional() }).strict(),
    indicators: z.array(z.object({ name: text(200), weight: z.number().positive().max(100) }).strict()).min(1).max(50),
    methods: text(5000),
    ranking: text(2000),
    scoresDueAt: instant,
    reportDueAt: instant,
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

/** 第十四条（三）（1）（3）: a district's self-scores and the experiences it chooses for the visit. */
export const SelfScoreBody = z
  .object({
    /** Defaults to the caller's own unit. */
    unitId: id.optional(),
    scores: z.record(id, score),
    chosen: z.array(id).max(10),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

/** 第十四条（三）（2）（4）: a lead department's scores per district and its written material. */
export const DepartmentScoreBody = z
  .object({
    unitId: id.optional(),
    scores: z.record(id, z.record(id, score)),
    material: text(20000),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

/** 第九条（四）, 第十四条（三）（5）: the evaluator's report, filed by the reform office. */
export const ReportBody = z
  .object({
    title: text(300),
    summary: text(20000),
    results: z.array(z.object({ unitId: id, score, comment: z.string().trim().max(2000).optional() }).strict()).max(500),
    findings: z.array(z.object({ unitId: id, problem: text(2000), serious: z.boolean() }).strict()).max(500),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const ReviewBody = z.object({ approved: z.boolean(), note: z.string().trim().max(2000).optional() }).strict();

/** 第九条（四）: the city leaders' decision on the report and its publication. */
export const DecisionBody = z.object({ publish: z.boolean(), channels: z.array(text(100)).max(10).default([]), note: z.string().trim().max(2000).optional() }).strict();

/** 第九条（五）, 第十四条（三）（8）: a rectification's plan or an accountability's outcome (who, what, result). */
export const FollowUpBody = z.object({ outcome: text(5000), note: z.string().trim().max(2000).optional() }).strict();

// ---- answers ----------------------------------------------------------------------

const ObligationRow = z.object({ key: z.string(), title: z.string(), rule: z.string(), unitId: z.string(), dueAt: z.string(), status: z.string(), reason: z.string().nullable(), light: z.string() });

/** The workflow's view (steps answer with it). */
export const EvaluationView = z.object({
  year: z.number(),
  phase: z.string(),
  policyVersion: z.string(),
  seed: z.string(),
  startedAt: z.string(),
  planDueAt: z.string(),
  districts: z.array(z.string()),
  departments: z.array(z.string()),
  experiences: z.array(z.object({ id: z.string(), title: z.string(), leadUnitId: z.string(), districtIds: z.array(z.string()) })),
  plan: z.unknown().optional(),
  selfScores: z.array(z.unknown()),
  departmentScores: z.array(z.unknown()),
  visits: z.array(z.object({ districtId: z.string(), chosen: z.array(z.string()), drawn: z.array(z.string()) })),
  report: z.unknown().optional(),
  review: z.unknown().optional(),
  decision: z.unknown().optional(),
  followUps: z.array(z.object({ id: z.string(), kind: z.string(), unitId: z.string(), reason: z.string(), dueAt: z.string(), doneAt: z.string().optional(), outcome: z.string().optional() })),
  revision: z.number(),
});

export const EvaluationStarted = z.object({ started: z.boolean(), year: z.number(), workflowId: z.string(), evaluation: EvaluationView.optional() });

export const EvaluationList = z.object({ items: z.array(z.object({ id: z.string(), year: z.number(), phase: z.string(), phaseLabel: z.string(), startedAt: z.string(), planDueAt: z.string(), policyVersion: z.string() })) });

export const EvaluationDetail = z.object({
  id: z.string(),
  workflowId: z.string(),
  year: z.number(),
  phase: z.string(),
  phaseLabel: z.string(),
  seed: z.string(),
  startedAt: z.string(),
  planDueAt: z.string(),
  body: z.record(z.string(), z.unknown()),
  obligations: z.array(ObligationRow),
});
