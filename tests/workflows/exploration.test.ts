/**
 * The yearly innovation items (第十二条) on the time-skipping server with the
 * real policy durations, the real activities, the run's PostgreSQL database and
 * the SMTP sink: a whole year from the January call to the year's end, the
 * office's adjustments during tracking, and a year nobody submitted to. Each file's years lie decades ahead of its clock,
 * so no test depends on the day it runs.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPolicy } from '../../common/policy';
import { addRepeated } from '../../common/policy/duration';
import { TASK_QUEUE } from '../../common/taskQueues';
import { explorationWorkflowId } from '../../common/ids';
import { roundDue } from '../../workflows/exploration/duties';
import * as m from '../../workflows/exploration/messages';
import { explorationWorkflow, yearEnd } from '../../workflows/exploration/workflow';
import { found } from '../support/eventually';
import { type TestDeps } from '../support/deps';
import { mailTo } from '../support/mailbox';
import { dueAfter, shanghai, shanghaiYear, sleepUntil } from '../support/testClock';
import { settle } from '../support/scenarios';
import { resultInRealTime, startTimeSkippingWorker, terminateQuietly, type TimeSkippingHarness } from '../support/timeSkipping';

const policy = defaultPolicy;
const p = policy.exploration;
const HOUR = 3600_000;
const zhangdian: m.Actor = { officialId: 'district-zhangdian-deputy', unitId: 'district-zhangdian' };
const health: m.Actor = { officialId: 'dept-health-liaison', unitId: 'dept-health' };
const office: m.Actor = { officialId: 'ro-deputy', unitId: 'reform-office' };
const director: m.Actor = { officialId: 'ro-director', unitId: 'reform-office' };
const groupLeader = (g: string): m.Actor => ({ officialId: `${g}-leader`, unitId: g });

jest.setTimeout(300_000);

describe('innovation items (time-skipping, 第十二条)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  const notice = (workflowId: string, step: string) => found(() => deps.db.notice.findUnique({ where: { key: `${workflowId}:${step}` }, include: { recipients: true } }), step);
  const phaseIs = (h: { query: (q: typeof m.explorationQuery) => Promise<m.ExplorationView> }, phase: string) => found(async () => ((await h.query(m.explorationQuery)).phase === phase ? true : undefined), phase);

  /** 9:00 on 5 January of a year `ahead` years past the clock (the January schedule's time). */
  async function january(ahead: number): Promise<string> {
    const year = shanghaiYear(await env.currentTimeMs()) + ahead;
    await sleepUntil(env, shanghai(year, 1, 5, 9, 0));
    return String(year);
  }

  it('a year: call, group reviews signed (one late, chased), office review, approval and bulletin, monthly reports, chases and comments', async () => {
    const year = await january(30);
    const workflowId = explorationWorkflowId(year);
    const h = await env.client.workflow.start(explorationWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy }] });
    await notice(workflowId, 'call');
    const start = (await h.query(m.explorationQuery)).phases.CALL!;
    // 第十二条(一): the call's deadline is the policy's window from the January notice.
    expect(start.dueAt).toBe(dueAfter(start.startedAt, p.submitWithin).toISOString());
    await found(async () => (await mailTo('district-boshan-deputy@zibo.example.cn')).some((x) => x.subject.includes(`提报${year}年度探索创新改革事项`)), 'the January notice by mail');

    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: zhangdian, title: '一窗受理延伸到村居', summary: '在全区推行政务服务一窗受理。', kind: 'ACHIEVEMENT', groupId: 'sg-economy' }] });
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: zhangdian, title: '社区养老服务站', summary: '亟需统一社区养老服务站的运营标准。', kind: 'PROPOSAL', groupId: 'sg-society' }] });
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: health, title: '医保结算跨区直报', summary: '亟需打通全市医保结算的跨区直报通道。', kind: 'PROPOSAL', groupId: 'sg-society' }] });
    // A special group is not a submitter.
    await expect(h.executeUpdate(m.submitItemUpdate, { args: [{ actor: groupLeader('sg-rural'), title: 'x', summary: 'xxxxxxxxxx', kind: 'PROPOSAL', groupId: 'sg-rural' }] })).rejects.toThrow();

    // The call closes at its deadline: the groups are asked to review; units that never submitted are released.
    await sleepUntil(env, new Date(new Date(start.dueAt!).getTime() + 60_000));
    await phaseIs(h, 'GROUP_REVIEW');
    const review = await notice(workflowId, 'review-request');
    expect(review.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['sg-economy-leader', 'sg-society-leader']));
    const boshan = await deps.db.obligation.findUnique({ where: { key: `${workflowId}:submit:district-boshan` } });
    expect(boshan).toMatchObject({ status: 'CANCELLED', reason: '提报已截止，未提报事项' });
    let v = await h.query(m.explorationQuery);
    const [econ, elderly, claims] = v.items;
    await h.executeUpdate(m.groupReviewUpdate, { args: [{ actor: groupLeader('sg-economy'), groupId: 'sg-economy', decisions: [{ itemId: econ.id, passed: true }] }] });

    // The social group is late: chased once at its deadline, then signs; the office review opens by itself.
    const groupDue = v.phases.GROUP_REVIEW!.dueAt!;
    expect(groupDue).toBe(dueAfter(v.phases.GROUP_REVIEW!.startedAt, p.groupReviewWithin).toISOString());
    await sleepUntil(env, new Date(new Date(groupDue).getTime() + HOUR));
    const chase = await notice(workflowId, 'group-review:sg-society:chase-1');
    expect(chase.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['sg-society-leader']));
    await h.executeUpdate(m.groupReviewUpdate, { args: [{ actor: groupLeader('sg-society'), groupId: 'sg-society', decisions: [{ itemId: elderly.id, passed: false, comment: '已有省级试点' }, { itemId: claims.id, passed: true }] }] });
    await phaseIs(h, 'OFFICE_REVIEW');
    await notice(workflowId, 'office-review-request');

    // The office reviews only what the groups passed; the director approves; the bulletin tells every submitter.
    await expect(h.executeUpdate(m.officeReviewUpdate, { args: [{ actor: office, decisions: [{ itemId: elderly.id, passed: true }] }] })).rejects.toThrow();
    await h.executeUpdate(m.officeReviewUpdate, { args: [{ actor: office, decisions: [{ itemId: econ.id, passed: true }, { itemId: claims.id, passed: true }] }] });
    await notice(workflowId, 'approval-request');
    v = await h.executeUpdate(m.approveItemsUpdate, { args: [{ actor: director, decisions: [{ itemId: econ.id, passed: true }, { itemId: claims.id, passed: true, comment: '先行在张店区、淄川区试点' }] }] });
    expect(v.phase).toBe('TRACKING');
    const approvedAt = v.approvedAt!;
    expect(v.rounds[0]).toEqual({ round: 1, units: ['dept-health', 'district-zhangdian'], ...roundDue(approvedAt, p, 1, defaultPolicy.calendar) });
    const bulletin = await notice(workflowId, 'bulletin');
    expect(bulletin.body).toContain('未通过专项小组初审（已有省级试点）');
    expect(bulletin.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['district-zhangdian-deputy', 'dept-health-liaison']));

    // 一月一汇总: the district reports on time, the department does not and is chased; the next round opens at the due date.
    await h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: zhangdian, round: 1, reports: [{ itemId: econ.id, text: '已覆盖12个村居' }] }] });
    const due1 = v.rounds[0].reportsDueAt;
    await sleepUntil(env, new Date(new Date(due1).getTime() + HOUR));
    await notice(workflowId, 'progress-1:dept-health:chase-1');
    await notice(workflowId, 'round-2');
    expect(await deps.db.notice.findUnique({ where: { key: `${workflowId}:progress-1:district-zhangdian:chase-1` } })).toBeNull();
    // 一月一点评: the office comments; the comment reaches the implementing units.
    await h.executeUpdate(m.commentRoundUpdate, { args: [{ actor: office, round: 1, text: '张店区进展较快。' }] });
    const comment = await notice(workflowId, 'comment-1');
    expect(comment.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['district-zhangdian-deputy', 'dept-health-liaison']));

    // The department is chased up to the policy's limit, then no more.
    await sleepUntil(env, new Date(addRepeated(new Date(due1), p.chaseEvery, p.maxChases).getTime() + HOUR));
    await settle(h);
    const chases = await deps.db.notice.count({ where: { key: { startsWith: `${workflowId}:progress-1:dept-health:chase-` } } });
    expect(chases).toBe(p.maxChases);
    expect(await deps.db.explorationItem.count({ where: { year } })).toBe(3);
    await terminateQuietly(env, workflowId);
  });

  it('approved late in the year: the last round\'s comment closes the year, nothing left open', async () => {
    const year = String(shanghaiYear(await env.currentTimeMs()) + 32);
    await sleepUntil(env, shanghai(Number(year), 11, 2, 9, 0));
    const workflowId = explorationWorkflowId(year);
    const h = await env.client.workflow.start(explorationWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy }] });
    await notice(workflowId, 'call');
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: zhangdian, title: '一窗受理延伸到村居', summary: '在全区推行政务服务一窗受理。', kind: 'ACHIEVEMENT', groupId: 'sg-economy' }] });
    await h.executeUpdate(m.closePhaseUpdate, { args: [{ actor: director, phase: 'CALL', note: '提报单位已报齐' }] });
    const [item] = (await h.query(m.explorationQuery)).items;
    await h.executeUpdate(m.groupReviewUpdate, { args: [{ actor: groupLeader('sg-economy'), groupId: 'sg-economy', decisions: [{ itemId: item.id, passed: true }] }] });
    await phaseIs(h, 'OFFICE_REVIEW');
    await h.executeUpdate(m.officeReviewUpdate, { args: [{ actor: office, decisions: [{ itemId: item.id, passed: true }] }] });
    const v = await h.executeUpdate(m.approveItemsUpdate, { args: [{ actor: director, decisions: [{ itemId: item.id, passed: true }] }] });
    // Round 1 always opens at the approval; round 2 would fall past the year's end, so none opens.
    const r1 = roundDue(v.approvedAt!, p, 1, defaultPolicy.calendar);
    expect(roundDue(v.approvedAt!, p, 2, defaultPolicy.calendar).reportsDueAt > yearEnd(year)).toBe(true);
    await h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: zhangdian, round: 1, reports: [{ itemId: item.id, text: '已完成' }] }] });
    await h.executeUpdate(m.commentRoundUpdate, { args: [{ actor: office, round: 1, text: '按期推进。' }] });
    await sleepUntil(env, new Date(Math.max(Date.parse(yearEnd(year)), Date.parse(r1.commentDueAt)) + HOUR));
    const end = await resultInRealTime(env, h);
    expect(end.phase).toBe('CLOSED');
    expect(end.rounds).toHaveLength(1);
    expect(await deps.db.obligation.count({ where: { workflowId, status: 'OPEN' } })).toBe(0);
    expect((await deps.db.explorationYear.findUniqueOrThrow({ where: { id: year } })).phase).toBe('CLOSED');
  });

  it('第十二条(三): the office withdraws items and adds one during tracking; reports are owed accordingly', async () => {
    const year = await january(33);
    const workflowId = explorationWorkflowId(year);
    const h = await env.client.workflow.start(explorationWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy }] });
    await notice(workflowId, 'call');
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: zhangdian, title: '一窗受理延伸到村居', summary: '在全区推行政务服务一窗受理。', kind: 'ACHIEVEMENT', groupId: 'sg-economy' }] });
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: zhangdian, title: '社区养老服务站', summary: '亟需统一社区养老服务站的运营标准。', kind: 'PROPOSAL', groupId: 'sg-society' }] });
    await h.executeUpdate(m.submitItemUpdate, { args: [{ actor: health, title: '医保结算跨区直报', summary: '亟需打通全市医保结算的跨区直报通道。', kind: 'PROPOSAL', groupId: 'sg-society' }] });
    await h.executeUpdate(m.closePhaseUpdate, { args: [{ actor: director, phase: 'CALL' }] });
    const [econ, elderly, claims] = (await h.query(m.explorationQuery)).items;
    await phaseIs(h, 'GROUP_REVIEW');
    await h.executeUpdate(m.groupReviewUpdate, { args: [{ actor: groupLeader('sg-economy'), groupId: 'sg-economy', decisions: [{ itemId: econ.id, passed: true }] }] });
    await h.executeUpdate(m.groupReviewUpdate, { args: [{ actor: groupLeader('sg-society'), groupId: 'sg-society', decisions: [{ itemId: elderly.id, passed: true }, { itemId: claims.id, passed: true }] }] });
    await phaseIs(h, 'OFFICE_REVIEW');
    const all = [econ, elderly, claims].map((i) => ({ itemId: i.id, passed: true }));
    // Not before tracking.
    const adjust = (a: Partial<m.AdjustItemsArgs>) => h.executeUpdate(m.adjustItemsUpdate, { args: [{ actor: office, add: [], withdraw: [], reason: '根据实施情况调整', ...a }] });
    await expect(adjust({ withdraw: [claims.id] })).rejects.toMatchObject({ cause: { message: '当前阶段为“市委改革办复审”，不是“追踪实施”' } });
    await h.executeUpdate(m.officeReviewUpdate, { args: [{ actor: office, decisions: all }] });
    let v = await h.executeUpdate(m.approveItemsUpdate, { args: [{ actor: director, decisions: all }] });
    const due1 = v.rounds[0].reportsDueAt;

    // The district reports round 1 on both its items; then the office withdraws the department's item (not
    // reported: owed no more from round 1) and one of the district's (reported: from round 2), and adds one for 博山.
    await h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: zhangdian, round: 1, reports: [econ, elderly].map((i) => ({ itemId: i.id, text: '按计划推进' })) }] });
    const boshanItem = { unitId: 'district-boshan', title: '矿区生态修复市场化', summary: '引入社会资本参与矿区生态修复。', kind: 'ACHIEVEMENT' as const, groupId: 'sg-economy' };
    await expect(adjust({ add: [{ ...boshanItem, groupId: 'district-boshan' }] })).rejects.toMatchObject({ cause: { message: '“district-boshan”不是市专项小组' } });
    v = await adjust({ add: [boshanItem], withdraw: [claims.id, elderly.id] });
    const byId = Object.fromEntries(v.items.map((i) => [i.id, i]));
    const added = v.items.find((i) => i.unitId === 'district-boshan')!;
    expect([byId[claims.id].withdrawn?.round, byId[elderly.id].withdrawn?.round, added.added?.round, added.approval?.passed]).toEqual([1, 2, 2, true]);
    const [adjustment] = await found(async () => {
      const rows = await deps.db.notice.findMany({ where: { key: { startsWith: `${workflowId}:adjustment-` } }, include: { recipients: true } });
      return rows.length ? rows : undefined;
    }, 'the adjustment notice');
    expect(adjustment.title).toBe(`【调整】${year}年度探索创新改革事项`);
    expect(adjustment.body).toContain('根据实施情况调整');
    expect(adjustment.body).toContain('矿区生态修复市场化（探索创新性成果，博山区提报，');
    expect(adjustment.body).toContain('补充，自第2次月度汇总起报送进展');
    expect(adjustment.body).toContain('撤销，自第1次月度汇总起不再报送进展');
    expect(adjustment.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['dept-health-liaison', 'district-boshan-deputy', 'district-zhangdian-deputy']));
    await expect(adjust({ withdraw: [claims.id] })).rejects.toMatchObject({ cause: { message: `${claims.id}已撤销` } });
    // 博山 owes nothing in round 1; the department's round-1 report is released, not chased.
    await expect(h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: { officialId: 'district-boshan-deputy', unitId: 'district-boshan' }, round: 1, reports: [{ itemId: added.id, text: '启动' }] }] })).rejects.toMatchObject({ cause: { message: '本单位第1次月度汇总没有需报送进展的探索创新改革事项' } });
    await found(async () => (await deps.db.obligation.findUnique({ where: { key: `${workflowId}:progress-1:dept-health` } }))?.status === 'CANCELLED', 'the released report');

    await sleepUntil(env, new Date(new Date(due1).getTime() + HOUR));
    const round2 = await notice(workflowId, 'round-2');
    expect(round2.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['district-boshan-deputy', 'district-zhangdian-deputy']));
    expect(round2.recipients.map((r) => r.officialId)).not.toContain('dept-health-liaison');
    expect([round2.body.includes(econ.title), round2.body.includes(added.title), round2.body.includes(elderly.title)]).toEqual([true, true, false]);
    expect(await deps.db.notice.findUnique({ where: { key: `${workflowId}:progress-1:dept-health:chase-1` } })).toBeNull();
    v = await h.query(m.explorationQuery);
    expect(v.rounds[1].units).toEqual(['district-boshan', 'district-zhangdian']);
    // Round 2: the district reports its one remaining item, 博山 its new one.
    await h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: zhangdian, round: 2, reports: [{ itemId: econ.id, text: '已覆盖30个村居' }] }] });
    await h.executeUpdate(m.reportProgressUpdate, { args: [{ actor: { officialId: 'district-boshan-deputy', unitId: 'district-boshan' }, round: 2, reports: [{ itemId: added.id, text: '完成招标' }] }] });
    await settle(h);
    const owed = await deps.db.obligation.findMany({ where: { workflowId, key: { contains: ':progress-2:' } }, orderBy: { key: 'asc' } });
    expect(owed.map((o) => [o.unitId, o.status])).toEqual([
      ['district-boshan', 'DONE'],
      ['district-zhangdian', 'DONE'],
    ]);
    const rows = await deps.db.explorationItem.findMany({ where: { year }, orderBy: { itemId: 'asc' } });
    expect(rows.map((r) => [r.itemId, (r.added as { round: number } | null)?.round ?? null, (r.withdrawn as { round: number } | null)?.round ?? null])).toEqual([
      [econ.id, null, null],
      [elderly.id, null, 2],
      [claims.id, null, 1],
      [added.id, 2, null],
    ]);
    await terminateQuietly(env, workflowId);
  });

  it('a year nobody submitted to closes when its call does, every submission released', async () => {
    const year = await january(31);
    const workflowId = explorationWorkflowId(year);
    const h = await env.client.workflow.start(explorationWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [{ version: 1, year, policy }] });
    await notice(workflowId, 'call');
    const due = (await h.query(m.explorationQuery)).phases.CALL!.dueAt!;
    await sleepUntil(env, new Date(new Date(due).getTime() + 60_000));
    const end = await resultInRealTime(env, h);
    expect(end.phase).toBe('CLOSED');
    expect(end.closedAt! >= due).toBe(true);
    const open = await deps.db.obligation.count({ where: { workflowId, status: 'OPEN' } });
    expect(open).toBe(0);
    // One reminder before the deadline went to every unit that had not submitted: all of them.
    const reminder = await notice(workflowId, 'call:reminder-0');
    expect(reminder.recipients.map((r) => r.officialId)).toEqual(expect.arrayContaining(['district-zhangdian-deputy', 'dept-health-liaison']));
  });
});
