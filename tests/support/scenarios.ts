/**
 * Scenarios of every workflow family and branch, driven on the time-skipping
 * server with the real activities: the shared steps the time-skipping tests
 * take, and the runs scripts/record-histories.ts records into the replay
 * corpus (tests/replay/histories). One module, so a test and its recorded
 * history walk the same path.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerDocument } from '../../api/documentArrival';
import { registerSuperiorMeeting } from '../../api/meetingArrival';
import type { Db } from '../../common/db';
import { cycleWorkflowId } from '../../common/ids';
import { defaultPolicy } from '../../common/policy';
import { TASK_QUEUE } from '../../common/taskQueues';
import * as cm from '../../workflows/cycle/messages';
import { monthEnd, monthStart, shanghaiMonth } from '../../workflows/cycle/state';
import { cycleWorkflow } from '../../workflows/cycle/workflow';
import * as dm from '../../workflows/document/messages';
import * as xm from '../../workflows/exploration/messages';
import { explorationWorkflow } from '../../workflows/exploration/workflow';
import { rolloutWorkflowId, selectionWorkflowId } from '../../workflows/innovation/ids';
import * as im from '../../workflows/innovation/messages';
import { rolloutWorkflow } from '../../workflows/innovation/rollout';
import { selectionWorkflow } from '../../workflows/innovation/selection';
import * as mm from '../../workflows/meeting/messages';
import { sleepUntil } from './testClock';
import { resultInRealTime } from './timeSkipping';

/** The month after `month` ("YYYY-MM"). */
const nextMonth = (month: string) => shanghaiMonth(monthEnd(month));

const DAY = 24 * 3600_000;
export const lead: dm.Actor = { officialId: 'dept-health-liaison', unitId: 'dept-health' };
export const admin: dm.Actor = { officialId: 'ro-director', unitId: 'reform-office' };
export const leader: im.Actor = { officialId: 'city-deputy-secretary', unitId: 'leading-group' };
export const districtActor = (d: string): im.Actor => ({ officialId: `${d}-deputy`, unitId: d });
export const districtDirector = (d: string): im.Actor => ({ officialId: `${d}-director`, unitId: d });
const DISTRICTS = ['district-zhangdian', 'district-zichuan', 'district-boshan'];

export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  deps: { db: Db };
  /** A suffix unique to this recording, so ids never collide with an earlier one. */
  tag: string;
}

