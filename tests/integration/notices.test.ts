/**
 * Notices are written once and e-mailed once per recipient, whatever the
 * retries: SMTP 4xx → the activity is retried and skips what was sent;
 * SMTP 5xx → the recipient is marked FAILED with the reason, not retried.
 * Real PostgreSQL, real SMTP sink (with fault injection), real dev server.
 */
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { deliverNotice, saveNotice, type NoticeDraft } from '../../activities/notices';
import { registerDocument } from '../../api/documentArrival';
import { testDeps, testWorker, uniqueDocNumber, type TestDeps } from '../support/deps';
import { injectSmtpFault, mailTo, waitForMail } from '../support/mailbox';

describe('notice delivery under SMTP faults', () => {
  let deps: TestDeps;
  const suffix = `${process.pid}-${Date.now()}`;
  const unitId = `dept-test-${suffix}`;
  const person = (n: string) => ({ id: `${unitId}-${n}`, email: `${n}-${suffix}@test.local` });
  const a = person('liaison');
  const b = person('leader');
  const c = person('head');

  beforeAll(async () => {
    deps = testDeps();
    // Officials of our own, so faults injected for their addresses touch no other test.
    await deps.db.unit.create({ data: { id: unitId, name: '测试部门', kind: 'DEPARTMENT' } });
    await deps.db.official.createMany({
      data: [
        { ...a, name: '测试联络员', unitId, roles: ['LIAISON'] },
        { ...b, name: '测试分管领导', unitId, roles: ['LEADER_IN_CHARGE'] },
        { ...c, name: '测试负责人', unitId, roles: ['HEAD'] },
      ],
    });
  });

  afterAll(() => deps?.close());

  /** Runs `fn` in an activity context (deliverNotice logs through the activity logger). */
  const act = <T,>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn);

  const draft = (key: string): NoticeDraft => ({
    key,
    workflowId: 'test',
    kind: 'CHASE',
    subjectType: 'document',
    subjectId: key,
    rule: '第五条',
    title: `【催办单】${key}`,
    body: '请尽快报送上会文件初稿。',
    explanation: { rule: '第五条', startEvent: '交办单下发', startedAt: new Date().toISOString(), offset: '3周' },
    to: [a.id, b.id],
  });

  // The mailer keeps its SMTP connections open (a pool): a refusal at RCPT or after DATA
  // resets the session on that connection, and the next message goes out on it as usual.
  it.each(['rcpt', 'data'] as const)('451 at %s then 250: the retry delivers the failed recipient once and skips the one already sent', async (stage) => {
    const key = `retry-${stage}-${suffix}`;
    await injectSmtpFault(a.email, [451], stage);
    const id = await act(() => saveNotice(deps.db, draft(key)));
    await expect(act(() => deliverNotice(deps.db, deps.mailer, id))).rejects.toMatchObject({ type: 'SmtpTemporaryFailure' });
    // The retry: a second save finds the row, a second delivery sends only what is missing.
    expect(await act(() => saveNotice(deps.db, draft(key)))).toBe(id);
    expect(await act(() => deliverNotice(deps.db, deps.mailer, id))).toEqual({ sent: 1, skipped: 1, failed: 0 });
    expect(await act(() => deliverNotice(deps.db, deps.mailer, id))).toEqual({ sent: 0, skipped: 2, failed: 0 });
    await waitForMail((m) => m.subject.includes(key) && m.to.includes(a.email));
    await waitForMail((m) => m.subject.includes(key) && m.to.includes(b.email));
    expect((await mailTo(a.email)).filter((m) => m.subject.includes(key))).toHaveLength(1);
    expect((await mailTo(b.email)).filter((m) => m.subject.includes(key))).toHaveLength(1);
    expect(await deps.db.notice.count({ where: { key } })).toBe(1);
    const rows = await deps.db.noticeRecipient.findMany({ where: { noticeId: id }, orderBy: { officialId: 'asc' } });
    expect(rows.map((r) => [r.officialId, r.status, r.attempts])).toEqual([
      [b.id, 'SENT', 1],
      [a.id, 'SENT', 2],
    ].sort());
  });

  it('550: the recipient is FAILED with the reason, not retried; the notice is PARTIAL', async () => {
    const key = `permanent-${suffix}`;
    await injectSmtpFault(a.email, [550]);
    const id = await act(() => saveNotice(deps.db, draft(key)));
    expect(await act(() => deliverNotice(deps.db, deps.mailer, id))).toEqual({ sent: 1, skipped: 0, failed: 1 });
    const notice = await deps.db.notice.findUniqueOrThrow({ where: { id }, include: { recipients: true } });
    expect(notice.status).toBe('PARTIAL');
    const failed = notice.recipients.find((r) => r.officialId === a.id)!;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^550/);
    expect(await act(() => deliverNotice(deps.db, deps.mailer, id))).toEqual({ sent: 0, skipped: 2, failed: 0 });
    expect((await mailTo(a.email)).filter((m) => m.subject.includes(key))).toHaveLength(0);
  });

  it('through Temporal: a 451 on the 交办单 is retried by the server and each official gets exactly one e-mail', async () => {
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    const native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE });
    const worker: Worker = await testWorker(native, deps);
    const running = worker.run();
    try {
      await injectSmtpFault(b.email, [451, 451]);
      const docNumber = uniqueDocNumber('鲁重试');
      const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title: '重试测试', docNumber, issuedAt: new Date().toISOString(), leadUnitId: unitId, participantUnitIds: [] });
      let sent = 0;
      for (let i = 0; i < 300 && sent < 2; i++) {
        sent = await deps.db.noticeRecipient.count({ where: { notice: { subjectId: document.id }, status: 'SENT' } });
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(sent).toBe(2);
      // The sink stores a message just after answering 250: wait for both, then count.
      await waitForMail((m) => m.subject.includes(docNumber) && m.to.includes(a.email));
      await waitForMail((m) => m.subject.includes(docNumber) && m.to.includes(b.email));
      expect((await mailTo(a.email)).filter((m) => m.subject.includes(docNumber))).toHaveLength(1);
      expect((await mailTo(b.email)).filter((m) => m.subject.includes(docNumber))).toHaveLength(1);
      const retried = await deps.db.noticeRecipient.findFirstOrThrow({ where: { notice: { subjectId: document.id }, officialId: b.id } });
      expect(retried.attempts).toBe(3);
      await client.workflow.getHandle(document.workflowId).terminate('test done');
    } finally {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
    }
  });
});
