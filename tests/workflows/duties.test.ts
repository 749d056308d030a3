/**
 * The standing duties (第十五条(一)(二), 第十七条(二)) on the time-skipping server
 * with the real policy durations, the real activities, the run's PostgreSQL
 * database and the SMTP sink: a whole year — weeks with every medium's piece
 * reported (no chase) and weeks with media missing (chased once, recorded as
 * missed), the brochure reminded at December's start with the year's selected
 * experiences and recorded in December, the university class never held
 * (reminded in the autumn, chased after its deadline), then the year closes.
 * The year lies decades ahead of the clock, so no test depends on the day it runs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPolicy } from '../../common/policy';
import { deadlineOn, type CalendarPolicy } from '../../common/policy/calendar';
import { dutiesWorkflowId } from '../../common/ids';
import { TASK_QUEUE } from '../../common/taskQueues';
import { calendarChangedSignal } from '../../workflows/calendar';
import { chaseAt } from '../../workflows/standingDuties/duties';
import * as m from '../../workflows/standingDuties/messages';
import { addDays, weekReportDue, weeksOfYear, yearlyDue } from '../../workflows/standingDuties/state';
import { standingDutiesWorkflow } from '../../workflows/standingDuties/workflow';
import type { TestDeps } from '../support/deps';
import { eventually } from '../support/eventually';
import { expectRecordsMatch } from '../support/records';
import { settle } from '../support/scenarios';
import { shanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { resultInRealTime, startTimeSkippingWorker, terminateQuietly, type TimeSkippingHarness } from '../support/timeSkipping';

const p = defaultPolicy.duties;
const cal = defaultPolicy.calendar;
const HOUR = 3600_000;
const office: m.Actor = { officialId: 'ro-deputy', unitId: 'reform-office' };
const propaganda: m.Actor = { officialId: 'dept-propaganda-liaison', unitId: 'dept-propaganda' };

jest.setTimeout(900_000);

describe('standing duties (time-skipping, 第十五条(一)(二), 第十七条(二))', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  const noticeKeys = async (workflowId: string) => (await deps.db.notice.findMany({ where: { workflowId }, select: { key: true } })).map((n) => n.key.slice(workflowId.length + 1));
  const notice = async (workflowId: string, step: string) => {
    await eventually(async () => (await noticeKeys(workflowId)).includes(step));
    return deps.db.notice.findUniqueOrThrow({ where: { key: `${workflowId}:${step}` }, include: { recipients: true } });
  };
  const to = (n: { recipients: Array<{ officialId: string; role: string }> }) => n.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId);
  const all = (publishedOn: string, except: string[] = []) => p.media.filter((x) => !except.includes(x.id)).map((x) => ({ mediumId: x.id, title: `${x.name}：深化改革惠民生`, publishedOn, issue: '第1版' }));

  it('a year: weeks met and missed (chased once), the December brochure reminded and recorded, no university class → chased; the year closes', async () => {
    const year = shanghaiYear(await env.currentTimeMs()) + 41;
    const workflowId = dutiesWorkflowId(year);
    const weeks = weeksOfYear(year);
    const [w1, w2] = weeks;
    // 第十五条(二): the brochure presents the year's selected experiences (the selection family's records).
    const selectionId = `${year}-H1`;
    await deps.db.innovationSelection.create({ data: { id: selectionId, workflowId: `selection:${selectionId}`, phase: 'APPROVED', policyVersion: 'test' } });
    await deps.db.innovationCandidate.create({
      data: { id: `${selectionId}-c1`, selectionId, unitId: 'district-zhangdian', title: '“一窗受理”集成服务改革', summary: '集成服务', material: [], leadUnitId: 'dept-approval', submittedBy: 'district-zhangdian-deputy', submittedAt: new Date(), approved: true, finalRank: 1 },
    });

    await sleepUntil(env, shanghai(year, 1, 1));
    const h = await env.client.workflow.start(standingDutiesWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: defaultPolicy }] });
    let v = await h.executeUpdate(m.dutiesReadyUpdate);
    expect(v.media.map((x) => x.id)).toEqual(p.media.map((x) => x.id));
    expect(v.training.dueAt).toBe(yearlyDue(year, p.training.dueBy, cal));

    // Week 1: every medium but the radio. A piece dated in the future, or of a medium not listed, is refused.
    await sleepUntil(env, shanghai(year, Number(w1.slice(5, 7)), Number(w1.slice(8)), 12));
    await expect(h.executeUpdate(m.reportPiecesUpdate, { args: [{ actor: propaganda, pieces: all(addDays(w1, 3)) }] })).rejects.toMatchObject({ cause: { message: expect.stringContaining('尚未到来') } });
    await expect(h.executeUpdate(m.reportPiecesUpdate, { args: [{ actor: propaganda, pieces: [{ mediumId: 'no-such', title: 'x', publishedOn: w1, issue: '1' }] }] })).rejects.toMatchObject({ cause: { message: '“no-such”不在本年度媒体名单中' } });
    v = await h.executeUpdate(m.reportPiecesUpdate, { args: [{ actor: propaganda, pieces: all(w1, ['zibo-radio']) }] });
    expect(v.pieces).toHaveLength(p.media.length - 1);
    await expect(h.executeUpdate(m.reportPiecesUpdate, { args: [{ actor: propaganda, pieces: all(w1).slice(0, 1) }] })).rejects.toMatchObject({ cause: { message: expect.stringContaining('已报送') } });

    // Its deadline passes: the radio is chased once, to the propaganda department's responsible officials, and recorded as missed.
    const w1Due = weekReportDue(w1, p.weeklyReportDay, cal);
    await sleepUntil(env, chaseAt(w1Due, p) + HOUR);
    const chase = await notice(workflowId, `week-${w1}:chase`);
    expect(to(chase)).toEqual(expect.arrayContaining(['dept-propaganda-liaison', 'dept-propaganda-leader']));
    expect(chase.recipients.map((r) => r.officialId)).toContain('dept-propaganda-head');
    expect(chase.body).toContain('第十五条（一）');
    expect(chase.body).toContain('淄博人民广播电台');
    expect(chase.body).not.toContain('淄博日报');
    v = await h.query(m.dutiesQuery);
    expect(v.weeks[0]).toMatchObject({ monday: w1, missed: ['zibo-radio'] });
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:week-${w1}:zibo-daily` } })).status).toBe('DONE');
    expect(await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:week-${w1}:zibo-radio` } })).toMatchObject({ status: 'CANCELLED', reason: '当周未报送刊播稿件，已催办，记为未完成' });

    // Week 2: every medium in time → no chase.
    await sleepUntil(env, shanghai(year, Number(w2.slice(5, 7)), Number(w2.slice(8)), 12));
    await h.executeUpdate(m.reportPiecesUpdate, { args: [{ actor: propaganda, pieces: all(addDays(w2, 0)) }] });
    v = await h.query(m.dutiesQuery);
    expect(v.pieces.filter((x) => x.week === w2)).toHaveLength(p.media.length);
    await sleepUntil(env, chaseAt(weekReportDue(w2, p.weeklyReportDay, cal), p) + HOUR);
    await settle(h);
    expect((await noticeKeys(workflowId)).filter((k) => k.startsWith(`week-${w2}`))).toEqual([]);
    expect((await h.query(m.dutiesQuery)).weeks[1]).toMatchObject({ monday: w2, missed: [] });

    // 第十七条(二): the autumn reminder of the university class.
    await sleepUntil(env, Date.parse(v.training.remindAt) + HOUR);
    expect((await notice(workflowId, 'training:reminder')).body).toContain('第十七条（二）');

    // 第十五条(二): December's reminder lists the year's selected experiences.
    await sleepUntil(env, Date.parse(v.brochure.remindAt) + HOUR);
    const brochureReminder = await notice(workflowId, 'brochure:reminder');
    expect(brochureReminder.body).toContain('“一窗受理”集成服务改革');
    expect(to(brochureReminder)).toEqual(expect.arrayContaining(['ro-director', 'ro-deputy']));
    expect((await h.query(m.dutiesQuery)).brochure.experiences.map((e) => e.id)).toEqual([`${selectionId}-c1`]);

    // The class was never held: chased after its deadline.
    await sleepUntil(env, chaseAt(v.training.dueAt, p) + HOUR);
    const trainingChase = await notice(workflowId, 'training:chase');
    expect(trainingChase.body).toContain('尚未登记举办');
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:training` } })).status).toBe('OPEN');

    // The brochure distributed on 10 December: a date outside December is refused, and a second distribution.
    await sleepUntil(env, shanghai(year, 12, 10, 15));
    const distribution = { actor: office, copies: 5000, places: ['淄博市民中心', '人民公园'] };
    await expect(h.executeUpdate(m.distributeBrochureUpdate, { args: [{ ...distribution, distributedOn: `${year}-11-30` }] })).rejects.toMatchObject({ cause: { message: `宣传册须于${year}年12月份集中发放（第十五条（二））` } });
    v = await h.executeUpdate(m.distributeBrochureUpdate, { args: [{ ...distribution, distributedOn: `${year}-12-10` }] });
    expect(v.brochure.distribution).toMatchObject({ on: `${year}-12-10`, copies: 5000 });
    await expect(h.executeUpdate(m.distributeBrochureUpdate, { args: [{ ...distribution, distributedOn: `${year}-12-10` }] })).rejects.toMatchObject({ cause: { message: `${year}年度宣传册已于${year}-12-10发放` } });
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:brochure` } })).status).toBe('DONE');

    // The year closes after its last week's chase: every week begun and chased, no brochure chase.
    await sleepUntil(env, Date.parse(v.closesAt) + HOUR);
    const end: m.DutiesView = await resultInRealTime(env, h);
    expect(end.phase).toBe('CLOSED');
    expect(end.weeks.map((w) => w.monday)).toEqual(weeks);
    expect(end.weeks.every((w) => w.chasedAt)).toBe(true);
    expect(end.weeks.slice(2).every((w) => w.missed.length === p.media.length)).toBe(true);
    const keys = await noticeKeys(workflowId);
    expect(keys).not.toContain('brochure:chase');
    expect(keys.filter((k) => k.endsWith(':chase') && k.startsWith('week-'))).toHaveLength(weeks.length - 1);
    expect(await deps.db.obligation.count({ where: { workflowId, status: 'OPEN' } })).toBe(0);
    expect((await deps.db.obligation.findUniqueOrThrow({ where: { key: `${workflowId}:training` } })).status).toBe('CANCELLED');
    await expectRecordsMatch(deps.db, env.client, [workflowId]);
    const row = await deps.db.dutiesYear.findUniqueOrThrow({ where: { id: String(year) } });
    expect(row.phase).toBe('CLOSED');
  });

  it('a new calendar moves the begun weeks\' report deadlines not yet reached (a holiday on the reporting day)', async () => {
    const year = shanghaiYear(await env.currentTimeMs()) + 42;
    const workflowId = dutiesWorkflowId(year);
    const [w1] = weeksOfYear(year);
    await sleepUntil(env, shanghai(year, Number(w1.slice(5, 7)), Number(w1.slice(8)), 1));
    const h = await env.client.workflow.start(standingDutiesWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: defaultPolicy }] });
    const before = await h.executeUpdate(m.dutiesReadyUpdate);
    expect(before.weeks.map((w) => w.monday)).toEqual([w1]);
    const reportDay = addDays(w1, 6 + p.weeklyReportDay);
    expect(before.weeks[0].dueAt).toBe(deadlineOn(cal, reportDay).at);
    const published: CalendarPolicy = { ...cal, shift: 'HOLIDAYS', version: `test-duties-${year}`, years: { ...cal.years, [String(year)]: { holidays: [{ name: '测试假日', from: reportDay, to: reportDay }], workdays: [] } } };
    await h.signal(calendarChangedSignal, { calendar: published });
    const after = await eventually(() => h.query(m.dutiesQuery), (v) => v.weeks[0].dueAt !== before.weeks[0].dueAt);
    expect(after.weeks[0].dueAt).toBe(deadlineOn(published, reportDay).at);
    expect(Date.parse(after.weeks[0].dueAt)).toBeGreaterThan(Date.parse(before.weeks[0].dueAt));
    await eventually(() => deps.db.workflowEvent.findMany({ where: { workflowId, step: `calendarChanged:${published.version}` } }), (e) => e.length === 1);
    await expectRecordsMatch(deps.db, env.client, [workflowId]);
    await terminateQuietly(env, workflowId);
  });

  it('continue-as-new: a year resumed from its carried state keeps its weeks and revision and repeats no chase', async () => {
    const year = shanghaiYear(await env.currentTimeMs()) + 43;
    const workflowId = dutiesWorkflowId(year);
    const [w1, w2] = weeksOfYear(year);
    await sleepUntil(env, shanghai(year, 1, 1));
    const h = await env.client.workflow.start(standingDutiesWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: defaultPolicy }] });
    await h.executeUpdate(m.dutiesReadyUpdate);
    await sleepUntil(env, chaseAt(weekReportDue(w1, p.weeklyReportDay, cal), p) + HOUR);
    await notice(workflowId, `week-${w1}:chase`);
    await settle(h);
    const before = await h.query(m.dutiesQuery);
    await terminateQuietly(env, workflowId);
    const { year: _y, policyVersion: _v, ...state } = before;
    const carried: m.DutiesCarried = { ...state, seq: before.pieces.length + before.trainings.length, fired: [] };
    const resumed = await env.client.workflow.start(standingDutiesWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy: defaultPolicy, carried }] });
    await sleepUntil(env, chaseAt(weekReportDue(w2, p.weeklyReportDay, cal), p) + HOUR);
    await notice(workflowId, `week-${w2}:chase`);
    await settle(resumed);
    const v = await resumed.query(m.dutiesQuery);
    expect(v.startedAt).toBe(before.startedAt);
    expect(v.weeks.slice(0, 2).map((w) => [w.monday, w.missed.length])).toEqual([[w1, p.media.length], [w2, p.media.length]]);
    expect(v.revision).toBeGreaterThan(before.revision);
    expect(await deps.db.notice.count({ where: { workflowId, key: `${workflowId}:week-${w1}:chase` } })).toBe(1);
    expect(await deps.db.workflowEvent.count({ where: { workflowId, step: 'start' } })).toBe(1);
    await expectRecordsMatch(deps.db, env.client, [workflowId]);
    await terminateQuietly(env, workflowId);
  });
});
