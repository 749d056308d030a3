/**
 * Pure rules of the annual evaluation (第九条, 第十四条（三）): the shared seeded
 * draw, the site visits (2 chosen + 2 drawn, reproducible), the refusals of
 * plans and scores, the follow-ups publication leaves, the obligations and
 * the timed duties.
 */
import { defaultEvaluationPolicy as p } from '../../common/policy/evaluation';
import { drawFrom, prng } from '../../workflows/draw';
import { evaluationDuties, missingScorers } from '../../workflows/evaluation/duties';
import type { EvaluationState } from '../../workflows/evaluation/messages';
import { evaluationObligations } from '../../workflows/evaluation/obligations';
import {
  departmentScoreRefusal,
  drawVisit,
  evaluatedDistricts,
  followUpsOf,
  planRefusal,
  scoringDepartments,
  selfScoreRefusal,
  type EvaluationPlan,
  type Experience,
} from '../../workflows/evaluation/state';

const D1 = 'district-zhangdian';
const D2 = 'district-zichuan';
// Six experiences: D1 rolls out all six, D2 the first three; two lead departments.
const experiences: Experience[] = Array.from({ length: 6 }, (_, i) => ({
  id: `2026-H${i < 3 ? 1 : 2}-0${i + 1}`,
  title: `经验${i + 1}`,
  leadUnitId: i % 2 ? 'dept-health' : 'dept-finance',
  districtIds: i < 3 ? [D1, D2] : [D1],
}));
const ids = (xs: Experience[]) => xs.map((e) => e.id);
const allScores = (d: string, v = 80) => Object.fromEntries(ids(experiences.filter((e) => e.districtIds.includes(d))).map((id) => [id, v]));

const NOW = Date.parse('2027-03-01T00:00:00+08:00');
const plan: EvaluationPlan = {
  items: Array.from({ length: 5 }, (_, i) => ({ title: `重大改革事项${i + 1}`, level: 'PROVINCIAL' as const, leadUnitId: 'dept-health' })),
  evaluator: { name: '某大学评估中心' },
  indicators: [{ name: '落实情况', weight: 100 }],
  methods: '材料审核和实地评估',
  ranking: '按得分排名',
  scoresDueAt: '2027-03-20T16:00:00.000Z',
  reportDueAt: '2027-04-10T16:00:00.000Z',
};

