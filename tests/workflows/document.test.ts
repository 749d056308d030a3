/**
 * The document lifecycle on the time-skipping server with the real policy
 * durations (第五条: chase at three weeks, order at one month), the real
 * activities, the run's PostgreSQL database and the SMTP sink.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerDocument } from '../../api/documentArrival';
import * as m from '../../workflows/document/messages';
import { startTimeSkippingWorker, terminateQuietly, type TimeSkippingHarness, resultInRealTime } from '../support/timeSkipping';
import { dueAfter, sleepUntil } from '../support/testClock';
import { acknowledgeDistribution, admin, lead, walkToIssuance } from '../support/scenarios';
import { uniqueDocNumber, type TestDeps } from '../support/deps';
import { listMail } from '../support/mailbox';
import { eventually } from '../support/eventually';
import { defaultPolicy } from '../../common/policy';
import { addDuration, formatShanghai } from '../../common/policy/duration';

const HOUR = 3600_000;
const p = defaultPolicy.document;

describe('document lifecycle (time-skipping)', () => {
  let harness: TimeSkippingHarness;
  let env: TestWorkflowEnvironment;
  let deps: TestDeps;

  beforeAll(async () => {
    harness = await startTimeSkippingWorker();
    ({ env, deps } = harness);
  });

  afterAll(() => harness?.close());

  async function arrive(level: 'CENTRAL' | 'PROVINCIAL', extra: Partial<Parameters<typeof registerDocument>[2]> = {}) {
    const docNumber = uniqueDocNumber(level === 'CENTRAL' ? '中发' : '鲁发');
    const { document, created } = await registerDocument(deps.db, env.client, {
      level,
      title: `测试文件 ${docNumber}`,
      docNumber,
      // Issued as it arrives (on the skipped clock); a test that needs other instants says so.
      issuedAt: new Date(await env.currentTimeMs()).toISOString(),
      leadUnitId: 'dept-health',
      participantUnitIds: ['dept-finance'],
      ...extra,
    });
    expect(created).toBe(true);
    return { document, handle: env.client.workflow.getHandle(document.workflowId) };
  }

  const kinds = async (documentId: string) =>
    (await deps.db.notice.findMany({ where: { subjectId: documentId }, orderBy: { createdAt: 'asc' } })).map((n) => n.kind);

  /** Waits until the workflow has handled everything up to the current (skipped) time. */
  async function settle(handle: { query: (q: typeof m.stateQuery) => Promise<m.DocumentView> }) {
    await handle.query(m.stateQuery);
  }

  it('no draft by the chase date → exactly one 催办单 then; not issued by the deadline → 责令书, then weekly follow-ups', async () => {
    // Every expected instant is computed from the workflow's own start with the policy functions the
    // workflow uses: "one month" is a calendar month, so the day count depends on the day the test runs.
    const { document, handle } = await arrive('PROVINCIAL');
    const started = await handle.query(m.stateQuery);
    // 第五条: the three weeks count from receipt (here the registration), the month from the provincial document's issuance.
    expect(started.draftFrom).toEqual({ startEvent: '省级改革文件到市', startedAt: started.assignedAt });
    expect(started.dueFrom).toEqual({ startEvent: '省级改革文件印发', startedAt: document.issuedAt.toISOString() });
    const chaseAt = dueAfter(new Date(started.assignedAt!), p.chaseAfter);
    const orderAt = dueAfter(document.issuedAt, p.assignmentDeadline);
    const followUpAt = addDuration(orderAt, p.orderFollowUpEvery);
    expect(started.draftDueAt).toBe(chaseAt.toISOString());
    expect(started.dueAt).toBe(orderAt.toISOString());
    expect(await eventually(async () => (await kinds(document.id)).length === 1)).toBe(true);
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT']);

    await sleepUntil(env, chaseAt.getTime() - HOUR); // the ledger's chase and the draft reminder came before; no chase yet
    await settle(handle);
    expect(await eventually(async () => (await kinds(document.id)).includes('REMINDER'))).toBe(true);
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT', 'LEDGER_CHASE', 'REMINDER']);

    await sleepUntil(env, chaseAt.getTime() + HOUR);
    expect(await eventually(async () => (await kinds(document.id)).includes('CHASE'))).toBe(true);
    await sleepUntil(env, orderAt.getTime() - HOUR);
    await settle(handle);
    expect(await kinds(document.id)).not.toContain('ORDER');

    await sleepUntil(env, orderAt.getTime() + HOUR);
    expect(await eventually(async () => (await kinds(document.id)).includes('ORDER'))).toBe(true);
    const afterOrder = await kinds(document.id);
    expect(afterOrder.filter((k) => k === 'CHASE')).toHaveLength(1);
    expect(afterOrder.filter((k) => k === 'ORDER')).toHaveLength(1);

    await sleepUntil(env, followUpAt.getTime() + HOUR); // policy: a follow-up each week until issued
    expect(await eventually(async () => (await kinds(document.id)).includes('ORDER_FOLLOW_UP'))).toBe(true);
    expect((await handle.query(m.stateQuery)).followUps).toBe(1);
    expect((await kinds(document.id)).filter((k) => k === 'ORDER_FOLLOW_UP')).toHaveLength(1);

    const chase = await deps.db.notice.findFirstOrThrow({ where: { subjectId: document.id, kind: 'CHASE' }, include: { recipients: true } });
    expect(chase.rule).toBe('第五条');
    expect(chase.body).toContain('依据：第五条');
    expect(chase.body).toContain('期限：3周');
    expect(chase.body).toContain(`确保在${formatShanghai(orderAt)}前出台`);
    // The chase goes to the lead department's liaison and its leader in charge.
    expect(chase.recipients.map((r) => r.officialId).sort()).toEqual(['dept-health-leader', 'dept-health-liaison']);
    const order = await deps.db.notice.findFirstOrThrow({ where: { subjectId: document.id, kind: 'ORDER' }, include: { recipients: true } });
    expect(order.body).toContain(`交办期限（${formatShanghai(orderAt)}）已过`);
    expect(order.recipients.map((r) => `${r.role}:${r.officialId}`).sort()).toEqual(['CC:ro-director', 'TO:dept-health-head']);
    const mail = await eventually(
      async () => (await listMail()).filter((x) => x.subject.includes(document.docNumber)),
      (all) => all.filter((x) => x.subject.startsWith('【责令书】')).length === 2,
    );
    expect(mail.filter((x) => x.subject.startsWith('【催办单】'))).toHaveLength(2);
    expect(mail.filter((x) => x.subject.startsWith('【责令书】'))).toHaveLength(2); // head + CC to the reform office
  });

  it('draft on day 10 → no chase, ever', async () => {
    const { document, handle } = await arrive('PROVINCIAL');
    await env.sleep('10 days');
    await handle.executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] });
    await handle.executeUpdate(m.openLedgerUpdate, {
      args: [{ actor: lead, leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [{ title: '起草配套文件', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: '2027-12-31' }] }],
    });
    const view = await handle.executeUpdate(m.submitDraftUpdate, { args: [{ actor: lead }] });
    expect(view.state).toBe('DRAFT_SUBMITTED');
    await env.sleep('40 days');
    await settle(handle);
    const k = await kinds(document.id);
    expect(k).not.toContain('CHASE');
    expect(k).toContain('ORDER'); // not issued by the deadline: the order still comes
  });

  it('refuses impossible steps before recording anything', async () => {
    const { document, handle } = await arrive('PROVINCIAL');
    await expect(handle.executeUpdate(m.submitDraftUpdate, { args: [{ actor: lead }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(m.issuanceUpdate, { args: [{ actor: lead, municipalDocNumber: 'x', municipalTitle: 'x', districtIds: ['district-zhangdian'] }] })).rejects.toThrow();
    await handle.executeUpdate(m.exemptionUpdate, { args: [{ actor: admin, reason: '国家层面已统一部署，无须市级配套' }] });
    await expect(handle.executeUpdate(m.exemptionUpdate, { args: [{ actor: admin, reason: '再次认定' }] })).rejects.toThrow();
    const events = await deps.db.workflowEvent.findMany({ where: { subjectId: document.id } });
    expect(events.map((e) => e.step)).toEqual(['exemption']);
  });

  it('exemption stops everything', async () => {
    const { document, handle } = await arrive('PROVINCIAL');
    await env.sleep('5 days');
    await handle.executeUpdate(m.exemptionUpdate, { args: [{ actor: admin, reason: '无须市级配套：省级文件直接适用' }] });
    const result = await resultInRealTime(env, handle);
    expect(result.state).toBe('EXEMPT');
    await env.sleep('60 days');
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT', 'LEDGER_CHASE']); // the ledger's 第一时间 (3 days) passed before the exemption
    const row = await deps.db.document.findUniqueOrThrow({ where: { id: document.id } });
    expect(row.state).toBe('EXEMPT');
    expect(row.exemptReason).toContain('直接适用');
    expect(await deps.db.obligation.count({ where: { subjectId: document.id, status: 'OPEN' } })).toBe(0);
  });

  it('links central then provincial, and provincial then central', async () => {
    // CENTRAL first: 提示单, then the provincial document arrives and carries the assignment.
    const central = await arrive('CENTRAL');
    await env.sleep('1 hour');
    await settle(central.handle);
    expect(await kinds(central.document.id)).toEqual(['PROMPT']);
    // 第五条(一): the 提示单 is addressed to the departments concerned, the lead and the participants alike.
    const prompt = await deps.db.notice.findFirstOrThrow({ where: { subjectId: central.document.id, kind: 'PROMPT' }, include: { recipients: true } });
    expect(prompt.recipients.filter((r) => r.role === 'TO').map((r) => r.officialId)).toEqual(expect.arrayContaining(['dept-health-liaison', 'dept-finance-liaison', 'dept-finance-leader']));
    const provincial = await arrive('PROVINCIAL', { implementsDocNumber: central.document.docNumber });
    expect((await resultInRealTime(env, central.handle)).state).toBe('LINKED');
    await env.sleep('1 hour');
    await settle(provincial.handle);
    expect(await kinds(provincial.document.id)).toEqual(['ASSIGNMENT']);

    // PROVINCIAL first: the central document arrives already linked, with no prompt.
    const centralNumber = uniqueDocNumber('中发');
    const p2 = await arrive('PROVINCIAL', { implementsDocNumber: centralNumber });
    const c2 = await arrive('CENTRAL', { docNumber: centralNumber, title: '中央文件' });
    expect((await resultInRealTime(env, c2.handle)).state).toBe('LINKED');
    expect(await kinds(c2.document.id)).toEqual([]);
    expect((await deps.db.document.findUniqueOrThrow({ where: { id: c2.document.id } })).linkedDocNumber).toBe(p2.document.docNumber);
  });

  it('a repeated arrival starts nothing', async () => {
    const { document, handle } = await arrive('PROVINCIAL');
    const firstRun = (await handle.describe()).runId;
    const again = await registerDocument(deps.db, env.client, {
      level: 'PROVINCIAL',
      title: '重复推送',
      docNumber: document.docNumber,
      issuedAt: '2026-11-01',
      participantUnitIds: [],
    });
    expect(again.created).toBe(false);
    expect(again.document.id).toBe(document.id);
    await env.sleep('1 hour');
    await settle(handle);
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT']);
    expect((await handle.describe()).runId).toBe(firstRun);
    expect(await deps.db.document.count({ where: { docNumber: document.docNumber } })).toBe(1);
  });

  it('walks every step to issuance, dispatches the ledger monthly and completes when all tasks close', async () => {
    const { document, handle } = await arrive('PROVINCIAL');
    const u = <A,>(def: UpdateDefinition<m.DocumentView, [A]>, arg: A) => handle.executeUpdate(def, { args: [arg] });
    const issued = await walkToIssuance(handle, document.docNumber);
    expect(issued.state).toBe('ISSUED');
    // 印发到区县: each district receives the municipal document as a notice; one acknowledges at once.
    const distributed = await eventually(
      () => deps.db.notice.findMany({ where: { subjectId: document.id, kind: 'DISTRIBUTION' }, include: { recipients: true } }),
      (n) => n.length === 2,
    );
    expect(distributed.flatMap((n) => n.recipients.map((r) => r.officialId)).sort()).toEqual([
      'district-zhangdian-deputy',
      'district-zhangdian-director',
      'district-zichuan-deputy',
      'district-zichuan-director',
    ]);
    await acknowledgeDistribution(handle, ['district-zhangdian']);
    await expect(acknowledgeDistribution(handle, ['district-zhangdian'])).rejects.toThrow(); // once
    await expect(acknowledgeDistribution(handle, ['district-boshan'])).rejects.toThrow(); // not sent there

    await env.sleep('31 days');
    await settle(handle);
    const dispatches = await eventually(
      () => deps.db.notice.findMany({ where: { subjectId: document.id, kind: 'LEDGER_DISPATCH' }, include: { recipients: true } }),
      (n) => n.length === 2,
    );
    expect(dispatches.flatMap((n) => n.recipients.map((r) => r.officialId)).sort()).toEqual(['dept-finance-liaison', 'dept-health-drafter']);
    // The district that did not acknowledge within the policy's days is chased, once; the other is not.
    const chased = await deps.db.notice.findMany({ where: { subjectId: document.id, kind: 'DISTRIBUTION_CHASE' }, include: { recipients: true } });
    expect(chased.flatMap((n) => n.recipients.map((r) => r.officialId)).sort()).toEqual(['district-zichuan-deputy', 'district-zichuan-director']);

    const [t1, t2] = issued.tasks;
    await u(m.closeLedgerTaskUpdate, { actor: lead, taskId: t1.id, note: '已完成' });
    await env.sleep('31 days');
    await settle(handle);
    expect(await eventually(() => deps.db.notice.count({ where: { subjectId: document.id, kind: 'LEDGER_DISPATCH' } }), (n) => n >= 3)).toBe(3); // month 2: only the open task
    // Every task closed, one district still owes its acknowledgement: not complete until it comes.
    expect((await u(m.closeLedgerTaskUpdate, { actor: lead, taskId: t2.id })).state).toBe('ISSUED');
    const done = await acknowledgeDistribution(handle, ['district-zichuan']);
    expect(done.state).toBe('COMPLETED');
    expect((await resultInRealTime(env, handle)).state).toBe('COMPLETED');
    const k = await kinds(document.id);
    expect(k).not.toContain('CHASE');
    expect(k).not.toContain('ORDER');
    const steps = (await deps.db.workflowEvent.findMany({ where: { subjectId: document.id }, orderBy: { at: 'asc' } })).map((e) => e.step);
    expect(steps).toEqual(['acknowledge', 'openLedger', 'submitDraft', 'legalReview', 'submitDraft', 'legalReview', 'executiveMeeting', 'adoption', 'issuance', 'acknowledgeDistribution', 'closeLedgerTask', 'closeLedgerTask', 'acknowledgeDistribution']);
  });

  it('a backlog registered 22 days after receipt: the 交办单, the ledger chase and the 催办单 at once, each saying since when', async () => {
    // Issued and received 22 days before registration: the three weeks and the ledger's days have passed,
    // the month (from the issuance) has not.
    const now = await env.currentTimeMs();
    const received = new Date(now - 22 * 24 * HOUR).toISOString();
    const { document, handle } = await arrive('PROVINCIAL', { issuedAt: received, receivedAt: received });
    const view = await handle.query(m.stateQuery);
    const draftDue = dueAfter(new Date(received), p.chaseAfter);
    const ledgerDue = dueAfter(new Date(received), p.ledgerWithin);
    const orderAt = dueAfter(new Date(received), p.assignmentDeadline);
    expect(view.draftDueAt).toBe(draftDue.toISOString());
    expect(view.dueAt).toBe(orderAt.toISOString());
    const sent = await eventually(
      () => deps.db.notice.findMany({ where: { subjectId: document.id }, orderBy: { createdAt: 'asc' } }),
      (n) => n.length === 3,
    );
    // No reminder of a deadline that had passed before anyone could be reminded.
    expect(sent.map((n) => n.kind)).toEqual(['ASSIGNMENT', 'LEDGER_CHASE', 'CHASE']);
    const [assignment, ledgerChase, chase] = sent;
    expect(assignment.body).toContain(`务必于${formatShanghai(orderAt)}前（自省级改革文件印发之时${formatShanghai(received)}起1个月内）`);
    expect(assignment.body).not.toContain('补发');
    expect(ledgerChase.body).toContain(`本通知应于${formatShanghai(ledgerDue)}发出；该文件于${formatShanghai(view.registeredAt!)}才登记入督办系统，现予补发`);
    expect(chase.body).toContain(`本通知应于${formatShanghai(draftDue)}发出`);
    expect(chase.body).toContain(`起算事件：省级改革文件到市（${formatShanghai(received)}）`);

    await sleepUntil(env, orderAt.getTime() + HOUR); // the order comes at its own time, not as a backlog
    const order = await eventually(() => deps.db.notice.findFirst({ where: { subjectId: document.id, kind: 'ORDER' } }), (n) => !!n);
    expect(order!.body).not.toContain('补发');
    expect((await kinds(document.id)).filter((k) => k === 'REMINDER')).toEqual(['REMINDER']); // the month's reminder only
    await terminateQuietly(env, document.workflowId);
  });

  it('a PROVINCIAL document without a lead unit: the reform office is asked, chased at its deadline, and its naming sends the 交办单', async () => {
    const { document, handle } = await arrive('PROVINCIAL', { leadUnitId: undefined });
    const waiting = await handle.query(m.stateQuery);
    expect(waiting.state).toBe('AWAITING_LEAD');
    expect(waiting.assignedAt).toBeUndefined();
    const leadDue = dueAfter(new Date(waiting.receivedAt!), p.leadAssignmentWithin);
    expect(waiting.leadDueAt).toBe(leadDue.toISOString());
    const request = await eventually(() => deps.db.notice.findFirst({ where: { subjectId: document.id, kind: 'LEAD_REQUEST' }, include: { recipients: true } }), (n) => !!n);
    expect(request!.recipients.map((r) => `${r.role}:${r.officialId}`).sort()).toEqual(['CC:ro-director', 'TO:ro-supervisor']);
    await expect(handle.executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);

    await sleepUntil(env, leadDue.getTime() - HOUR);
    await settle(handle);
    expect(await kinds(document.id)).toEqual(['LEAD_REQUEST']);
    await sleepUntil(env, leadDue.getTime() + HOUR);
    expect(await eventually(async () => (await kinds(document.id)).includes('LEAD_CHASE'))).toBe(true);

    const assigned = await handle.executeUpdate(m.assignLeadUpdate, { args: [{ actor: admin, leadUnitId: 'dept-health' }] });
    expect(assigned.state).toBe('ASSIGNED');
    // The lead unit's three weeks count from the naming: it cannot owe the days before it knew.
    expect(assigned.draftFrom).toEqual({ startEvent: '市委改革办确定牵头部门并下发交办单', startedAt: assigned.leadAssignedAt });
    expect(assigned.draftDueAt).toBe(dueAfter(new Date(assigned.leadAssignedAt!), p.chaseAfter).toISOString());
    expect(assigned.dueAt).toBe(dueAfter(document.issuedAt, p.assignmentDeadline).toISOString());
    const assignment = await eventually(() => deps.db.notice.findFirst({ where: { subjectId: document.id, kind: 'ASSIGNMENT' }, include: { recipients: true } }), (n) => !!n);
    expect(assignment!.recipients.map((r) => r.officialId)).toContain('dept-health-liaison');
    await expect(handle.executeUpdate(m.assignLeadUpdate, { args: [{ actor: admin, leadUnitId: 'dept-finance' }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await eventually(async () => (await deps.db.document.findUniqueOrThrow({ where: { id: document.id } })).leadUnitId)).toBe('dept-health');
    const lead1 = await deps.db.obligation.findUniqueOrThrow({ where: { key: `${document.workflowId}:lead` } });
    expect(lead1).toMatchObject({ status: 'DONE', unitId: 'reform-office' });

    // 第四条（二）: the ledger decomposes the work into tasks; an empty one is refused.
    await handle.executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] });
    await expect(
      handle.executeUpdate(m.openLedgerUpdate, { args: [{ actor: lead, leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [] }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await handle.query(m.stateQuery)).state).toBe('ACKNOWLEDGED');
    await terminateQuietly(env, document.workflowId);
  });
});
