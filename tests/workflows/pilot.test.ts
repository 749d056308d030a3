/**
 * The pilot family on the time-skipping server with the real policy durations
 * (第十一条: monthly dispatch, its 催报单, the time limit's reminder and overdue
 * notice, acceptance and the upward report; 第十三条: a city-wide experience
 * reported to both the central and the provincial office), the real activities,
 * the run's PostgreSQL database and the SMTP sink.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerPilot } from '../../api/pilotRegistration';
import { defaultPolicy } from '../../common/policy';
import { addDuration, addRepeated, subtractDuration } from '../../common/policy/duration';
import * as m from '../../workflows/pilot/messages';
import { pilotWorkflow } from '../../workflows/pilot/workflow';
import { eventually } from '../support/eventually';
import { admin, lead } from '../support/scenarios';
import { dueAfter, sleepUntil } from '../support/testClock';
import { resultInRealTime, startTimeSkippingWorker, type TimeSkippingHarness } from '../support/timeSkipping';
import type { TestDeps } from '../support/deps';

const HOUR = 3600_000;
const p = defaultPolicy.pilot;

describe('pilots (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  const unique = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  /** The notices of the workflow by step (the business key's tail). */
  const steps = async (workflowId: string) => (await deps.db.notice.findMany({ where: { workflowId }, select: { key: true } })).map((n) => n.key.slice(workflowId.length + 1));
  const hasNotice = (workflowId: string, step: string) => eventually(async () => (await steps(workflowId)).includes(step));
  const obligation = (workflowId: string, name: string) => deps.db.obligation.findUnique({ where: { key: `${workflowId}:${name}` } });

  it('第十一条: a pilot won is dispatched monthly, chased once when a report is late, reminded and told when overdue, then accepted and reported upward', async () => {
    const t0 = new Date(await env.currentTimeMs());
    // A time limit after the second dispatch's report is due and before the third dispatch, whatever the month lengths.
    const dueAt = addDuration(addRepeated(t0, p.dispatchEvery, 2), { days: 18 });
    const { pilot, created } = await registerPilot(
      deps.db,
      env.client,
      { origin: 'WON', reference: unique('鲁改办字'), title: '“无证明城市”建设试点', level: 'PROVINCIAL', leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'], leaderId: 'dept-health-leader', goals: '年内实现证明事项“零提交”', dueAt: dueAt.toISOString(), resultsUse: '形成制度成果，在全市推广' },
      t0,
    );
    expect(created).toBe(true);
    const handle = env.client.workflow.getHandle<typeof pilotWorkflow>(pilot.workflowId);
    const started = await handle.query(m.pilotQuery);
    expect(started.state).toBe('RUNNING');
    const startedAt = new Date(started.startedAt);
    const dispatch = (k: number) => addRepeated(startedAt, p.dispatchEvery, k);
    const reportDue = (k: number) => dueAfter(dispatch(k), p.progressDueAfter);
    expect(await hasNotice(pilot.workflowId, 'ledger')).toBe(true);
    const ledger = await deps.db.notice.findUniqueOrThrow({ where: { key: `${pilot.workflowId}:ledger` }, include: { recipients: true } });
    expect(ledger.body).toContain('牵头领导：');
    expect(ledger.body).toContain('成果运用：形成制度成果，在全市推广');
    expect(ledger.recipients.map((r) => `${r.role}:${r.officialId}`).sort()).toEqual(['CC:dept-finance-liaison', 'TO:dept-health-leader', 'TO:dept-health-liaison']);

    // 第十一条（六）: the first monthly dispatch; its report is late → exactly one 催报单, at its due date.
    await sleepUntil(env, dispatch(1).getTime() + HOUR);
    expect(await hasNotice(pilot.workflowId, 'dispatch-1')).toBe(true);
    await sleepUntil(env, reportDue(1).getTime() - HOUR);
    await handle.query(m.pilotQuery);
    expect(await steps(pilot.workflowId)).not.toContain('progress-chase-1');
    await sleepUntil(env, reportDue(1).getTime() + HOUR);
    expect(await hasNotice(pilot.workflowId, 'progress-chase-1')).toBe(true);
    expect((await obligation(pilot.workflowId, 'progress-1'))?.status).toBe('OPEN');

    // The second dispatch is answered in time: no chase, its obligation done.
    await sleepUntil(env, dispatch(2).getTime() + HOUR);
    expect(await hasNotice(pilot.workflowId, 'dispatch-2')).toBe(true);
    const answered = await handle.executeUpdate(m.reportProgressUpdate, { args: [{ actor: lead, note: '已梳理证明事项清单', goodPractice: '告知承诺制' }] });
    expect(answered.progress.at(-1)?.dispatch).toBe(2);
    await sleepUntil(env, reportDue(2).getTime() + HOUR);
    await handle.query(m.pilotQuery);
    expect(await steps(pilot.workflowId)).not.toContain('progress-chase-2');
    expect((await eventually(() => obligation(pilot.workflowId, 'progress-2'), (o) => o?.status === 'DONE'))?.status).toBe('DONE');

    // 第十一条（五）: the time limit — a reminder before it, the overdue notice at it (the head, the leader; the director copied).
    await sleepUntil(env, subtractDuration(dueAt, p.remindBefore).getTime() + HOUR);
    expect(await hasNotice(pilot.workflowId, `reminder:${dueAt.toISOString()}`)).toBe(true);
    await sleepUntil(env, dueAt.getTime() + HOUR);
    expect(await hasNotice(pilot.workflowId, `overdue:${dueAt.toISOString()}`)).toBe(true);
    const overdue = await deps.db.notice.findUniqueOrThrow({ where: { key: `${pilot.workflowId}:overdue:${dueAt.toISOString()}` }, include: { recipients: true } });
    expect(overdue.rule).toBe('第十一条');
    expect(overdue.recipients.map((r) => `${r.role}:${r.officialId}`).sort()).toEqual(['CC:ro-director', 'TO:dept-health-head', 'TO:dept-health-leader']);

    // 第十一条（七）: acceptance refused once (back to work), then passed; the upward report closes the workflow.
    await handle.executeUpdate(m.requestAcceptanceUpdate, { args: [{ actor: lead, note: '试点任务已完成' }] });
    const rejected = await handle.executeUpdate(m.acceptanceUpdate, { args: [{ actor: admin, approved: false, note: '制度成果不完整' }] });
    expect(rejected.state).toBe('RUNNING');
    expect(await hasNotice(pilot.workflowId, 'acceptance-rejected-1')).toBe(true);
    await env.sleep('3 days');
    await handle.executeUpdate(m.requestAcceptanceUpdate, { args: [{ actor: lead }] });
    const accepted = await handle.executeUpdate(m.acceptanceUpdate, { args: [{ actor: admin, approved: true }] });
    expect(accepted.state).toBe('ACCEPTED');
    expect(accepted.upwardDueAt).toBe(dueAfter(accepted.acceptedAt!, p.upwardReportDueAfter).toISOString());
    await handle.executeUpdate(m.reportUpwardUpdate, { args: [{ actor: admin, to: ['PROVINCIAL'], summary: '试点经验报告省委改革办' }] });
    const done = await resultInRealTime(env, handle);
    expect(done.state).toBe('REPORTED');
    expect(await hasNotice(pilot.workflowId, 'upward-report')).toBe(true);
    const open = await eventually(() => deps.db.obligation.count({ where: { workflowId: pilot.workflowId, status: 'OPEN' } }), (n) => n === 0);
    expect(open).toBe(0);
    const row = await deps.db.pilot.findUniqueOrThrow({ where: { id: pilot.id } });
    expect([row.state, row.reportedTo, row.dispatches]).toEqual(['REPORTED', ['PROVINCIAL'], done.dispatches.length]);
  });

  it('第十三条: a city-wide experience must go to both the central and the provincial office; it is owed by the policy date', async () => {
    const { pilot } = await registerPilot(
      deps.db,
      env.client,
      { origin: 'EXPERIENCE', reference: unique('张店经验'), title: '“一窗受理”基层经验', summary: '综合窗口集成服务', unitId: 'district-zhangdian', cityWide: true },
      new Date(await env.currentTimeMs()),
    );
    const handle = env.client.workflow.getHandle<typeof pilotWorkflow>(pilot.workflowId);
    const v = await handle.query(m.pilotQuery);
    expect(v.state).toBe('PROPOSED');
    expect(v.upwardDueAt).toBe(dueAfter(v.startedAt, p.upwardReportDueAfter).toISOString());
    expect(await hasNotice(pilot.workflowId, 'experience')).toBe(true);
    const told = await deps.db.notice.findUniqueOrThrow({ where: { key: `${pilot.workflowId}:experience` }, include: { recipients: true } });
    expect(told.rule).toBe('第十三条');
    expect(told.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId).sort()).toEqual(['ro-deputy', 'ro-director']);

    await sleepUntil(env, new Date(v.upwardDueAt!).getTime() + HOUR);
    expect((await obligation(pilot.workflowId, 'upward'))).toMatchObject({ status: 'OPEN', unitId: 'reform-office', rule: '第十三条' });
    const refused = await handle.executeUpdate(m.reportUpwardUpdate, { args: [{ actor: admin, to: ['PROVINCIAL'], summary: '报省委改革办' }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toContain('须直接向中央改革办和省委改革办报告');
    await handle.executeUpdate(m.reportUpwardUpdate, { args: [{ actor: admin, to: ['CENTRAL', 'PROVINCIAL'], summary: '报中央和省委改革办' }] });
    expect((await resultInRealTime(env, handle)).reportedTo).toEqual(['CENTRAL', 'PROVINCIAL']);
    expect((await eventually(() => obligation(pilot.workflowId, 'upward'), (o) => o?.status === 'DONE'))?.status).toBe('DONE');
  });
});