describe('the shared seeded draw', () => {
  it('draws the same items from the same seed, different ones from others, never more than the pool', () => {
    const pool = Array.from({ length: 20 }, (_, i) => `x${i}`);
    const a = drawFrom(pool, 4, prng('seed-1'));
    expect(drawFrom(pool, 4, prng('seed-1'))).toEqual(a);
    expect(new Set(a).size).toBe(4);
    const others = ['seed-2', 'seed-3', 'seed-4'].map((s) => drawFrom(pool, 4, prng(s)).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
    expect(drawFrom(['a', 'b'], 5, prng('s'))).toHaveLength(2);
  });
});

describe('site visits (第十四条（三）（3）)', () => {
  it('the two chosen plus two drawn among the rest, reproducible from the seed and the district', () => {
    const v = drawVisit(experiences, D1, [experiences[5].id, experiences[0].id], p, 'seed-a');
    expect(v.chosen).toEqual([experiences[0].id, experiences[5].id]);
    expect(v.drawn).toHaveLength(p.visitsDrawn);
    expect(v.drawn.some((id) => v.chosen.includes(id))).toBe(false);
    expect(v.drawn.every((id) => ids(experiences).includes(id))).toBe(true);
    expect(drawVisit([...experiences].reverse(), D1, [experiences[0].id, experiences[5].id], p, 'seed-a')).toEqual(v);
    const draws = ['seed-b', 'seed-c', 'seed-d', 'seed-e'].map((s) => drawVisit(experiences, D1, v.chosen, p, s).drawn.join());
    expect(draws.some((d) => d !== v.drawn.join())).toBe(true);
  });

  it('a district with only three experiences: the one left is the draw', () => {
    const v = drawVisit(experiences, D2, [experiences[0].id, experiences[1].id], p, 'seed-a');
    expect(v.drawn).toEqual([experiences[2].id]);
  });
});

describe('refusals', () => {
  it('a plan needs the policy number of distinct major items and a schedule in order, after now', () => {
    expect(planRefusal(plan, p, NOW)).toBeUndefined();
    expect(planRefusal({ ...plan, items: plan.items.slice(0, 4) }, p, NOW)).toMatch(/须确定5项/);
    expect(planRefusal({ ...plan, items: [...plan.items.slice(0, 4), plan.items[0]] }, p, NOW)).toMatch(/不能重复/);
    expect(planRefusal({ ...plan, scoresDueAt: '2027-02-01T00:00:00Z' }, p, NOW)).toMatch(/晚于现在/);
    expect(planRefusal({ ...plan, reportDueAt: plan.scoresDueAt }, p, NOW)).toMatch(/晚于评分截止/);
  });

  it('a self-evaluation scores every own experience within range and chooses two of its own', () => {
    const chosen = [experiences[0].id, experiences[1].id];
    expect(selfScoreRefusal(experiences, D1, allScores(D1), chosen, p)).toBeUndefined();
    const { [experiences[4].id]: _gone, ...partial } = allScores(D1);
    expect(selfScoreRefusal(experiences, D1, partial, chosen, p)).toMatch(/缺少：2026-H2-05/);
    expect(selfScoreRefusal(experiences, D2, allScores(D1), chosen, p)).toMatch(/不属于本区县/);
    expect(selfScoreRefusal(experiences, D1, { ...allScores(D1), [experiences[0].id]: 101 }, chosen, p)).toMatch(/0到100/);
    expect(selfScoreRefusal(experiences, D1, allScores(D1), [experiences[0].id], p)).toMatch(/自选2项/);
    expect(selfScoreRefusal(experiences, D1, allScores(D1), [experiences[0].id, experiences[0].id], p)).toMatch(/自选2项/);
    expect(selfScoreRefusal(experiences, D2, allScores(D2), [experiences[0].id, experiences[4].id], p)).toMatch(/自选经验须是本区县/);
    expect(selfScoreRefusal(experiences, 'district-boshan', {}, [], p)).toMatch(/没有需要自评/);
  });

  it('a department scores each district of each experience it leads, and nothing else', () => {
    const led = experiences.filter((e) => e.leadUnitId === 'dept-health');
    const full: Record<string, Record<string, number>> = {};
    for (const e of led) for (const d of e.districtIds) (full[d] ??= {})[e.id] = 70;
    expect(departmentScoreRefusal(experiences, 'dept-health', full, p)).toBeUndefined();
    expect(departmentScoreRefusal(experiences, 'dept-health', { [D1]: full[D1] }, p)).toMatch(/缺少：district-zichuan/);
    expect(departmentScoreRefusal(experiences, 'dept-health', { ...full, [D2]: { ...full[D2], [experiences[0].id]: 50 } }, p)).toMatch(/不属于本部门/);
    expect(departmentScoreRefusal(experiences, 'dept-transport', {}, p)).toMatch(/没有牵头/);
  });
});

describe('publication leaves follow-ups (回头抓, 问责)', () => {
  it('a rectification per unit scored below the line, an accountability per serious finding', () => {
    const report = {
      title: '报告',
      summary: '摘要',
      results: [
        { unitId: D1, score: 59.5 },
        { unitId: D2, score: 60 },
      ],
      findings: [
        { unitId: 'dept-health', problem: '材料弄虚作假', serious: true },
        { unitId: D2, problem: '进度偏慢', serious: false },
      ],
      submittedAt: '2027-04-01T00:00:00Z',
      submittedBy: 'ro-director',
    };
    expect(followUpsOf(report, p, '2027-05-01T00:00:00Z').map((f) => [f.id, f.kind, f.unitId])).toEqual([
      ['rectification:district-zhangdian', 'RECTIFICATION', D1],
      ['accountability:1', 'ACCOUNTABILITY', 'dept-health'],
    ]);
  });
});

describe('obligations and duties', () => {
  const base: EvaluationState = {
    phase: 'PLANNING',
    seed: 's',
    startedAt: '2027-02-28T16:00:00.000Z',
    planDueAt: '2027-03-14T16:00:00.000Z',
    experiences,
    selfScores: [],
    departmentScores: [],
    visits: [],
    followUps: [],
    fired: [],
    revision: 0,
  };

  it('before the plan: the plan is owed, reminded and chased at its deadline', () => {
    expect(evaluationObligations(base, 'evaluation:2027').map((o) => [o.key, o.status])).toEqual([['evaluation:2027:plan', 'OPEN']]);
    const duties = evaluationDuties(base, p);
    expect(duties.map((d) => d.key)).toEqual(['reminder-plan-0', 'plan-chase']);
    expect(duties[1].at).toBe(Date.parse(base.planDueAt));
  });

  it('scoring: each district and lead department owes its scores; the missing are chased when scoring closes', () => {
    const s: EvaluationState = { ...base, phase: 'SCORING', plan, plannedAt: '2027-03-05T00:00:00.000Z', selfScores: [{ unitId: D1, scores: allScores(D1), chosen: [], submittedAt: '2027-03-06T00:00:00.000Z', submittedBy: 'x' }] };
    expect(evaluatedDistricts(experiences)).toEqual([D1, D2]);
    expect(scoringDepartments(experiences)).toEqual(['dept-finance', 'dept-health']);
    expect(missingScorers(s)).toEqual([D2, 'dept-finance', 'dept-health']);
    const o = Object.fromEntries(evaluationObligations(s, 'e').map((x) => [x.key, x.status]));
    expect(o).toEqual({ 'e:plan': 'DONE', [`e:self-score:${D1}`]: 'DONE', [`e:self-score:${D2}`]: 'OPEN', 'e:department-score:dept-finance': 'OPEN', 'e:department-score:dept-health': 'OPEN', 'e:report': 'OPEN' });
    const close = evaluationDuties(s, p).find((d) => d.key === 'scores-close')!;
    expect(close.at).toBe(Date.parse(plan.scoresDueAt));
    expect(close.closeScoring).toBe(true);
    expect(close.notices.map((n) => n.unitIds)).toEqual([[D2, 'dept-finance', 'dept-health']]);
    // Once the report is in, a score never sent is no longer owed.
    const reported = evaluationObligations({ ...s, phase: 'REVIEW', report: { title: 't', summary: 's', results: [], findings: [], submittedAt: '2027-04-01T00:00:00.000Z', submittedBy: 'x' } }, 'e');
    expect(reported.find((x) => x.key === `e:self-score:${D2}`)?.status).toBe('CANCELLED');
  });
});
