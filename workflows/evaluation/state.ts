// The annual evaluation's rules as pure functions (第九条 and 第十四条（三）,
// run as one evaluation: "合二为一"): which step may follow which, who owes a
// score, the site visits (chosen + drawn), the follow-ups after publication.
// Shared by the workflow (deterministic), the activities, the API and unit tests.
import type { EvaluationPolicy } from '../../common/policy/evaluation';
import { drawFrom, prng } from '../draw';

export type EvaluationPhase =
  | 'PLANNING' // 第九条（一）–（三）: items, evaluator and plan being prepared
  | 'SCORING' // 第十四条（三）（1）（2）（4）: self-scores, department scores and material
  | 'REPORTING' // 第九条（四）, 第十四条（三）（5）: on-site evaluation and the report
  | 'REVIEW' // 第九条（四）: the reform office reviews the report
  | 'DECISION' // 第九条（四）: with the city leaders, who decide on publication
  | 'FOLLOW_UP' // 第九条（五）, 第十四条（三）（8）: rectification and accountability (回头抓)
  | 'CLOSED';

export const PHASE_LABELS: Record<EvaluationPhase, string> = {
  PLANNING: '制定评估方案',
  SCORING: '自评和部门评分',
  REPORTING: '实地评估和形成评估报告',
  REVIEW: '市委改革办审核评估报告',
  DECISION: '报市领导审定',
  FOLLOW_UP: '整改落实和问责（回头抓）',
  CLOSED: '已办结',
};

/** One of last year's innovation experiences (第十四条（三）), as its rollout recorded it. */
export interface Experience {
  id: string;
  title: string;
  leadUnitId: string;
  districtIds: string[];
}

export interface MajorItem {
  title: string;
  level: 'CENTRAL' | 'PROVINCIAL' | 'CITY';
  leadUnitId: string;
}

export interface EvaluationPlan {
  /** 第九条（一）: last year's major reform items (policy: 5). */
  items: MajorItem[];
  /** 第九条（二）: the third-party evaluator. */
  evaluator: { name: string; contact?: string };
  /** 第九条（三）: indicators, content, methods, ranking, schedule. */
  indicators: Array<{ name: string; weight: number }>;
  methods: string;
  ranking: string;
  /** The plan's schedule: the workflow's deadlines. */
  scoresDueAt: string;
  reportDueAt: string;
}

export interface SelfScore {
  unitId: string;
  scores: Record<string, number>;
  /** The experiences the district chose for the evaluators' visit. */
  chosen: string[];
  note?: string;
  submittedAt: string;
  submittedBy: string;
}

export interface DepartmentScore {
  unitId: string;
  /** districtId → experienceId → score, for the experiences the department leads. */
  scores: Record<string, Record<string, number>>;
  /** 第十四条（三）（4）: the written material the evaluators review. */
  material: string;
  submittedAt: string;
  submittedBy: string;
}

export interface Visit {
  districtId: string;
  chosen: string[];
  drawn: string[];
}

export interface ReportResult {
  unitId: string;
  score: number;
  comment?: string;
}

export interface Finding {
  unitId: string;
  problem: string;
  /** 第九条（五）: a serious failure: accountability follows. */
  serious: boolean;
}

export interface EvaluationReport {
  title: string;
  summary: string;
  results: ReportResult[];
  findings: Finding[];
  submittedAt: string;
  submittedBy: string;
}

export type FollowUpKind = 'RECTIFICATION' | 'ACCOUNTABILITY';

export interface FollowUp {
  id: string;
  kind: FollowUpKind;
  unitId: string;
  /** Why it is owed (Chinese): the low score or the finding. */
  reason: string;
  dueAt: string;
  doneAt?: string;
  /** The rectification plan, or the accountability's outcome (who, what, result). */
  outcome?: string;
}

/** The districts that rolled last year's experiences out: each self-scores and is visited. */
export function evaluatedDistricts(experiences: Experience[]): string[] {
  return [...new Set(experiences.flatMap((e) => e.districtIds))].sort();
}

/** The lead departments: each scores the districts on the experiences it leads. */
export function scoringDepartments(experiences: Experience[]): string[] {
  return [...new Set(experiences.map((e) => e.leadUnitId))].sort();
}

