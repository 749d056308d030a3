/**
 * The annual evaluation (第九条, 第十四条（三）) on the time-skipping server with
 * the policy's real durations, the real activities, the run's PostgreSQL
 * database and the SMTP sink: the plan chased at its two weeks, the plan's
 * own schedule becoming the deadlines (scoring closes at it and the missing
 * units are chased, once), the visits drawn from the recorded seed, the
 * report returned and resubmitted, the leaders' decision, the follow-ups
 * chased at their month, and the evaluation closing when they are done.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPolicy } from '../../common/policy';
import { subtractDuration } from '../../common/policy/duration';
import { evaluationWorkflowId } from '../../common/ids';
import { TASK_QUEUE } from '../../common/taskQueues';
import * as m from '../../workflows/evaluation/messages';
import { drawVisit } from '../../workflows/evaluation/state';
import { evaluationWorkflow } from '../../workflows/evaluation/workflow';
import { eventually } from '../support/eventually';
import { D1, D2, departmentScores, planFrom, seedExperiences, selfScores, uniqueEvaluationYear } from '../support/evaluation';
import { dueAfter, sleepUntil } from '../support/testClock';
import { resultInRealTime, startTimeSkippingWorker, type TimeSkippingHarness } from '../support/timeSkipping';
import type { TestDeps } from '../support/deps';

const HOUR = 3600_000;
const p = defaultPolicy.evaluation;
const office = { officialId: 'ro-director', unitId: 'reform-office' };
/** The workflow's reason for refusing an update (undefined when it was accepted). */
async function refusal(update: Promise<unknown>): Promise<string | undefined> {
  try {
    await update;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return err.cause?.message;
    throw err;
  }
}
const of = (unitId: string, who = `${unitId}-head`) => ({ officialId: who, unitId });

