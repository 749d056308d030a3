/**
 * Fixtures of the annual evaluation's tests: last year's innovation
 * experiences as their rollouts recorded them (the evaluation only reads
 * them), under a year no other test uses, and the plan and steps every test
 * takes the same way.
 */
import type { Db } from '../../common/db';
import type { EvaluationPlan, Experience } from '../../workflows/evaluation/state';

export const D1 = 'district-zhangdian';
export const D2 = 'district-zichuan';

/** A year of its own for each test (the Evaluation row is keyed by year), far from any real one. */
export function uniqueEvaluationYear(): number {
  return 2200 + Math.floor(Math.random() * 7700);
}

/**
 * Six experiences of `year - 1`: D1 rolls out all six, D2 the first three; dept-finance leads the odd ones,
 * dept-health the even ones. Written as rows of rollouts that ran (the evaluation reads nothing else).
 */
export async function seedExperiences(db: Db, year: number): Promise<Experience[]> {
  const last = year - 1;
  const experiences: Experience[] = Array.from({ length: 6 }, (_, i) => ({
    id: `${last}-H${i < 3 ? 1 : 2}-0${i + 1}`,
    title: `${last}年创新改革经验${i + 1}`,
    leadUnitId: i % 2 ? 'dept-health' : 'dept-finance',
    districtIds: i < 3 ? [D1, D2] : [D1],
  }));
  await db.innovationRollout.createMany({
    data: experiences.map((e) => ({
      id: e.id,
      selectionId: e.id.slice(0, 7),
      candidateId: `fixture-${e.id}`,
      workflowId: `fixture-rollout:${e.id}`,
      title: e.title,
      leadUnitId: e.leadUnitId,
      districtIds: e.districtIds,
      townshipApplies: false,
      state: 'ACCEPTED',
      startedAt: new Date(`${last}-${e.id.includes("-H1-") ? "01" : "07"}-01T00:00:00+08:00`),
    })),
  });
  return experiences;
}

/** Scores of 80 for every experience the district rolled out. */
export function selfScores(experiences: Experience[], districtId: string, value = 80): Record<string, number> {
  return Object.fromEntries(experiences.filter((e) => e.districtIds.includes(districtId)).map((e) => [e.id, value]));
}

/** A department's scores of each district on each experience it leads. */
export function departmentScores(experiences: Experience[], unitId: string, value = 75): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const e of experiences.filter((x) => x.leadUnitId === unitId)) for (const d of e.districtIds) (out[d] ??= {})[e.id] = value;
  return out;
}

/** A plan of five major items with its schedule from `now`: scores in 3 weeks, the report in 6. */
export function planFrom(now: number): EvaluationPlan {
  const week = 7 * 24 * 3600_000;
  return {
    items: Array.from({ length: 5 }, (_, i) => ({ title: `重大改革事项${i + 1}`, level: 'PROVINCIAL' as const, leadUnitId: i % 2 ? 'dept-health' : 'dept-finance' })),
    evaluator: { name: '山东理工大学改革评估中心', contact: '0533-0000000' },
    indicators: [
      { name: '改革任务落实', weight: 60 },
      { name: '改革成效', weight: 40 },
    ],
    methods: '材料审核、实地评估、问卷调查',
    ranking: '按综合得分排名',
    scoresDueAt: new Date(now + 3 * week).toISOString(),
    reportDueAt: new Date(now + 6 * week).toISOString(),
  };
}
