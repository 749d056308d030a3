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
import { startTimeSkippingWorker, type TimeSkippingHarness, resultInRealTime } from '../support/timeSkipping';
import { sleepUntil } from '../support/testClock';
import { admin, lead, walkToIssuance } from '../support/scenarios';
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
      issuedAt: '2026-11-01',
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
    const assignedAt = new Date(started.assignedAt!);
    const chaseAt = addDuration(assignedAt, p.chaseAfter);
    const orderAt = addDuration(assignedAt, p.assignmentDeadline);
    const followUpAt = addDuration(orderAt, p.orderFollowUpEvery);
    expect(started.draftDueAt).toBe(chaseAt.toISOString());
    expect(started.dueAt).toBe(orderAt.toISOString());
    expect(await eventually(async () => (await kinds(document.id)).length === 1)).toBe(true);
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT']);

    await sleepUntil(env, chaseAt.getTime() - HOUR); // the draft reminder came before; no chase yet
    await settle(handle);
    expect(await eventually(async () => (await kinds(document.id)).includes('REMINDER'))).toBe(true);
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT', 'REMINDER']);

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
      args: [{ actor: lead, leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [] }],
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
    expect(await kinds(document.id)).toEqual(['ASSIGNMENT']);
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

    await env.sleep('31 days');
    await settle(handle);
    const dispatches = await eventually(
      () => deps.db.notice.findMany({ where: { subjectId: document.id, kind: 'LEDGER_DISPATCH' }, include: { recipients: true } }),
      (n) => n.length === 2,
    );
    expect(dispatches.flatMap((n) => n.recipients.map((r) => r.officialId)).sort()).toEqual(['dept-finance-liaison', 'dept-health-drafter']);

    const [t1, t2] = issued.tasks;
    await u(m.closeLedgerTaskUpdate, { actor: lead, taskId: t1.id, note: '已完成' });
    await env.sleep('31 days');
    await settle(handle);
    expect(await eventually(() => deps.db.notice.count({ where: { subjectId: document.id, kind: 'LEDGER_DISPATCH' } }), (n) => n >= 3)).toBe(3); // month 2: only the open task
    const done = await u(m.closeLedgerTaskUpdate, { actor: lead, taskId: t2.id });
    expect(done.state).toBe('COMPLETED');
    expect((await resultInRealTime(env, handle)).state).toBe('COMPLETED');
    const k = await kinds(document.id);
    expect(k).not.toContain('CHASE');
    expect(k).not.toContain('ORDER');
    const steps = (await deps.db.workflowEvent.findMany({ where: { subjectId: document.id }, orderBy: { at: 'asc' } })).map((e) => e.step);
    expect(steps).toEqual(['acknowledge', 'openLedger', 'submitDraft', 'legalReview', 'submitDraft', 'legalReview', 'executiveMeeting', 'adoption', 'issuance', 'closeLedgerTask', 'closeLedgerTask']);
  });
});