describe('annual evaluation (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  it('plan chased at two weeks; scoring closes at the plan’s date chasing only the missing; report, decision, follow-ups; closes when done', async () => {
    const year = uniqueEvaluationYear();
    const experiences = await seedExperiences(deps.db, year);
    const handle = await env.client.workflow.start(evaluationWorkflow, { taskQueue: TASK_QUEUE, workflowId: evaluationWorkflowId(year), args: [{ version: 1, year, policy: defaultPolicy, seed: 'ts-seed' }] });
    const notices = async () => (await deps.db.notice.findMany({ where: { subjectType: 'evaluation', subjectId: String(year) }, orderBy: { createdAt: 'asc' } })).map((n) => n.key.slice(handle.workflowId.length + 1));
    const count = async (prefix: string) => (await notices()).filter((k) => k.startsWith(prefix)).length;
    const start = await handle.executeUpdate(m.evaluationReadyUpdate);
    expect(start.experiences.map((e) => e.id)).toEqual(experiences.map((e) => e.id));
    expect(start.districts).toEqual([D1, D2]);
    expect(start.departments).toEqual(['dept-finance', 'dept-health']);
    const planDueAt = dueAfter(start.startedAt, p.planWithin);
    expect(start.planDueAt).toBe(planDueAt.toISOString());

    // 第九条（三）: the plan's two weeks: a reminder before, one chase at the deadline.
    await sleepUntil(env, planDueAt.getTime() - HOUR);
    await handle.query(m.evaluationQuery);
    expect(await eventually(() => count('reminder-plan-0'), (n) => n === 1)).toBe(1);
    expect(await count('plan-chase')).toBe(0);
    await sleepUntil(env, planDueAt.getTime() + HOUR);
    expect(await eventually(() => count('plan-chase'), (n) => n === 1)).toBe(1);

    // The plan's schedule becomes the deadlines; a plan of four items is refused first.
    const plan = planFrom(await env.currentTimeMs());
    await expect(handle.executeUpdate(m.submitPlanUpdate, { args: [{ actor: office, plan: { ...plan, items: plan.items.slice(0, 4) } }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const planned = await handle.executeUpdate(m.submitPlanUpdate, { args: [{ actor: office, plan }] });
    expect(planned.phase).toBe('SCORING');
    // 第九条（四）: one notice per evaluated unit (the items' leads, the districts, the lead departments).
    expect((await notices()).filter((k) => k.startsWith('evaluation-notice:')).sort()).toEqual([D1, D2, 'dept-finance', 'dept-health'].map((u) => `evaluation-notice:${u}`).sort());

    // D1 self-scores and chooses two; two more are drawn from the recorded seed.
    const chosen = [experiences[0].id, experiences[4].id];
    const v1 = await handle.executeUpdate(m.submitSelfScoreUpdate, { args: [{ actor: of(D1), unitId: D1, scores: selfScores(experiences, D1), chosen }] });
    expect(v1.visits).toEqual([drawVisit(experiences, D1, chosen, p, 'ts-seed')]);
    expect(v1.visits[0].drawn).toHaveLength(2);
    expect(await refusal(handle.executeUpdate(m.submitSelfScoreUpdate, { args: [{ actor: of(D1), unitId: D1, scores: selfScores(experiences, D1), chosen }] }))).toMatch(/已报送自评/);
    await handle.executeUpdate(m.submitDepartmentScoreUpdate, { args: [{ actor: of('dept-health'), unitId: 'dept-health', scores: departmentScores(experiences, 'dept-health'), material: '书面材料' }] });
    // The report waits for scoring to close.
    expect(await refusal(handle.executeUpdate(m.submitEvaluationReportUpdate, { args: [{ actor: office, title: 't', summary: 's', results: [], findings: [] }] }))).toMatch(/评分截止/);

    // At the plan's date scoring closes; D2 and dept-finance, and only they, are chased — once.
    const scoresDue = new Date(plan.scoresDueAt).getTime();
    await sleepUntil(env, scoresDue - HOUR);
    expect((await handle.query(m.evaluationQuery)).phase).toBe('SCORING');
    expect(await eventually(() => notices(), (k) => k.filter((x) => x.startsWith('reminder-scores-0')).length === 2)).toEqual(expect.arrayContaining([`reminder-scores-0:${D2}`, 'reminder-scores-0:dept-finance']));
    await sleepUntil(env, scoresDue + HOUR);
    expect(await eventually(async () => (await handle.query(m.evaluationQuery)).phase, (ph) => ph === 'REPORTING')).toBe('REPORTING');
    expect(await eventually(async () => (await notices()).filter((k) => k.startsWith('scores-chase')).sort(), (k) => k.length === 2)).toEqual(['scores-chase:dept-finance', `scores-chase:${D2}`]);
    // Late scores are still taken (and their obligation closes late).
    await handle.executeUpdate(m.submitSelfScoreUpdate, { args: [{ actor: of(D2, `${D2}-deputy`), unitId: D2, scores: selfScores(experiences, D2, 50), chosen: [experiences[0].id, experiences[1].id] }] });

    // The report, returned once, then approved: it goes to the city leaders.
    const report = {
      actor: office,
      title: `${year}年度改革评估报告`,
      summary: '总体良好',
      results: [
        { unitId: D1, score: 88 },
        { unitId: D2, score: 55 },
      ],
      findings: [{ unitId: 'dept-finance', problem: '未按时报送评分和材料', serious: true }],
    };
    await handle.executeUpdate(m.submitEvaluationReportUpdate, { args: [report] });
    expect((await handle.executeUpdate(m.reviewEvaluationReportUpdate, { args: [{ actor: office, approved: false, note: '补充实地评估情况' }] })).phase).toBe('REPORTING');
    await handle.executeUpdate(m.submitEvaluationReportUpdate, { args: [report] });
    expect((await handle.executeUpdate(m.reviewEvaluationReportUpdate, { args: [{ actor: office, approved: true }] })).phase).toBe('DECISION');
    const toLeaders = await deps.db.notice.findFirstOrThrow({ where: { key: `${handle.workflowId}:report-to-leaders` }, include: { recipients: true } });
    expect(toLeaders.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId).sort()).toEqual(['city-deputy-secretary', 'city-mayor', 'city-secretary']);

    // The leaders decide to publish: results, the propaganda department (the next monthly briefing announces them, 第十四条（三）(6)); a rectification for D2 and an accountability.
    const decided = await handle.executeUpdate(m.recordDecisionUpdate, { args: [{ actor: of('leading-group', 'city-mayor'), publish: true, channels: ['淄博日报'] }] });
    expect(decided.phase).toBe('FOLLOW_UP');
    expect(decided.followUps.map((f) => [f.id, f.unitId])).toEqual([
      [`rectification:${D2}`, D2],
      ['accountability:1', 'dept-finance'],
    ]);
    const publication = await deps.db.notice.findFirstOrThrow({ where: { key: `${handle.workflowId}:publication` }, include: { recipients: true } });
    expect(publication.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId).sort()).toEqual(['dept-propaganda-head', 'dept-propaganda-liaison']);
    expect(publication.body).toContain('淄博日报');
    expect(await count('briefing')).toBe(0); // no separate "announce it" notice: the cycle's briefing carries the results

    // A rectification comes from its unit; the accountability from the reform office.
    expect(await refusal(handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: of(D1), followUpId: `rectification:${D2}`, outcome: 'x' }] }))).toMatch(/被评估单位/);
    await handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: office, followUpId: 'accountability:1', outcome: '约谈分管负责同志，通报批评' }] });

    // The month after the decision: the open rectification, and only it, is chased.
    const followUpDue = new Date(decided.followUps[0].dueAt).getTime();
    expect(followUpDue).toBe(dueAfter(decided.decision!.at, p.followUpWithin).getTime());
    await sleepUntil(env, subtractDuration(new Date(followUpDue), { hours: 1 }));
    await handle.query(m.evaluationQuery);
    expect(await count('follow-up-chase')).toBe(0);
    await sleepUntil(env, followUpDue + HOUR);
    expect(await eventually(() => notices(), (k) => k.includes(`follow-up-chase:rectification:${D2}`))).not.toContain('follow-up-chase:accountability:1');

    await handle.executeUpdate(m.closeFollowUpUpdate, { args: [{ actor: of(D2, `${D2}-deputy`), followUpId: `rectification:${D2}`, outcome: '整改方案已印发' }] });
    const done = await resultInRealTime(env, handle);
    expect(done.phase).toBe('CLOSED');
    const open = await deps.db.obligation.count({ where: { workflowId: handle.workflowId, status: 'OPEN' } });
    expect(open).toBe(0);
    const row = await eventually(() => deps.db.evaluation.findUnique({ where: { year } }), (r) => r?.phase === 'CLOSED');
    expect(row?.seed).toBe('ts-seed');
  });
});
