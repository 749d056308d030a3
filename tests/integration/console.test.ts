/**
 * The routes the web console added, through the real API on the Temporal dev
 * server, PostgreSQL and the SMTP sink: my to-do list, the document list and
 * who sees what, the steps a caller may take now, officials' tokens, the
 * console's static files — and that answers have the shapes the OpenAPI
 * document promises (the console's types are generated from it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { z } from 'zod';
import { createApp } from '../../api/app';
import * as c from '../../api/schemas/console';
import * as v from '../../api/schemas/views';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';

jest.setTimeout(120_000);

describe('console routes (dev server)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let app: Express;
  let webDir: string;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  /** The answer, checked against its documented schema (throws on a mismatch, naming the field and showing the answer: an error's body says why). */
  const shaped = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`the answer does not match its schema: ${JSON.stringify(body).slice(0, 600)}\n${parsed.error.message}`);
    return parsed.data;
  };

  // One document led by 市农业农村局 (no other test's unit), 市商务局 participating.
  let docId: string;
  let workflowId: string;
  const title = '关于深化农村集体经营性建设用地入市改革的实施意见';

  beforeAll(async () => {
    harness = await startDevServerWorker();
    deps = harness.deps;
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>督办系统</title><div id="app"></div>');
    app = createApp({ db: deps.db, client: harness.client, webDir });
    for (const who of ['ro-director', 'dept-agriculture-liaison', 'dept-agriculture-head', 'dept-commerce-liaison', 'district-gaoqing-director']) tokens[who] = await tokenFor(deps.db, who);
    const res = await request(app)
      .post('/api/documents')
      .set(as('ro-director'))
      .send({ level: 'PROVINCIAL', title, docNumber: uniqueDocNumber('鲁农发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-agriculture', participantUnitIds: ['dept-commerce'] });
    expect(res.status).toBe(201);
    shaped(v.DocumentArrived, res.body);
    docId = res.body.document.id;
    workflowId = res.body.document.workflowId;
    await eventually(() => deps.db.notice.count({ where: { subjectId: docId, kind: 'ASSIGNMENT', status: 'SENT' } }), (n) => n === 1);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await harness?.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('my to-do list: the 交办单 to sign for and my obligations with lights, most urgent first; the count drops when I sign', async () => {
    const todo = shaped(c.Todo, (await request(app).get('/api/me/todo').set(as('dept-agriculture-liaison'))).body);
    const notice = todo.notices.find((n) => n.subject.id === docId)!;
    expect(notice).toMatchObject({ kind: 'ASSIGNMENT', kindLabel: '交办单', rule: '第五条', light: 'GREEN', link: `/documents/${docId}`, subject: { title } });
    const mine = todo.obligations.filter((o) => o.subject.id === docId);
    // The ledger is due "第一时间" (第四条（二）: by the end of the third day, just beyond the warning window), then the draft and the document.
    expect(mine.map((o) => [o.title, o.light])).toEqual([
      ['签收交办单并建立台账', 'GREEN'],
      ['报送上会文件初稿', 'GREEN'],
      ['出台市级配套文件并印发到区县', 'GREEN'],
    ]);
    expect(mine.every((o) => !o.overdue && o.link === `/documents/${docId}`)).toBe(true);
    expect(todo.obligations.map((o) => o.dueAt)).toEqual([...todo.obligations.map((o) => o.dueAt)].sort());
    expect(todo.count).toBe(todo.notices.length + todo.obligations.length);

    // The participating department is notified too, but the obligations are the lead unit's liaison's.
    const other = shaped(c.Todo, (await request(app).get('/api/me/todo').set(as('dept-commerce-liaison'))).body);
    expect(other.obligations.filter((o) => o.subject.id === docId)).toEqual([]);

    const ack = await request(app).post(`/api/notices/${notice.noticeId}/acknowledge`).set(as('dept-agriculture-liaison'));
    shaped(v.NoticeAcknowledged, ack.body);
    const after = shaped(c.Todo, (await request(app).get('/api/me/todo').set(as('dept-agriculture-liaison'))).body);
    // This document's items only: the shared server's other workflows may change this liaison's list meanwhile.
    const ofDocument = (t: typeof todo) => t.notices.filter((n) => n.subject.id === docId).length + t.obligations.filter((o) => o.subject.id === docId).length;
    expect(ofDocument(after)).toBe(ofDocument(todo) - 1);
    expect(after.count).toBe(after.notices.length + after.obligations.length);
    expect(after.notices.some((n) => n.noticeId === notice.noticeId)).toBe(false);
  });

  it('the document list shows a document to its units and the reform office only, with filters', async () => {
    const list = async (who: string, query = '') => shaped(c.DocumentList, (await request(app).get(`/api/documents${query}`).set(as(who))).body);
    const ids = async (who: string, query = '') => (await list(who, query)).items.map((d) => d.id);
    expect(await ids('dept-agriculture-liaison')).toContain(docId);
    expect(await ids('dept-commerce-liaison')).toContain(docId);
    expect(await ids('ro-director')).toContain(docId);
    expect(await ids('district-gaoqing-director')).not.toContain(docId);

    const row = (await list('dept-agriculture-liaison')).items.find((d) => d.id === docId)!;
    // The light of its most urgent obligation: the ledger, due "第一时间".
    expect(row).toMatchObject({ leadUnitName: '市农业农村局', state: 'ASSIGNED', stateLabel: '已交办', light: 'GREEN', overdue: false });
    expect(await ids('ro-director', '?leadUnit=dept-agriculture&state=ASSIGNED')).toContain(docId);
    expect(await ids('ro-director', '?state=COMPLETED')).not.toContain(docId);
    expect(await ids('ro-director', `?q=${encodeURIComponent('集体经营性')}`)).toContain(docId);
    expect(await ids('ro-director', '?overdue=false&leadUnit=dept-agriculture')).toContain(docId);
    expect(await ids('ro-director', '?overdue=true&leadUnit=dept-agriculture')).not.toContain(docId);
    expect((await request(app).get('/api/documents?state=bad%20value').set(as('ro-director'))).status).toBe(400);
  });

  it('offers exactly the steps the caller may take now, and follows the workflow', async () => {
    const actions = async (who: string) => {
      const res = await request(app).get(`/api/documents/${docId}/actions`).set(as(who));
      return res.status === 200 ? shaped(c.DocumentActions, res.body).actions.map((a) => a.path) : res.status;
    };
    expect(await actions('dept-agriculture-liaison')).toEqual(['acknowledge']);
    expect(await actions('dept-commerce-liaison')).toEqual([]); // a participant sees the document, acts on nothing
    expect(await actions('district-gaoqing-director')).toBe(404); // not concerned: as if it did not exist
    // The reform office may also exempt it, chase the open obligations and reassign.
    const admin = shaped(c.DocumentActions, (await request(app).get(`/api/documents/${docId}/actions`).set(as('ro-director'))).body);
    expect(admin.actions.map((a) => a.path).sort()).toEqual(['acknowledge', 'exemption', 'manual-chase', 'reassign']);
    expect(admin.actions.find((a) => a.form === 'manual-chase')?.obligations?.map((o) => o.name).sort()).toEqual(['draft', 'issuance', 'ledger']);
    // The unit's head may reassign; its liaison may not.
    expect(await actions('dept-agriculture-head')).toEqual(['acknowledge', 'reassign']);

    // Every offered step is one the route accepts: take it, and the offer moves on.
    expect((await request(app).post(`/api/documents/${docId}/acknowledge`).set(as('dept-agriculture-liaison')).send({})).status).toBe(200);
    expect(await actions('dept-agriculture-liaison')).toEqual(['ledger', 'ledger-tasks']);
    const ledger = await request(app)
      .post(`/api/documents/${docId}/ledger`)
      .set(as('dept-agriculture-liaison'))
      .send({ leadLeaderId: 'dept-agriculture-leader', draftingUnitId: 'dept-agriculture', timeline: [], tasks: [{ title: '摸清入市地块底数', unitId: 'dept-agriculture', ownerId: 'dept-agriculture-drafter', dueAt: '2026-12-15' }] });
    const detail = shaped(v.DocumentDetail, ledger.body);
    const taskId = detail.ledgerTasks[0].id;
    const next = shaped(c.DocumentActions, (await request(app).get(`/api/documents/${docId}/actions`).set(as('dept-agriculture-liaison'))).body);
    expect(next.stateLabel).toBe('起草中');
    expect(next.actions.map((a) => [a.form, a.taskId ?? null])).toEqual([
      ['draft', null],
      ['add-task', null],
      ['task-progress', taskId],
      ['task-close', taskId],
    ]);
    expect(next.actions[2].path).toBe(`ledger-tasks/${encodeURIComponent(taskId)}/progress`);
    // A step that is not offered is refused by the workflow, with its reason.
    const refused = await request(app).post(`/api/documents/${docId}/acknowledge`).set(as('dept-agriculture-liaison')).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('不能签收');
  });

  it('offers the reform office the lead department of a document that arrived without one, and each district its acknowledgement of the issued document', async () => {
    const arrived = await request(app)
      .post('/api/documents')
      .set(as('ro-director'))
      .send({ level: 'PROVINCIAL', title: '关于深化自然资源资产产权制度改革的实施意见', docNumber: uniqueDocNumber('鲁自然资发'), issuedAt: new Date().toISOString() });
    expect(arrived.status).toBe(201);
    const id: string = arrived.body.document.id;
    await eventually(() => deps.db.document.findUniqueOrThrow({ where: { id } }), (d) => d.state === 'AWAITING_LEAD');
    const offered = async (who: string) => {
      const res = await request(app).get(`/api/documents/${id}/actions`).set(as(who));
      expect(res.status).toBe(200);
      return shaped(c.DocumentActions, res.body).actions.map((a) => [a.form, a.districtId ?? null]);
    };
    const step = (path: string, body: object) => request(app).post(`/api/documents/${id}/${path}`).set(as('ro-director')).send(body);
    // 第五条: nobody leads it yet; the reform office names the lead department (a 交办单 cannot be signed before).
    expect(await offered('ro-director')).toEqual([['lead', null], ['exemption', null], ['manual-chase', null], ['reassign', null]]);
    expect((await step('lead', { leadUnitId: 'dept-resources' })).status).toBe(200);
    expect((await offered('ro-director'))[0]).toEqual(['acknowledge', null]);

    for (const [path, body] of [
      ['acknowledge', {}],
      ['ledger', { leadLeaderId: 'dept-resources-leader', draftingUnitId: 'dept-resources', timeline: [], tasks: [{ title: '清查自然资源资产', unitId: 'dept-resources', ownerId: 'dept-resources-drafter', dueAt: '2027-03-31' }] }],
      ['draft', {}],
      ['legal-review', { approved: true }],
      ['executive-meeting', { approved: true }],
      ['adoption', { approved: true }],
      ['issuance', { municipalDocNumber: uniqueDocNumber('淄政发'), municipalTitle: '淄博市自然资源资产产权制度改革实施方案', districtIds: ['district-gaoqing', 'district-huantai'] }],
    ] as const) {
      expect([path, (await step(path, body)).status]).toEqual([path, 200]);
    }
    // 印发到区县: each district lists the document and signs for its own copy; the reform office may sign for either.
    const listed = shaped(c.DocumentList, (await request(app).get('/api/documents').set(as('district-gaoqing-director'))).body);
    expect(listed.items.map((d) => d.id)).toContain(id);
    expect(await offered('district-gaoqing-director')).toEqual([['distribution-ack', 'district-gaoqing']]);
    expect((await offered('ro-director')).filter(([form]) => form === 'distribution-ack')).toEqual([
      ['distribution-ack', 'district-gaoqing'],
      ['distribution-ack', 'district-huantai'],
    ]);
    const signed = await request(app).post(`/api/documents/${id}/distribution/acknowledge`).set(as('district-gaoqing-director')).send({ districtId: 'district-gaoqing' });
    expect(signed.status).toBe(200);
    expect(await offered('district-gaoqing-director')).toEqual([]);
  });

  it('answers in the documented shapes: detail, timeline, overdue board, audit, policies, selections, organisation', async () => {
    shaped(v.DocumentDetail, (await request(app).get(`/api/documents/${docId}`).set(as('dept-agriculture-liaison'))).body);
    const timeline = shaped(v.Timeline, (await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline?brief=true`).set(as('dept-agriculture-liaison'))).body);
    expect(timeline.events.length).toBeGreaterThan(2);
    const board = shaped(v.OverdueBoard, (await request(app).get('/api/admin/overdue?withinDays=60&unit=dept-agriculture').set(as('ro-director'))).body);
    expect(board.items.some((i) => i.subjectId === docId)).toBe(true);
    shaped(v.WorkflowSearch, (await request(app).get('/api/admin/workflows?family=document').set(as('ro-director'))).body);
    const audit = shaped(v.AuditPage, (await request(app).get(`/api/admin/audit?subject=${docId}`).set(as('ro-director'))).body);
    expect(audit.items.map((a) => a.action)).toContain('POST /documents/:id/ledger');
    shaped(v.PolicyVersions, (await request(app).get('/api/policies').set(as('ro-director'))).body);
    shaped(c.SelectionList, (await request(app).get('/api/innovation/selections').set(as('ro-director'))).body);
    const units = shaped(c.Units, (await request(app).get('/api/org/units').set(as('dept-commerce-liaison'))).body);
    expect(units.items.filter((u) => u.kind === 'DISTRICT')).toHaveLength(11);
    const people = shaped(c.Officials, (await request(app).get('/api/org/officials?unit=dept-agriculture').set(as('dept-commerce-liaison'))).body);
    expect(people.items.map((o) => o.id)).toEqual(['dept-agriculture-drafter', 'dept-agriculture-head', 'dept-agriculture-leader', 'dept-agriculture-liaison']);
  });

  it('administrators issue an official a token (shown once) and revoke it; others may not', async () => {
    const path = '/api/admin/officials/dept-agriculture-head/tokens';
    expect((await request(app).post(path).set(as('dept-agriculture-liaison')).send({ label: '系统对接' })).status).toBe(403);
    expect((await request(app).post(path).set(as('ro-director')).send({ label: '' })).status).toBe(400);
    expect((await request(app).post('/api/admin/officials/nobody/tokens').set(as('ro-director')).send({ label: 'x' })).status).toBe(404);
    const issued = await request(app).post(path).set(as('ro-director')).send({ label: '系统对接' });
    expect(issued.status).toBe(201);
    const { id, token } = shaped(c.TokenIssued, issued.body);
    const me = await request(app).get('/api/auth/session').set('Authorization', `Bearer ${token}`);
    expect(shaped(c.SessionView, me.body)).toMatchObject({ official: { id: 'dept-agriculture-head' }, csrfToken: null, method: 'bearer' });
    const listed = shaped(c.Tokens, (await request(app).get(path).set(as('ro-director'))).body);
    expect(listed.items.find((t) => t.id === id)).toMatchObject({ label: '系统对接', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);

    const revoked = await request(app).post(`/api/admin/tokens/${id}/revoke`).set(as('ro-director'));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await request(app).get('/api/auth/session').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    // Revoking again keeps the first time.
    expect((await request(app).post(`/api/admin/tokens/${id}/revoke`).set(as('ro-director'))).body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('serves the console at / for every page address, with security headers; /api stays JSON', async () => {
    const page = await request(app).get(`/documents/${docId}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const api = await request(app).get('/api/nothing-here').set('Accept', 'text/html').set(as('ro-director'));
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('NOT_FOUND');
    expect((await request(app).get('/todo').set('Accept', 'application/json')).status).toBe(404);
  });
});