/** Waits (real time) until the workflow has no task or activity in flight. */
export async function settle(handle: WorkflowHandle): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const d = await handle.describe();
    const raw = d.raw as { pendingActivities?: unknown[]; pendingWorkflowTask?: unknown };
    if (!raw.pendingActivities?.length && !raw.pendingWorkflowTask) return;
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not settle`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function arrive(c: ScenarioContext, level: 'CENTRAL' | 'PROVINCIAL', extra: Partial<Parameters<typeof registerDocument>[2]> = {}) {
  const docNumber = extra.docNumber ?? `${level === 'CENTRAL' ? '中发' : '鲁发'}〔2026〕${c.tag}${Math.floor(Math.random() * 1e6)}号`;
  const { document } = await registerDocument(c.deps.db, c.env.client, {
    level,
    title: `回放样本 ${docNumber}`,
    docNumber,
    // Issued as it arrives: the month (第五条（三）) counts from the workflow's own clock.
    issuedAt: new Date(await c.env.currentTimeMs()).toISOString(),
    leadUnitId: 'dept-health',
    participantUnitIds: ['dept-finance'],
    ...extra,
  });
  const handle = c.env.client.workflow.getHandle(document.workflowId);
  await settle(handle);
  return handle;
}

/** A rollout's input as the selection would start it: led by 市卫健委, its city leader in charge. */
export function rolloutInput(rolloutId: string, districtIds: string[], townshipApplies = true, selectionId = 'test'): im.RolloutInput {
  return {
    version: 1,
    rolloutId,
    selectionId,
    candidateId: `cand-${rolloutId}`,
    title: `推广经验${rolloutId}`,
    leadUnitId: 'dept-health',
    leaderInChargeId: leader.officialId,
    districtIds,
    townshipApplies,
    opinion: { docNumber: `淄改办发〔2026〕${rolloutId}号`, title: '关于推广创新改革经验的实施意见' },
    policy: defaultPolicy,
  };
}

/**
 * A provincial document walked to issuance (第五条): signed, its ledger with two tasks opened, the draft
 * returned once by the legal review and passed the second time, the meeting, the adoption, issued.
 */
export async function walkToIssuance(h: WorkflowHandle, tag: string): Promise<dm.DocumentView> {
  const u = <A,>(def: UpdateDefinition<dm.DocumentView, [A]>, arg: A) => h.executeUpdate(def, { args: [arg] });
  await u(dm.acknowledgeUpdate, { actor: lead });
  await u(dm.openLedgerUpdate, {
    actor: lead,
    leadLeaderId: 'dept-health-leader',
    draftingUnitId: 'dept-health',
    timeline: [{ milestone: '完成初稿', dueAt: '2026-12-05' }],
    tasks: [
      { title: '制定医保支付方式改革细则', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: '2027-03-31' },
      { title: '测算财政补助资金', unitId: 'dept-finance', ownerId: 'dept-finance-liaison', dueAt: '2027-02-28' },
    ],
  });
  await u(dm.submitDraftUpdate, { actor: lead });
  // A returned draft goes back to drafting (第五条 review chain).
  const returned = await u(dm.legalReviewUpdate, { actor: admin, approved: false, note: '需补充法律依据' });
  if (returned.state !== 'DRAFTING') throw new Error(`a returned draft left the document ${returned.state}`);
  await u(dm.submitDraftUpdate, { actor: lead });
  await u(dm.legalReviewUpdate, { actor: admin, approved: true });
  await u(dm.executiveMeetingUpdate, { actor: admin, approved: true });
  await u(dm.adoptionUpdate, { actor: admin, approved: true });
  return u(dm.issuanceUpdate, { actor: lead, municipalDocNumber: `淄发〔2026〕${tag}号`, municipalTitle: '淄博市贯彻落实意见', districtIds: ['district-zhangdian', 'district-zichuan'] });
}

/** 印发到区县: each district acknowledges the municipal document (as its own official). */
export async function acknowledgeDistribution(h: WorkflowHandle, districtIds: string[]): Promise<dm.DocumentView> {
  let view = await h.query(dm.stateQuery);
  for (const districtId of districtIds) {
    view = await h.executeUpdate(dm.acknowledgeDistributionUpdate, { args: [{ actor: districtActor(districtId), districtId }] });
  }
  return view;
}

type Scenario = (c: ScenarioContext) => Promise<WorkflowHandle[]>;

/** name → scenario; each returns the handles whose histories are kept (file name = scenario[-i]). */
export const SCENARIOS: Record<string, Scenario> = {
  // 第五条: reminder, chase at three weeks, order at one month, weekly follow-ups (with escalation).
  'doc-chase-order-followup': async (c) => {
    const h = await arrive(c, 'PROVINCIAL');
    for (const days of [19, 3, 10, 7, 7]) {
      await c.env.sleep(days * DAY);
      await settle(h);
    }
    return [h];
  },
  // Every step to COMPLETED: returned draft, reviews, issuance, monthly ledger dispatch, tasks closed.
  'doc-completed': async (c) => {
    const h = await arrive(c, 'PROVINCIAL');
    const u = <A,>(def: UpdateDefinition<dm.DocumentView, [A]>, arg: A) => h.executeUpdate(def, { args: [arg] });
    await u(dm.reassignUpdate, { actor: admin, target: 'document', toOfficialIds: ['dept-health-drafter'], note: '调整联络人' });
    const issued = await walkToIssuance(h, c.tag);
    await acknowledgeDistribution(h, ['district-zhangdian', 'district-zichuan']);
    await u(dm.addLedgerTaskUpdate, { actor: lead, title: '补充任务', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: '2027-04-30' });
    await u(dm.ledgerProgressUpdate, { actor: lead, taskId: issued.tasks[0].id, note: '进展顺利' });
    await c.env.sleep(31 * DAY);
    await settle(h);
    const open = (await h.query(dm.stateQuery)).tasks.filter((t) => t.status === 'OPEN');
    for (const t of open) await u(dm.closeLedgerTaskUpdate, { actor: lead, taskId: t.id, note: '已完成' });
    await resultInRealTime(c.env, h);
    return [h];
  },
  // A manual chase by the reform office, then exemption ends everything.
  'doc-manual-chase-exempt': async (c) => {
    const h = await arrive(c, 'PROVINCIAL');
    await c.env.sleep(5 * DAY);
    await h.executeUpdate(dm.manualChaseUpdate, { args: [{ actor: admin, obligation: 'draft', note: '请加快进度' }] });
    await h.executeUpdate(dm.exemptionUpdate, { args: [{ actor: admin, reason: '省级文件直接适用，无须市级配套' }] });
    await resultInRealTime(c.env, h);
    return [h];
  },
  // CENTRAL first (提示单), then its PROVINCIAL document links it; and PROVINCIAL first, CENTRAL arrives linked.
  'doc-central-linked': async (c) => {
    const central = await arrive(c, 'CENTRAL');
    await c.env.sleep(DAY);
    const provincial = await arrive(c, 'PROVINCIAL', { implementsDocNumber: (await central.query(dm.stateQuery)).docNumber });
    await resultInRealTime(c.env, central);
    const centralNumber = `中发〔2026〕${c.tag}${Math.floor(Math.random() * 1e6)}号`;
    await arrive(c, 'PROVINCIAL', { implementsDocNumber: centralNumber });
    const c2 = await arrive(c, 'CENTRAL', { docNumber: centralNumber, title: '中央文件' });
    await resultInRealTime(c.env, c2);
    await settle(provincial);
    return [central, provincial, c2];
  },
  // The three arrivals as one activity each (record-arrival patch): the 交办单, the 提示单, and the
  // request for a lead unit, after which the reform office names one and the 交办单 follows.
  'doc-record-arrival': async (c) => {
    const assigned = await arrive(c, 'PROVINCIAL');
    const prompted = await arrive(c, 'CENTRAL');
    const leadless = await arrive(c, 'PROVINCIAL', { leadUnitId: undefined });
    await leadless.executeUpdate(dm.assignLeadUpdate, { args: [{ actor: admin, leadUnitId: 'dept-health' }] });
    await c.env.sleep(3 * DAY);
    for (const h of [assigned, prompted, leadless]) await settle(h);
    return [assigned, prompted, leadless];
  },
  // 六个一 month from its 1st: dispatch, one report, reminders and chases of the rest, the ranking, the
  // diagnosis visit and its chases.
  'cycle-month': async (c) => {
    const month = nextMonth(shanghaiMonth(new Date(await c.env.currentTimeMs())));
    await sleepUntil(c.env, monthStart(month));
    // A workflow id of our own so a re-recording never meets an earlier run.
    const h = await c.env.client.workflow.start(cycleWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: `${cycleWorkflowId(month)}-${c.tag}`,
      args: [{ version: 1, month, policy: defaultPolicy, seed: `seed-${c.tag}` }],
    });
    await h.executeUpdate(cm.cycleReadyUpdate);
    const unitId = DISTRICTS[0];
    await h.executeUpdate(cm.submitReportUpdate, {
      args: [{ actor: { officialId: `${unitId}-liaison`, unitId }, unitId, summary: '本月改革任务按计划推进', items: [{ taskCode: 'T1', progress: '已完成阶段目标', status: 'ON_TRACK' }] }],
    });
    for (let i = 0; i < 5; i++) {
      await c.env.sleep(10 * DAY);
      await settle(h);
    }
    return [h];
  },
  // 第十四条 selection: call with candidates, the call's deadline, then the voting rounds time out.
  'innovation-selection': async (c) => {
    const selectionId = `${2100 + Math.floor(Math.random() * 800)}-H1`;
    const h = await c.env.client.workflow.start(selectionWorkflow, { taskQueue: TASK_QUEUE, workflowId: selectionWorkflowId(selectionId), args: [{ version: 1, selectionId, policy: defaultPolicy }] });
    await h.executeUpdate(im.selectionReadyUpdate);
    for (const d of DISTRICTS) {
      await h.executeUpdate(im.submitCandidateUpdate, {
        args: [{ actor: districtActor(d), title: `${d}经验`, summary: '经验做法和成效简介', material: [{ name: '经验材料', text: '……' }], leadUnitId: 'dept-health', townshipApplies: true }],
      });
    }
    for (let i = 0; i < 6; i++) {
      await c.env.sleep(15 * DAY);
      await settle(h);
    }
    await h.terminate('recorded');
    return [h];
  },
  // 第十四条 rollout: plans and meetings on time for one district, another idle and chased.
  'innovation-rollout': async (c) => {
    const rolloutId = `R${c.tag}`;
    const input = rolloutInput(rolloutId, DISTRICTS.slice(0, 2), true, 'replay');
    const h = await c.env.client.workflow.start(rolloutWorkflow, { taskQueue: TASK_QUEUE, workflowId: rolloutWorkflowId(rolloutId), args: [input] });
    await settle(h);
    await c.env.sleep(2 * DAY);
    await h.executeUpdate(im.submitLeadPlanUpdate, { args: [{ actor: lead, docNumber: '淄卫发〔2026〕1号', title: '实施方案' }] });
    await h.executeUpdate(im.approveLeadPlanUpdate, { args: [{ actor: leader, approved: true }] });
    await h.executeUpdate(im.recordMeetingUpdate, { args: [{ actor: lead, heldAt: new Date(await c.env.currentTimeMs()).toISOString(), place: '市委会议室' }] });
    const d = DISTRICTS[0];
    await h.executeUpdate(im.submitDistrictPlanUpdate, { args: [{ actor: districtActor(d), districtId: d, opinionTitle: '实施意见', planTitle: '实施方案' }] });
    await h.executeUpdate(im.approveDistrictPlanUpdate, { args: [{ actor: districtDirector(d), districtId: d, approved: true }] });
    await h.executeUpdate(im.reportTownshipsUpdate, { args: [{ actor: districtActor(d), districtId: d, townshipIds: [`${d}-t1`, `${d}-t2`] }] });
    await h.executeUpdate(im.recordMeetingUpdate, { args: [{ actor: districtActor(d), districtId: d, heldAt: new Date(await c.env.currentTimeMs()).toISOString() }] });
    for (let i = 0; i < 6; i++) {
      await c.env.sleep(15 * DAY);
      await settle(h);
    }
    await h.terminate('recorded');
    return [h];
  },
  // 第三条, 第四条(一): a central meeting, taken over by a provincial one; one body's first item misses it
  // (the office is alerted), another conveys it; the rest are reminded and chased.
  // 第十二条: a year's call with two items, the call's close, both groups' signed reviews, the office's review,
  // the director's approval and bulletin, one month's report, then the next round with its reminders and chases.
  'exploration-year': async (c) => {
    const year = String(2200 + Math.floor(Math.random() * 700));
    const h = await c.env.client.workflow.start(explorationWorkflow, { taskQueue: TASK_QUEUE, workflowId: `exploration:${year}-${c.tag}`, args: [{ version: 1, year, policy: defaultPolicy }] });
    const u = <A,>(def: UpdateDefinition<xm.ExplorationView, [A]>, arg: A) => h.executeUpdate(def, { args: [arg] });
    await h.executeUpdate(xm.explorationReadyUpdate);
    const [a, b] = DISTRICTS;
    await u(xm.submitItemUpdate, { actor: districtActor(a), title: '一窗受理', summary: '政务服务一窗受理', kind: 'ACHIEVEMENT', groupId: 'sg-economy' });
    await u(xm.submitItemUpdate, { actor: districtActor(b), title: '养老服务站', summary: '统一养老服务站标准', kind: 'PROPOSAL', groupId: 'sg-society' });
    await c.env.sleep(32 * DAY);
    await settle(h);
    const [i1, i2] = (await h.query(xm.explorationQuery)).items;
    await u(xm.groupReviewUpdate, { actor: { officialId: 'sg-economy-leader', unitId: 'sg-economy' }, groupId: 'sg-economy', decisions: [{ itemId: i1.id, passed: true }] });
    await u(xm.groupReviewUpdate, { actor: { officialId: 'sg-society-leader', unitId: 'sg-society' }, groupId: 'sg-society', decisions: [{ itemId: i2.id, passed: true }] });
    await settle(h);
    await u(xm.officeReviewUpdate, { actor: admin, decisions: [{ itemId: i1.id, passed: true }, { itemId: i2.id, passed: false, comment: '转报省级' }] });
    await u(xm.approveItemsUpdate, { actor: admin, decisions: [{ itemId: i1.id, passed: true }] });
    await u(xm.reportProgressUpdate, { actor: districtActor(a), round: 1, reports: [{ itemId: i1.id, text: '已覆盖12个村居' }] });
    for (let i = 0; i < 3; i++) {
      await c.env.sleep(15 * DAY);
      await settle(h);
    }
    await h.terminate('recorded');
    return [h];
  },
  'meeting-first-item': async (c) => {
    const heldAt = (day: number) => new Date(Date.now() - (1000 + Math.floor(Math.random() * 1000) - day) * DAY).toISOString();
    const register = async (level: 'CENTRAL' | 'PROVINCIAL', at: string) => {
      const { meeting } = await registerSuperiorMeeting(c.deps.db, c.env.client, { level, title: `回放样本会议 ${c.tag} ${level}`, heldAt: at, unitIds: ['dept-health', ...DISTRICTS.slice(0, 2)] });
      const h = c.env.client.workflow.getHandle(meeting.workflowId);
      await h.executeUpdate(mm.meetingReadyUpdate);
      return { id: meeting.id, h };
    };
    const first = heldAt(0);
    const older = await register('CENTRAL', first);
    const newer = await register('PROVINCIAL', new Date(new Date(first).getTime() + DAY).toISOString());
    await resultInRealTime(c.env, older.h);
    const held = async () => new Date((await c.env.currentTimeMs()) - 60_000).toISOString();
    const base = { actor: districtActor(DISTRICTS[0]), unitId: DISTRICTS[0], kind: 'LEADING_GROUP' as const, title: '区委深改委会议' };
    await c.env.sleep(DAY);
    await newer.h.executeUpdate(mm.recordMeetingUpdate, { args: [{ ...base, meetingId: `m1-${c.tag}`, heldAt: await held(), firstItem: '研究部署年度改革任务' }] });
    await newer.h.executeUpdate(mm.recordMeetingUpdate, { args: [{ ...base, meetingId: `m2-${c.tag}`, heldAt: await held(), firstItem: '传达学习省委深改委会议精神', conveys: newer.id }] });
    for (let i = 0; i < 3; i++) {
      await c.env.sleep(5 * DAY);
      await settle(newer.h);
    }
    await newer.h.terminate('recorded');
    return [older.h, newer.h];
  },
};

