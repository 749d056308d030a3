/**
 * The document API against the real Temporal dev server, PostgreSQL and SMTP
 * sink: arrival, idempotent re-arrival, validation, authentication and
 * authorisation, impossible steps, Idempotency-Key, inbox, manual chase,
 * reassignment and the bulk import.
 */
import type { Client } from '@temporalio/client';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { importDocuments, readDocumentRows } from '../../scripts/import-documents';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { defaultPolicy } from '../../common/policy';
import { dueAfter } from '../support/testClock';
import { eventually } from '../support/eventually';
import { listMail, waitForMail } from '../support/mailbox';

describe('documents API (dev server, PostgreSQL, SMTP sink)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const id of ['ro-director', 'dept-health-liaison', 'dept-health-head', 'dept-health-drafter', 'dept-finance-liaison', 'district-zhangdian-deputy']) {
      tokens[id] = await tokenFor(deps.db, id);
    }
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await harness?.close();
  });

  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });

  async function arrive(docNumber = uniqueDocNumber('鲁政发')) {
    const res = await request(app)
      .post('/api/documents')
      .set(as('ro-director'))
      .send({ level: 'PROVINCIAL', title: '关于推进数字政府建设的实施意见', docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] });
    return res;
  }

  // Generous: under CI load (forced replay with an empty cache) a workflow may take seconds.
  async function waitForState(id: string, state: string) {
    for (let i = 0; i < 300; i++) {
      const doc = await deps.db.document.findUniqueOrThrow({ where: { id } });
      if (doc.state === state) return doc;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`document ${id} never reached ${state}`);
  }

  it('a PROVINCIAL document starts its workflow: 交办单 stored, e-mailed in Chinese, in the inbox; a repeat changes nothing', async () => {
    const res = await arrive();
    expect(res.status).toBe(201);
    const { id, docNumber, workflowId } = res.body.document;
    const mail = await waitForMail((m) => m.subject.startsWith('【交办单】') && m.subject.includes(docNumber) && m.to.includes('dept-health-liaison@zibo.example.cn'));
    expect(mail.text).toContain('务必于');
    expect(mail.text).toContain('依据：第五条');

    const again = await request(app).post('/api/documents').set(as('ro-director')).send({ level: 'PROVINCIAL', title: '重复推送', docNumber, issuedAt: new Date().toISOString() });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(again.body.document.id).toBe(id);

    const desc = await client.workflow.getHandle(workflowId).describe();
    expect(desc.status.name).toBe('RUNNING');
    await waitForState(id, 'ASSIGNED');
    const detail = await request(app).get(`/api/documents/${id}`).set(as('dept-health-liaison'));
    expect(detail.status).toBe(200);
    expect(detail.body.notices.map((n: { kind: string }) => n.kind)).toEqual(['ASSIGNMENT']);
    // The ledger is due "第一时间" (policy: by the end of the third day, just beyond the warning window), the draft and the document later.
    expect(detail.body.obligations.map((o: { name?: string; key: string; light: string }) => [o.key.split(':').pop(), o.light])).toEqual([
      ['ledger', 'GREEN'],
      ['draft', 'GREEN'],
      ['issuance', 'GREEN'],
    ]);
    // The state is recorded before the notice is e-mailed: wait for all three recipients.
    const isAssignment = (m: { subject: string }) => m.subject.includes(docNumber) && m.subject.startsWith('【交办单】');
    const assignments = await eventually(async () => (await listMail()).filter(isAssignment), (ms) => ms.length >= 3);
    expect(assignments).toHaveLength(3);

    const inbox = await request(app).get('/api/inbox').set(as('dept-health-liaison'));
    const item = inbox.body.items.find((i: { notice: { subjectId: string } }) => i.notice.subjectId === id);
    expect(item.notice.kind).toBe('ASSIGNMENT');
    const ack = await request(app).post(`/api/notices/${item.notice.id}/acknowledge`).set(as('dept-health-liaison'));
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBeTruthy();
  });

  it('bad input is 400 with the zod issues and writes nothing; no token 401; a non-admin 403', async () => {
    const docNumber = uniqueDocNumber('鲁发');
    const bad = await request(app).post('/api/documents').set(as('ro-director')).send({ level: 'MUNICIPAL', title: '', docNumber, issuedAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['issuedAt', 'level', 'title']);
    const unknownUnit = await request(app).post('/api/documents').set(as('ro-director')).send({ level: 'PROVINCIAL', title: 't', docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-nowhere' });
    expect(unknownUnit.status).toBe(400);
    expect(await deps.db.document.count({ where: { docNumber } })).toBe(0);

    expect((await request(app).post('/api/documents').send({})).status).toBe(401);
    expect((await request(app).get('/api/inbox').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
    const forbidden = await request(app).post('/api/documents').set(as('dept-health-liaison')).send({ level: 'PROVINCIAL', title: 't', docNumber, issuedAt: new Date().toISOString() });
    expect(forbidden.status).toBe(403);
  });

  it('a step by the wrong unit is 403, in the wrong state 409; Idempotency-Key gives one effect', async () => {
    const { body } = await arrive();
    const id = body.document.id;
    await waitForState(id, 'ASSIGNED');
    const wrongUnit = await request(app).post(`/api/documents/${id}/acknowledge`).set(as('dept-finance-liaison')).send({});
    expect(wrongUnit.status).toBe(403);
    const wrongState = await request(app).post(`/api/documents/${id}/draft`).set(as('dept-health-liaison')).send({});
    expect(wrongState.status).toBe(409);
    expect(wrongState.body.error.message).toContain('不能报送上会文件初稿');

    const key = `ack-${id}`;
    const first = await request(app).post(`/api/documents/${id}/acknowledge`).set(as('dept-health-liaison')).set('Idempotency-Key', key).send({ note: '已签收' });
    const retry = await request(app).post(`/api/documents/${id}/acknowledge`).set(as('dept-health-liaison')).set('Idempotency-Key', key).send({ note: '已签收' });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.state).toBe('ACKNOWLEDGED');
    expect(await deps.db.workflowEvent.count({ where: { subjectId: id, step: 'acknowledge' } })).toBe(1);
    const event = await deps.db.workflowEvent.findFirstOrThrow({ where: { subjectId: id, step: 'acknowledge' } });
    expect(event.actorId).toBe('dept-health-liaison');
  });

  it('manual chase by the reform office is audited and reaches the reassigned official', async () => {
    const { body } = await arrive();
    const id = body.document.id;
    await waitForState(id, 'ASSIGNED');
    expect((await request(app).post(`/api/documents/${id}/manual-chase`).set(as('dept-health-liaison')).send({ obligation: 'draft' })).status).toBe(403);
    // Only the unit's leaders reassign (or the reform office).
    expect((await request(app).post(`/api/documents/${id}/reassign`).set(as('dept-health-liaison')).send({ toOfficialIds: ['dept-health-drafter'] })).status).toBe(403);
    const reassigned = await request(app).post(`/api/documents/${id}/reassign`).set(as('dept-health-head')).send({ toOfficialIds: ['dept-health-drafter'], note: '改由起草人负责' });
    expect(reassigned.status).toBe(200);

    const chase = await request(app).post(`/api/documents/${id}/manual-chase`).set(as('ro-director')).send({ obligation: 'draft', note: '请本周内报送初稿' });
    expect(chase.status).toBe(200);
    const notice = chase.body.notices.find((n: { kind: string }) => n.kind === 'MANUAL_CHASE');
    expect(notice.createdBy).toBe('ro-director');
    expect(notice.recipients.map((r: { officialId: string }) => r.officialId).sort()).toEqual(['dept-health-drafter', 'dept-health-leader']);
    await waitForMail((m) => m.subject.startsWith('【催办】') && m.to.includes('dept-health-drafter@zibo.example.cn') && m.text.includes('请本周内报送初稿'));
    // The audit row is written when the response finishes: give it a moment.
    let audit: Array<{ status: number }> = [];
    for (let i = 0; i < 150 && audit.length < 2; i++) {
      audit = await deps.db.auditLog.findMany({ where: { path: { contains: '/manual-chase' }, subjectId: id } });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(audit.map((a) => a.status).sort()).toEqual([200, 403]);
    // Append-only, down to the database.
    await expect(deps.db.auditLog.updateMany({ where: { subjectId: id }, data: { status: 200 } })).rejects.toThrow(/append-only/);
    await expect(deps.db.auditLog.deleteMany({ where: { subjectId: id } })).rejects.toThrow(/append-only/);
    const reassignEvent = await deps.db.workflowEvent.findFirstOrThrow({ where: { subjectId: id, step: 'reassign' } });
    expect(reassignEvent.data).toMatchObject({ from: [], to: ['dept-health-drafter'] });
  });

  it('clocks from receipt; a document without a lead waits for the reform office; the districts acknowledge the issued document', async () => {
    const docNumber = uniqueDocNumber('鲁政字');
    const now = Date.now();
    const arrival = { level: 'PROVINCIAL', title: '关于深化医药卫生体制改革的实施意见', docNumber, participantUnitIds: ['dept-finance'] };
    // The clocks count from these instants (第五条): none in the future, no receipt before the issuance.
    const future = await request(app).post('/api/documents').set(as('ro-director')).send({ ...arrival, issuedAt: new Date(now + 86_400_000).toISOString() });
    expect([future.status, future.body.error.details.map((d: { path: string[] }) => d.path[0])]).toEqual([400, ['issuedAt']]);
    const backwards = await request(app).post('/api/documents').set(as('ro-director')).send({ ...arrival, issuedAt: new Date(now - 3_600_000).toISOString(), receivedAt: new Date(now - 7_200_000).toISOString() });
    expect([backwards.status, backwards.body.error.details.map((d: { path: string[] }) => d.path[0])]).toEqual([400, ['receivedAt']]);
    expect(await deps.db.document.count({ where: { docNumber } })).toBe(0);

    const issuedAt = new Date(now - 2 * 86_400_000).toISOString();
    const res = await request(app).post('/api/documents').set(as('ro-director')).send({ ...arrival, issuedAt, receivedAt: new Date(now - 3_600_000).toISOString() });
    expect(res.status).toBe(201);
    const { id } = res.body.document;
    await waitForState(id, 'AWAITING_LEAD');
    await waitForMail((m) => m.subject.startsWith('【待确定牵头部门】') && m.subject.includes(docNumber) && m.to.includes('ro-supervisor@zibo.example.cn'));
    const step = (path: string, who: string, body: object) => request(app).post(`/api/documents/${id}/${path}`).set(as(who)).send(body);
    expect((await step('lead', 'dept-finance-liaison', { leadUnitId: 'dept-health' })).status).toBe(403);
    const notDepartment = await step('lead', 'ro-director', { leadUnitId: 'district-zhangdian' });
    expect([notDepartment.status, notDepartment.body.error.details[0].path]).toEqual([400, ['leadUnitId']]);
    const named = await step('lead', 'ro-director', { leadUnitId: 'dept-health', note: '由市卫健委牵头' });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ state: 'ASSIGNED', leadUnitId: 'dept-health' });
    // The month counts from the provincial document's issuance and the 交办单 says so.
    const assignment = await waitForMail((m) => m.subject.startsWith('【交办单】') && m.subject.includes(docNumber) && m.to.includes('dept-health-liaison@zibo.example.cn'));
    expect(assignment.text).toContain('自省级改革文件印发之时');
    expect(named.body.dueAt).toBe(dueAfter(issuedAt, defaultPolicy.document.assignmentDeadline).toISOString());
    expect((await step('lead', 'ro-director', { leadUnitId: 'dept-finance' })).status).toBe(409);

    // 第四条（二）: an empty ledger is refused.
    expect((await step('acknowledge', 'dept-health-liaison', {})).status).toBe(200);
    const empty = await step('ledger', 'dept-health-liaison', { leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [] });
    expect([empty.status, empty.body.error.details[0].path]).toEqual([400, ['tasks']]);
    const task = { title: '制定实施细则', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: new Date(now + 90 * 86_400_000).toISOString() };
    expect((await step('ledger', 'dept-health-liaison', { leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [task] })).status).toBe(200);
    expect((await step('draft', 'dept-health-liaison', {})).status).toBe(200);
    for (const path of ['legal-review', 'executive-meeting', 'adoption']) expect((await step(path, 'ro-director', { approved: true })).status).toBe(200);
    // 印发到区县: every district unless named.
    const issued = await step('issuance', 'dept-health-liaison', { municipalDocNumber: `淄政字${docNumber}`, municipalTitle: '淄博市贯彻落实意见' });
    expect(issued.status).toBe(200);
    const districts = await deps.db.unit.findMany({ where: { kind: 'DISTRICT' }, select: { id: true }, orderBy: { id: 'asc' } });
    expect(issued.body.districtIds).toEqual(districts.map((d) => d.id));
    await waitForMail((m) => m.subject.startsWith('【印发通知】') && m.subject.includes(docNumber) && m.to.includes('district-zhangdian-director@zibo.example.cn'));
    expect((await step('distribution/acknowledge', 'dept-finance-liaison', {})).status).toBe(403);
    expect((await step('distribution/acknowledge', 'district-zhangdian-deputy', { districtId: 'district-zichuan' })).status).toBe(403);
    const acked = await step('distribution/acknowledge', 'district-zhangdian-deputy', { note: '已组织学习' });
    expect(acked.status).toBe(200);
    expect((await step('distribution/acknowledge', 'district-zhangdian-deputy', {})).status).toBe(409);
    const owed = await deps.db.obligation.findMany({ where: { subjectId: id, key: { contains: ':distribution:' } } });
    expect(owed.filter((o) => o.status === 'DONE').map((o) => o.unitId)).toEqual(['district-zhangdian']);
    expect(owed).toHaveLength(districts.length);
  });

  it('bulk import: good rows arrive, bad rows are reported, a re-run is harmless', async () => {
    const n1 = uniqueDocNumber('鲁办发');
    const n2 = uniqueDocNumber('鲁政办字');
    const csv = [
      'level,title,docNumber,issuedAt,leadUnitId,participantUnitIds',
      `PROVINCIAL,关于深化养老服务改革的意见,${n1},2026-11-02,dept-hrss,dept-finance;dept-health`,
      `PROVINCIAL,,bad-row-no-title,2026-11-02,dept-hrss,`,
      `CENTRAL,关于健全社会信用体系的意见,${n2},2026-11-03,dept-ndrc,`,
      `PROVINCIAL,未知单位,${uniqueDocNumber('鲁发')},2026-11-03,dept-nowhere,`,
    ].join('\n');
    const { rows } = await readDocumentRows('export.csv', Buffer.from(csv));
    const progress: number[] = [];
    const first = await importDocuments(deps.db, client, rows, { concurrency: 2, onProgress: (d) => progress.push(d) });
    expect(first).toMatchObject({ total: 4, created: 2, existing: 0 });
    expect(first.rejected.map((r) => r.line)).toEqual([3, 5]);
    expect(progress).toHaveLength(4);
    const second = await importDocuments(deps.db, client, rows);
    expect(second).toMatchObject({ created: 0, existing: 2 });
    const doc = await deps.db.document.findUniqueOrThrow({ where: { docNumber: n1 } });
    expect(doc.participantUnitIds).toEqual(['dept-finance', 'dept-health']);
    await waitForMail((m) => m.subject.startsWith('【提示单】') && m.subject.includes(n2));
  });
});