/** The experiences a district rolled out. */
export function experiencesOf(experiences: Experience[], districtId: string): Experience[] {
  return experiences.filter((e) => e.districtIds.includes(districtId)).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * 第十四条（三）（3）: the evaluators visit the experiences the district chose and
 * `visitsDrawn` more drawn among the rest. Reproducible: the draw depends only
 * on the recorded seed, the district and the sorted experience ids.
 */
export function drawVisit(experiences: Experience[], districtId: string, chosen: string[], p: EvaluationPolicy, seed: string): Visit {
  const rest = experiencesOf(experiences, districtId)
    .map((e) => e.id)
    .filter((id) => !chosen.includes(id));
  const drawn = drawFrom(rest, p.visitsDrawn, prng(`${seed}:${districtId}`)).sort();
  return { districtId, chosen: [...chosen].sort(), drawn };
}

const inRange = (v: number, p: EvaluationPolicy) => Number.isFinite(v) && v >= 0 && v <= p.scoreMax;

/** Why this plan cannot be accepted at `now`, or undefined. */
export function planRefusal(plan: EvaluationPlan, p: EvaluationPolicy, now: number): string | undefined {
  if (plan.items.length !== p.majorItems) return `须确定${p.majorItems}项重大改革事项（第九条（一）），收到${plan.items.length}项`;
  if (new Set(plan.items.map((i) => i.title)).size !== plan.items.length) return '重大改革事项不能重复';
  const scores = Date.parse(plan.scoresDueAt);
  const report = Date.parse(plan.reportDueAt);
  if (!(scores > now)) return '自评和部门评分截止时间须晚于现在';
  if (!(report > scores)) return '评估报告截止时间须晚于评分截止时间';
  return undefined;
}

/** Why this district's self-evaluation cannot be accepted, or undefined. */
export function selfScoreRefusal(experiences: Experience[], districtId: string, scores: Record<string, number>, chosen: string[], p: EvaluationPolicy): string | undefined {
  const own = experiencesOf(experiences, districtId).map((e) => e.id);
  if (own.length === 0) return `${districtId} 没有需要自评的创新改革经验`;
  const missing = own.filter((id) => !(id in scores));
  if (missing.length) return `须对全部${own.length}项经验自评，缺少：${missing.join('、')}`;
  const foreign = Object.keys(scores).filter((id) => !own.includes(id));
  if (foreign.length) return `以下经验不属于本区县推广范围：${foreign.join('、')}`;
  const bad = Object.entries(scores).filter(([, v]) => !inRange(v, p));
  if (bad.length) return `分数须在0到${p.scoreMax}之间：${bad.map(([id]) => id).join('、')}`;
  const want = Math.min(p.visitsChosen, own.length);
  if (new Set(chosen).size !== chosen.length || chosen.length !== want) return `须自选${want}项不同的经验供实地评估（第十四条（三））`;
  const notOwn = chosen.filter((id) => !own.includes(id));
  if (notOwn.length) return `自选经验须是本区县推广的经验：${notOwn.join('、')}`;
  return undefined;
}

/** Why this department's scores cannot be accepted, or undefined: every district of every experience it leads, once. */
export function departmentScoreRefusal(experiences: Experience[], unitId: string, scores: Record<string, Record<string, number>>, p: EvaluationPolicy): string | undefined {
  const led = experiences.filter((e) => e.leadUnitId === unitId);
  if (led.length === 0) return `${unitId} 没有牵头的创新改革经验`;
  const missing = led.flatMap((e) => e.districtIds.filter((d) => scores[d]?.[e.id] === undefined).map((d) => `${d}/${e.id}`));
  if (missing.length) return `须对牵头经验的每个区县评分，缺少：${missing.join('、')}`;
  const extra = Object.entries(scores).flatMap(([d, byExp]) => Object.keys(byExp).filter((id) => !led.some((e) => e.id === id && e.districtIds.includes(d))).map((id) => `${d}/${id}`));
  if (extra.length) return `以下评分不属于本部门牵头的经验：${extra.join('、')}`;
  const bad = Object.entries(scores).flatMap(([d, byExp]) => Object.entries(byExp).filter(([, v]) => !inRange(v, p)).map(([id]) => `${d}/${id}`));
  if (bad.length) return `分数须在0到${p.scoreMax}之间：${bad.join('、')}`;
  return undefined;
}

/**
 * What publication leaves to follow up (回头抓): a rectification for each unit
 * the report scored below the policy's line (第十四条（三）（8）), an
 * accountability record for each serious finding (第九条（五））.
 */
export function followUpsOf(report: EvaluationReport, p: EvaluationPolicy, dueAt: string): FollowUp[] {
  const low = report.results
    .filter((r) => r.score < p.rectifyBelow)
    .map((r): FollowUp => ({ id: `rectification:${r.unitId}`, kind: 'RECTIFICATION', unitId: r.unitId, reason: `评估得分${r.score}分，低于${p.rectifyBelow}分`, dueAt }));
  const serious = report.findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.serious)
    .map(({ f, i }): FollowUp => ({ id: `accountability:${i + 1}`, kind: 'ACCOUNTABILITY', unitId: f.unitId, reason: f.problem, dueAt }));
  return [...low, ...serious];
}

/** Every unit the evaluation concerns: major items' leads, the districts, the lead departments. */
export function evaluatedUnits(experiences: Experience[], plan?: EvaluationPlan): string[] {
  return [...new Set([...(plan?.items.map((i) => i.leadUnitId) ?? []), ...evaluatedDistricts(experiences), ...scoringDepartments(experiences)])].sort();
}
