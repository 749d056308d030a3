/**
 * SMTP faults end to end (API → workflow → activity → SMTP sink → what
 * administrators see). tests/integration/notices.test.ts covers the activity
 * itself; here: on one 交办单, a 451-then-250 recipient gets exactly one e-mail
 * and a 550 recipient ends FAILED with the server's reason — not retried —
 * shown on the document detail and in the admin timeline, while the workflow
 * carries on with its other duties (the next step, the next notice).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { eventually } from '../support/eventually';
import { testDeps, testWorker, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { injectSmtpFault, mailTo, waitForMail } from '../support/mailbox';

describe('SMTP faults seen by administrators', () => {
  let deps: TestDeps;
  let connection: Connection;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let app: Express;
  const suffix = `${process.pid}-${Date.now()}`;
  const unitId = `dept-smtp-${suffix}`;
  const person = (n: string) => ({ id: `${unitId}-${n}`, email: `${n}-${suffix}@test.local` });
  const liaison = person('liaison');
  const leader = person('leader');
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    deps = testDeps();
    await deps.db.unit.create({ data: { id: unitId, name: '邮件故障测试局', kind: 'DEPARTMENT' } });
    await deps.db.official.createMany({
      data: [
        { ...liaison, name: '故障联络员', unitId, roles: ['LIAISON'] },
        { ...leader, name: '故障分管领导', unitId, roles: ['LEADER_IN_CHARGE'] },
      ],
    });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    worker = await testWorker(native, deps);
    running = worker.run();
    app = createApp({ db: deps.db, client: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }) });
    for (const id of ['ro-director', liaison.id]) tokens[id] = await tokenFor(deps.db, id);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await deps?.close();
  });

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });

  it('451→250 delivers once; 550 is FAILED with its reason, visible, not retried; the workflow carries on', async () => {
    await injectSmtpFault(liaison.email, [550]);
    await injectSmtpFault(leader.email, [451, 250]);
    const docNumber = uniqueDocNumber('鲁邮');
    const arrival = await request(app).post('/api/documents').set(as('ro-director')).send({ level: 'PROVINCIAL', title: '邮件故障测试', docNumber, issuedAt: new Date().toISOString(), leadUnitId: unitId, participantUnitIds: [] });
    expect(arrival.status).toBe(201);
    const { id, workflowId } = arrival.body.document;

    // Wait for the 交办单 to settle: the 451 makes Temporal retry the activity once.
    let detail: request.Response | undefined;
    for (let i = 0; i < 100; i++) {
      detail = await request(app).get(`/api/documents/${id}`).set(as('ro-director'));
      if (detail.body.notices?.[0]?.status && detail.body.notices[0].status !== 'PENDING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const notice = detail!.body.notices[0];
    const failed = notice.recipients.find((r: { officialId: string }) => r.officialId === liaison.id);
    const retried = notice.recipients.find((r: { officialId: string }) => r.officialId === leader.id);
    expect(notice.status).toBe('PARTIAL');
    expect(failed).toMatchObject({ status: 'FAILED' });
    expect(failed.error).toMatch(/^550 /);
    expect(retried).toMatchObject({ status: 'SENT', error: null });
    const rows = await deps.db.noticeRecipient.findMany({ where: { noticeId: notice.id } });
    const attempts = Object.fromEntries(rows.map((r) => [r.officialId, r.attempts]));
    expect(attempts[liaison.id]).toBe(1); // a 5xx is never retried
    expect(attempts[leader.id]).toBe(2); // the 451, then the 250

    // The administrators' timeline names the failed recipient and the server's reason.
    const timeline = await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(as('ro-director'));
    expect(timeline.status).toBe(200);
    const timelineText = JSON.stringify(timeline.body);
    expect(timelineText).toContain('故障联络员');
    expect(timelineText).toMatch(/550 /);

    // The workflow carries on: the lead unit's next step, and the next notice reaches everyone.
    const ack = await request(app).post(`/api/documents/${id}/acknowledge`).set(as(liaison.id)).send({});
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe('ACKNOWLEDGED');
    // An administrator's timeline shows the request's address (the step above) and the Temporal link.
    const withRequest = await eventually(
      async () => JSON.stringify((await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(as('ro-director'))).body),
      (text) => text.includes('"ip"'),
    );
    expect(withRequest).toContain('/namespaces/');

    // The lead unit's own official sees who was sent what and whether it arrived — not the
    // addresses, the server's answers, the request addresses or the Temporal link (issue #15).
    const own = await request(app).get(`/api/documents/${id}`).set(as(liaison.id));
    expect(own.status).toBe(200);
    const ownRecipients = own.body.notices[0].recipients as Array<Record<string, unknown>>;
    const ownTimeline = await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(as(liaison.id));
    expect(ownTimeline.status).toBe(200);
    const leaks = (text: string) =>
      [/@test\.local/.test(text) && 'e-mail', /\b(550|451) /.test(text) && 'SMTP answer', /"ip"/.test(text) && 'IP address', /temporalUiUrl|\/namespaces\//.test(text) && 'Temporal link'].filter(Boolean);
    const detailLeaks = leaks(JSON.stringify(own.body));
    const timelineLeaks = leaks(JSON.stringify(ownTimeline.body));
    process.stdout.write(`[smtp-faults] the lead unit's official (not an administrator): detail shows ${detailLeaks.join(', ') || 'no e-mail or SMTP answer'}; timeline shows ${timelineLeaks.join(', ') || 'no e-mail, SMTP answer, IP address or Temporal link'}\n`);
    expect(detailLeaks).toEqual([]);
    expect(timelineLeaks).toEqual([]);
    expect(ownRecipients.find((r) => r.officialId === liaison.id)).toMatchObject({ name: '故障联络员', unitName: '邮件故障测试局', status: 'FAILED' });
    expect(ownRecipients.every((r) => !('email' in r) && !('error' in r))).toBe(true);
    // The failed delivery and the retried sending still read as such, without the reasons.
    expect(JSON.stringify(ownTimeline.body)).toContain('投递失败：故障联络员');
    expect(JSON.stringify(ownTimeline.body)).toContain('"attempts":2');

    const chase = await request(app).post(`/api/documents/${id}/manual-chase`).set(as('ro-director')).set('Idempotency-Key', `chase-${suffix}`).send({ obligation: 'draft', note: '邮件退信后再次催办' });
    expect(chase.status).toBe(200);
    await waitForMail((x) => x.subject.includes(docNumber) && x.to.includes(liaison.email));

    const toLiaison = (await mailTo(liaison.email)).filter((x) => x.subject.includes(docNumber));
    const toLeader = (await mailTo(leader.email)).filter((x) => x.subject.includes(docNumber));
    const first = toLeader.filter((x) => x.messageId === rows.find((r) => r.officialId === leader.id)!.messageId);
    process.stdout.write(
      `[smtp-faults] 451→250: ${first.length} e-mail to the leader after ${attempts[leader.id]} attempts; 550: ${toLiaison.length - 1} e-mails of the 交办单 to the liaison, ` +
        `recipient FAILED "${failed.error}" after ${attempts[liaison.id]} attempt, notice ${notice.status}, shown in detail and timeline; workflow went on: ${ack.body.state}, manual chase delivered\n`,
    );
    expect(first).toHaveLength(1);
    expect(toLiaison).toHaveLength(1); // only the manual chase: the 交办单 bounced
    await new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }).workflow.getHandle(workflowId).terminate('test done');
  });
});
