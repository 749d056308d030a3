/**
 * Administrators inspect everything (issue #6), through the real API on the
 * real Temporal dev server, PostgreSQL and SMTP sink: a document's timeline
 * reads in order with the right actors, search by unit and status over
 * Temporal visibility, audit rows for allowed and refused requests, roles,
 * and the OpenAPI document (valid, and listing every route). A month's cycle,
 * a selection and a rollout read the same way as a document (issue #12): one
 * timeline, search and overdue board for every family, each named by its subject.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { OverdueItem } from '../../api/admin/overdue';
import type { TimelineEvent } from '../../api/admin/timeline';
import { resolvePolicy } from '../../common/policy/resolve';
import { TASK_QUEUE } from '../../common/taskQueues';
import { rolloutWorkflowId } from '../../workflows/innovation/ids';
import type { RolloutInput } from '../../workflows/innovation/messages';
import { rolloutWorkflow } from '../../workflows/innovation/rollout';
import { CYCLE_YEARS, shanghaiYear } from '../support/testClock';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { expressRoutes } from '../support/expressRoutes';
import { chainWorkflow, pokeUpdate } from '../support/fixtures/chainWorkflow';

jest.setTimeout(120_000);


describe('admin API (dev server)', () => {
  let deps: TestDeps;
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  // One PROVINCIAL document, driven through the API, shared by the tests below.
  let docId: string;
  let docNumber: string;
  let workflowId: string;
  // Idempotency keys are HTTP header values: ASCII, unlike the document number.
  const keyTag = `admin-it-${Date.now()}`;
  // Workflows of the other families this file starts, ended after it.
  const started: string[] = [];

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client, temporalUiUrl: 'http://ui.test:8233' });
    for (const who of ['ro-director', 'dept-health-liaison', 'dept-health-head', 'dept-finance-liaison', 'district-zhangdian-director', 'district-zhangdian-deputy', 'district-zichuan-deputy', 'district-zichuan-director', 'district-boshan-director']) {
      tokens[who] = await tokenFor(deps.db, who);
    }

    docNumber = uniqueDocNumber('鲁改办发');
    const arrival = await request(app)
      .post('/api/documents')
      .set(auth('ro-director'))
      .send({ level: 'PROVINCIAL', title: '关于深化营商环境改革的实施意见', docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] });
    expect(arrival.status).toBe(201);
    docId = arrival.body.document.id;
    workflowId = arrival.body.document.workflowId;
    // The assignment is sent before the lead can act on it.
    await eventually(() => deps.db.notice.count({ where: { workflowId, kind: 'ASSIGNMENT', status: 'SENT' } }), (n) => n === 1);

    const step = (who: string, path: string, body: object, key?: string, ref = docId) => {
      const req = request(app).post(`/api/documents/${encodeURIComponent(ref)}/${path}`).set(auth(who));
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    };
    expect((await step('dept-health-liaison', 'acknowledge', { note: '已签收' }, `${keyTag}-ack`)).status).toBe(200);
    // Refused: an official the document does not concern (404, as for a missing one) and an impossible step (409).
    expect((await step('district-zhangdian-director', 'draft', {})).status).toBe(404);
    expect((await step('dept-health-liaison', 'draft', {})).status).toBe(409);
    // By document number in the path, like an official would type it.
    const ledger = await step(
      'dept-health-liaison',
      'ledger',
      { leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [{ title: '起草实施意见', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }] },
      `${keyTag}-ledger`,
      docNumber,
    );
    expect(ledger.status).toBe(200);
    expect((await step('dept-health-liaison', 'draft', { note: '初稿已报送' }, `${keyTag}-draft`)).status).toBe(200);
    // Not authenticated at all (401): not audited (anonymous noise, limited per address; tests/reliability/floods.test.ts).
    expect((await request(app).post(`/api/documents/${docId}/acknowledge`).send({})).status).toBe(401);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    for (const id of started) await client.workflow.getHandle(id).terminate('test done').catch(() => undefined);
    await harness?.close();
  });

  const timelineOf = (key: string, who = 'ro-director') => request(app).get(`/api/admin/workflows/${encodeURIComponent(key)}/timeline`).set(auth(who));
  const search = (query: string) => request(app).get(`/api/admin/workflows?${query}`).set(auth('ro-director'));
  /** The workflow's search result, once visibility lists it. */
  const found = async (query: string, workflowId: string) =>
    (await eventually(() => search(query), (r) => r.status === 200 && r.body.items.some((i: { workflowId: string }) => i.workflowId === workflowId))).body.items.find(
      (i: { workflowId: string }) => i.workflowId === workflowId,
    );
  /** The overdue board's items of one workflow, by the clock `at` (the admin views take the API's clock). */
  const boardOf = async (workflowId: string, query: string, at?: Date) => {
    const board = await request(at ? createApp({ db: deps.db, client, now: () => at }) : app).get(`/api/admin/overdue?${query}`).set(auth('ro-director'));
    expect(board.status).toBe(200);
    return (board.body.items as OverdueItem[]).filter((i) => i.workflowId === workflowId);
  };

  it("reads a document's timeline in order, with names, rules and the Temporal UI link", async () => {
    const res = await eventually(
      () => request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(auth('ro-director')),
      (r) => r.status === 200 && r.body.events.some((e: TimelineEvent) => e.data?.update === 'submitDraft' && e.data?.recordedAt),
    );
    expect(res.status).toBe(200);
    const t = res.body;
    expect(t.family).toBe('document');
    expect(t.subject).toMatchObject({ type: 'document', id: docId, reference: docNumber });
    expect(t.temporalUiUrl).toBe(`http://ui.test:8233/namespaces/${harness.client.options.namespace}/workflows/${encodeURIComponent(workflowId)}`);
    const events: TimelineEvent[] = t.events;
    // Ordered by time.
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const liaison = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-liaison' } });
    const zhangdian = await deps.db.official.findUniqueOrThrow({ where: { id: 'district-zhangdian-director' } });
    const index = (pred: (e: TimelineEvent) => boolean) => events.findIndex(pred);
    const started = index((e) => e.kind === 'started');
    const assignment = index((e) => e.kind === 'notice' && e.data?.noticeKind === 'ASSIGNMENT');
    const ack = index((e) => e.kind === 'update' && e.data?.update === 'acknowledge');
    const refusedOutsider = index((e) => e.kind === 'request' && e.title.includes('HTTP 404'));
    const refused409 = index((e) => e.kind === 'request' && e.title.includes('HTTP 409'));
    const ledger = index((e) => e.kind === 'update' && e.data?.update === 'openLedger');
    const draft = index((e) => e.kind === 'update' && e.data?.update === 'submitDraft');
    const unauthenticated = index((e) => e.kind === 'request' && e.title.includes('HTTP 401'));
    for (const i of [started, assignment, ack, refusedOutsider, refused409, ledger, draft]) expect(i).toBeGreaterThanOrEqual(0);
    // The anonymous request was not audited, so it is not in the timeline.
    expect(unauthenticated).toBe(-1);
    expect(started).toBeLessThan(assignment);
    expect(assignment).toBeLessThan(ack);
    expect(ack).toBeLessThan(refusedOutsider);
    expect(refusedOutsider).toBeLessThan(refused409);
    expect(refused409).toBeLessThan(ledger);
    expect(ledger).toBeLessThan(draft);

    // Actors are officials by name; the rule is cited; the notice lists its recipients by name.
    expect(events[ack]).toMatchObject({ actor: { officialId: 'dept-health-liaison', name: liaison.name, unitName: '市卫生健康委' }, rule: '第五条' });
    expect(events[ack].title).toBe(`${liaison.name}（市卫生健康委）签收`);
    expect(events[ack].detail).toBe('附言：已签收');
    // The request that carried the update is joined to it (same Idempotency-Key), not listed twice.
    expect(events[ack].data?.request).toMatchObject({ status: 200, method: 'POST' });
    expect(events[draft].title).toBe(`${liaison.name}（市卫生健康委）报送上会文件初稿`);
    // An outsider's probe still shows to administrators.
    expect(events[refusedOutsider]).toMatchObject({ actor: { officialId: 'district-zhangdian-director', name: zhangdian.name } });
    expect(events[refusedOutsider].title).toBe('请求被拒绝（HTTP 404）：报送上会文件初稿（第五条）');
    expect(events[assignment].title).toMatch(/^发出【交办单】/);
    // Why a request was refused, in the words the official saw.
    expect(events[refused409].detail).toBe('原因：当前状态为“已签收”，不能报送上会文件初稿（需处于“起草中”）');
    expect(events[assignment].rule).toBe('第五条');
    const health = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-leader' } });
    expect(events[assignment].detail).toContain(health.name);
    // The activity behind each notice shows, with its attempts.
    expect(events[assignment].data).toMatchObject({ activityType: 'recordArrival', attempts: 1, delivery: 'SENT' });
    expect(events.some((e) => e.kind === 'timer-started')).toBe(true);
    expect(events.some((e) => e.kind === 'state' && e.title === '状态变为“已报送上会文件初稿”')).toBe(true);

    // The document number alone finds the same timeline.
    const byNumber = await request(app).get(`/api/admin/workflows/${encodeURIComponent(docNumber)}/timeline`).set(auth('ro-director'));
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.workflowId).toBe(workflowId);

    // brief=true leaves out bookkeeping (state writes, re-armed timers) but keeps every act and notice.
    const brief = await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline?brief=true`).set(auth('ro-director'));
    expect(brief.body.events.length).toBeLessThan(events.length);
    expect(brief.body.events.some((e: TimelineEvent) => e.kind === 'state')).toBe(false);
    expect(brief.body.events.filter((e: TimelineEvent) => e.kind === 'update' || e.kind === 'notice' || e.kind === 'request')).toHaveLength(
      events.filter((e) => e.kind === 'update' || e.kind === 'notice' || e.kind === 'request').length,
    );
  });

  it('searches workflows by unit and status over Temporal visibility, with pagination', async () => {
    const list = (query: string, who = 'ro-director') => request(app).get(`/api/admin/workflows?${query}`).set(auth(who));
    const mine = await eventually(
      () => list('family=document&unit=dept-health&status=running'),
      (r) => r.status === 200 && r.body.items.some((i: { workflowId: string }) => i.workflowId === workflowId),
    );
    expect(mine.status).toBe(200);
    const item = mine.body.items.find((i: { workflowId: string }) => i.workflowId === workflowId);
    expect(item).toMatchObject({
      family: 'document',
      status: 'RUNNING',
      statusLabel: '运行中',
      state: 'DRAFT_SUBMITTED',
      stateLabel: '已报送上会文件初稿',
      level: 'PROVINCIAL',
      units: expect.arrayContaining(['dept-health', 'dept-finance']),
      overdue: false,
      subject: { type: 'document', id: docId, reference: docNumber },
    });
    expect(mine.body.query).toContain("DubanUnits = 'dept-health'");

    // Another unit, another status, another state: not listed.
    const notOverdue = await list('family=document&overdue=false&to=2099-01-01');
    expect(notOverdue.status).toBe(200);
    expect(notOverdue.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(workflowId);
    for (const q of ['unit=district-zhangdian', 'status=completed', 'state=ASSIGNED', 'level=CENTRAL', 'overdue=true', 'from=2099-01-01']) {
      const r = await list(`family=document&${q}`);
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(workflowId);
    }
    const byState = await list('state=DRAFT_SUBMITTED&from=2020-01-01');
    expect(byState.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(workflowId);

    // Pagination: a second document on the same unit, page size 1.
    const other = await request(app)
      .post('/api/documents')
      .set(auth('ro-director'))
      .send({ level: 'PROVINCIAL', title: '第二份文件', docNumber: uniqueDocNumber('鲁政办发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-health' });
    expect(other.status).toBe(201);
    await eventually(
      () => list('family=document&unit=dept-health'),
      (r) => r.body.items.some((i: { workflowId: string }) => i.workflowId === other.body.document.workflowId),
    );
    const page1 = await list('family=document&unit=dept-health&pageSize=1');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextPageToken).toEqual(expect.any(String));
    const page2 = await list(`family=document&unit=dept-health&pageSize=1&nextPageToken=${page1.body.nextPageToken}`);
    expect(page2.status).toBe(200);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].workflowId).not.toBe(page1.body.items[0].workflowId);

    // Values that could break out of the query are refused before Temporal sees them.
    const injection = await list(`unit=${encodeURIComponent("x' OR WorkflowId != '")}`);
    expect(injection.status).toBe(400);
    expect(injection.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('audits allowed and refused requests, filterable, and offers no way to change them', async () => {
    const audit = (query: string) => request(app).get(`/api/admin/audit?${query}`).set(auth('ro-director'));
    // Scoped to this test's document: other test files act as the same officials in the shared database.
    const refused = await eventually(
      () => audit(`official=district-zhangdian-director&status=4xx&subject=${docId}`),
      (r) => r.body.items?.length >= 1,
    );
    expect(refused.status).toBe(200);
    expect(refused.body.items[0]).toMatchObject({
      officialId: 'district-zhangdian-director',
      method: 'POST',
      status: 404,
      outcome: '被拒绝或失败',
      official: { id: 'district-zhangdian-director', unitName: '张店区' },
    });
    expect(refused.body.items[0].path).toBe(`/api/documents/${docId}/draft`);
    expect(refused.body.items[0].action).toBe('POST /documents/:id/draft');
    expect(refused.body.items[0].subjectId).toBe(docId);
    expect(refused.body.items[0].detail.error).toEqual({ code: 'NOT_FOUND', message: `未找到文件 ${docId}（不存在或无权查看）` });
    expect(refused.body.items[0].ip).toBeTruthy();

    const allowed = await audit(`official=dept-health-liaison&status=200&action=acknowledge&subject=${docId}`);
    expect(allowed.body.items).toHaveLength(1);
    expect(allowed.body.items[0].detail).toEqual({ idempotencyKey: `${keyTag}-ack` });

    const conflict = await audit('official=dept-health-liaison&status=409');
    expect(conflict.body.items.map((i: { path: string }) => i.path)).toContain(`/api/documents/${docId}/draft`);

    const unauthenticated = await audit(`status=401&subject=${docId}`);
    expect(unauthenticated.body.items).toEqual([]);

    // Cursor pagination walks every row once.
    const all = await audit(`subject=${docId}&limit=100`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await audit(`subject=${docId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));

    // Append-only: no route changes the audit log.
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const r = await request(app)[method]('/api/admin/audit').set(auth('ro-director')).send({});
      expect(r.status).toBe(404);
    }
  });

  it("refuses non-admins the admin routes; a unit's officials see only their unit's items", async () => {
    const outsider = auth('district-zhangdian-director');
    for (const path of ['/api/admin/workflows', '/api/admin/audit', '/api/admin/overdue?unit=dept-health']) {
      const r = await request(app).get(path).set(outsider);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    // Another unit's item is answered like a missing one (tests/integration/visibility.test.ts).
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(outsider)).status).toBe(404);
    // The lead department sees its document's timeline and its own overdue board, not search or audit.
    const lead = auth('dept-health-head');
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(lead)).status).toBe(200);
    expect((await request(app).get('/api/admin/workflows').set(lead)).status).toBe(403);
    expect((await request(app).get('/api/admin/audit').set(lead)).status).toBe(403);
    const board = await request(app).get('/api/admin/overdue?withinDays=60').set(lead);
    expect(board.status).toBe(200);
    expect(board.body.items.length).toBeGreaterThan(0);
    expect(board.body.items.every((i: { unit: { id: string } }) => i.unit.id === 'dept-health')).toBe(true);
    // A participating department also sees the timeline (the document concerns it).
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set(auth('dept-finance-liaison'))).status).toBe(200);
    // No token at all: 401.
    expect((await request(app).get('/api/admin/overdue')).status).toBe(401);
    // An unknown workflow: 404 with the one error shape.
    const missing = await request(app).get('/api/admin/workflows/document:nope/timeline').set(auth('ro-director'));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it("reads a month's 六个一 cycle like a document: timeline by month, search and overdue board, named by its subject", async () => {
    // A month years ahead (the dev server runs on the wall clock), clear of the months other test files use.
    const month = `${shanghaiYear(Date.now()) + CYCLE_YEARS.admin}-04`;
    const start = await request(app).post('/api/cycles').set(auth('ro-director')).send({ month, seed: 'admin-test' });
    expect(start.status).toBe(201);
    const workflowId: string = start.body.workflowId;
    started.push(workflowId);
    // The answer is the workflow's own view: the month's targets are drawn, steps are accepted from now on.
    expect(start.body.cycle).toMatchObject({ id: month, workflowId, seed: 'admin-test', phase: 'COLLECTING' });
    expect(start.body.cycle.targetUnitIds.length).toBeGreaterThan(0);
    const report = (who: string, body: object, key?: string) => {
      const req = request(app).post(`/api/cycles/${month}/reports`).set(auth(who));
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    };
    expect((await report('district-zichuan-deputy', { unitId: 'district-zhangdian', summary: '代报' })).status).toBe(403);
    expect((await report('district-zhangdian-deputy', { summary: '本月改革任务按计划推进' }, `${keyTag}-report`)).status).toBe(200);

    // The timeline, named by the month as officials name it.
    // (The dispatch notices to every unit go out while the first report may already arrive.)
    const res = await eventually(
      () => timelineOf(month),
      (r) =>
        r.status === 200 &&
        r.body.events.some((e: TimelineEvent) => e.data?.update === 'submitReport' && e.data?.recordedAt) &&
        r.body.events.some((e: TimelineEvent) => e.kind === 'notice' && e.data?.noticeKind === 'DISPATCH'),
    );
    const t = res.body;
    expect(t.workflowId).toBe(workflowId);
    expect(t).toMatchObject({ family: 'cycle', familyTitle: '“六个一”月度督导流程' });
    const title = `${month.slice(0, 4)}年4月“六个一”督导`;
    expect(t.subject).toEqual({ type: 'cycle', id: month, title, reference: month, link: `/cycles/${month}` });
    const events: TimelineEvent[] = t.events;
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(events.find((e) => e.kind === 'started')?.title).toBe(`“六个一”月度督导流程启动：《${title}》（${month}）`);
    const deputy = await deps.db.official.findUniqueOrThrow({ where: { id: 'district-zhangdian-deputy' } });
    const reported = events.find((e) => e.kind === 'update' && e.data?.update === 'submitReport')!;
    expect(reported).toMatchObject({ title: `${deputy.name}（张店区）报送月度调度情况`, rule: '第六条（一）', detail: 'district-zhangdian' });
    expect(reported.data?.request).toMatchObject({ status: 200, method: 'POST' });
    const refused = events.find((e) => e.kind === 'request' && e.title.includes('HTTP 403'))!;
    expect(refused.title).toBe('请求被拒绝（HTTP 403）：区县、专项小组或承担改革任务的部门报送月度调度情况（一月一调度）');
    expect(refused.detail).toBe('原因：只能报送本单位的调度情况');
    const dispatch = events.find((e) => e.kind === 'notice' && e.data?.noticeKind === 'DISPATCH')!;
    expect(dispatch.title).toMatch(/^发出【一月一调度】/);
    expect(dispatch.rule).toBe('第六条（一）');
    expect([...new Set(events.map((e) => e.kind))]).toEqual(expect.arrayContaining(['started', 'activity', 'notice', 'update', 'request']));
    // Every district takes part in the month: its officials read the month's timeline.
    expect((await timelineOf(workflowId, 'district-boshan-director')).status).toBe(200);

    // Search: the month among the cycles, with its subject and state.
    const item = await found('family=cycle&status=running', workflowId);
    expect(item).toMatchObject({ family: 'cycle', familyTitle: '“六个一”月度督导流程', state: 'COLLECTING', subject: { type: 'cycle', id: month, title, reference: month } });

    // The overdue board a day before the reports are due: every unit that has not reported, not 张店区.
    const dueAt = new Date(start.body.cycle.reportDueAt);
    const items = await eventually(
      () => boardOf(workflowId, 'family=cycle&withinDays=3', new Date(dueAt.getTime() - 24 * 3600_000)),
      (xs) => xs.some((i) => i.unit.id === 'district-zichuan'),
    );
    const zichuan = items.find((i) => i.unit.id === 'district-zichuan' && i.title.includes('调度'))!;
    expect(zichuan).toMatchObject({ family: 'cycle', familyTitle: '“六个一”月度督导流程', subjectId: month, subject: { title, reference: month }, rule: '第六条（一）', light: 'YELLOW', overdue: false });
    expect(items.filter((i) => i.unit.id === 'district-zhangdian' && i.title.includes('调度'))).toEqual([]);
    // Past the deadline the same obligation is red.
    const late = await boardOf(workflowId, 'family=cycle&withinDays=0', new Date(dueAt.getTime() + 3 * 24 * 3600_000));
    expect(late.find((i) => i.key === zichuan.key)).toMatchObject({ light: 'RED', overdue: true, daysOverdue: 3 });
  });

  it('reads a selection like a document: timeline by half year, search and overdue board, named by its subject', async () => {
    const half = `${shanghaiYear(Date.now()) + 9}-H1`;
    const title = `${half.slice(0, 4)}年上半年创新改革经验评选`;
    const start = await request(app).post('/api/innovation/selections').set(auth('ro-director')).send({ half });
    expect(start.status).toBe(201);
    const workflowId: string = start.body.workflowId;
    started.push(workflowId);
    await eventually(() => deps.db.innovationSelection.findUnique({ where: { id: half } }), (x) => x?.phase === 'CALL');
    const base = `/api/innovation/selections/${half}`;
    const candidate = await request(app)
      .post(`${base}/candidates`)
      .set(auth('district-zhangdian-deputy'))
      .set('Idempotency-Key', `${keyTag}-candidate`)
      .send({ title: '企业开办“一件事”集成改革', summary: '经验做法、成效和可推广性的简要说明', material: [{ name: '经验材料' }], leadUnitId: 'dept-health' });
    expect(candidate.status).toBe(201);
    expect(candidate.body.candidate).toMatchObject({ title: '企业开办“一件事”集成改革', unitId: 'district-zhangdian' });
    expect((await request(app).post(`${base}/close-round`).set(auth('district-zhangdian-director')).send({ phase: 'CALL' })).status).toBe(403);
    const closed = await request(app).post(`${base}/close-round`).set(auth('ro-director')).send({ phase: 'CALL' });
    expect(closed.status).toBe(200);
    expect(closed.body.phase).toBe('MUTUAL_VOTE');

    const res = await eventually(
      () => timelineOf(half),
      (r) =>
        r.status === 200 &&
        r.body.events.some((e: TimelineEvent) => e.data?.update === 'closeRound' && e.data?.recordedAt) &&
        ['CALL', 'VOTE_OPEN'].every((kind) => r.body.events.some((e: TimelineEvent) => e.kind === 'notice' && e.data?.noticeKind === kind)),
    );
    const t = res.body;
    expect(t).toMatchObject({ workflowId, family: 'selection', familyTitle: '创新改革经验评选流程', subject: { type: 'selection', id: half, title, reference: half, link: `/innovation/selections/${half}` } });
    const events: TimelineEvent[] = t.events;
    const deputy = await deps.db.official.findUniqueOrThrow({ where: { id: 'district-zhangdian-deputy' } });
    const submitted = events.findIndex((e) => e.kind === 'update' && e.data?.update === 'submitCandidate');
    const refused = events.findIndex((e) => e.kind === 'request' && e.title.includes('HTTP 403'));
    const closedAt = events.findIndex((e) => e.kind === 'update' && e.data?.update === 'closeRound');
    const call = events.findIndex((e) => e.kind === 'notice' && e.data?.noticeKind === 'CALL');
    const voteOpen = events.findIndex((e) => e.kind === 'notice' && e.data?.noticeKind === 'VOTE_OPEN');
    for (const i of [submitted, refused, closedAt, call, voteOpen]) expect(i).toBeGreaterThanOrEqual(0);
    // (The call notice goes to every district and group while the first candidate may already arrive.)
    expect(submitted).toBeLessThan(refused);
    expect(refused).toBeLessThan(closedAt);
    expect(closedAt).toBeLessThan(voteOpen);
    expect(events[submitted]).toMatchObject({ title: `${deputy.name}（张店区）申报候选经验`, detail: '企业开办“一件事”集成改革', rule: '第十四条' });
    expect(events[submitted].data?.request).toMatchObject({ status: 201 });
    expect(events[refused].title).toBe('请求被拒绝（HTTP 403）：提前结束当前轮次（管理员）');
    expect(events[call].title).toMatch(/^发出【征集】/);
    expect(events.some((e) => e.kind === 'state' && e.title === '状态变为“区县和专项小组互评投票”')).toBe(true);

    const item = await found('family=selection', workflowId);
    expect(item).toMatchObject({ family: 'selection', familyTitle: '创新改革经验评选流程', state: 'MUTUAL_VOTE', subject: { type: 'selection', id: half, title, reference: half } });

    // The mutual vote's obligations, one per voting unit, due within the round's week.
    const items = await boardOf(workflowId, 'family=selection&withinDays=30');
    expect(items.map((i) => i.unit.id)).toEqual(expect.arrayContaining(['district-zhangdian', 'district-zichuan']));
    for (const i of items) {
      expect(i).toMatchObject({ family: 'selection', familyTitle: '创新改革经验评选流程', subjectId: half, subject: { title, reference: half }, title: '创新改革经验互评投票', light: 'GREEN' });
    }
  });

  it('reads a rollout like a document: timeline by rollout id, search and overdue board, named by its subject', async () => {
    const id = `${shanghaiYear(Date.now()) + 9}-H1-01`;
    const title = '企业开办“一件事”集成改革经验推广';
    const input: RolloutInput = {
      version: 1,
      rolloutId: id,
      selectionId: id.slice(0, 7),
      candidateId: `admin-test-${id}`,
      title,
      leadUnitId: 'dept-health',
      districtIds: ['district-zhangdian', 'district-zichuan'],
      townshipApplies: false,
      opinion: { docNumber: '淄改办发〔2026〕99号', title: '关于推广创新改革经验的实施意见' },
      policy: await resolvePolicy(deps.db),
    };
    const workflowId = rolloutWorkflowId(id);
    await client.workflow.start(rolloutWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
    started.push(workflowId);
    await eventually(() => deps.db.innovationRollout.findUnique({ where: { id } }), (x) => !!x);
    const plan = (who: string, key?: string) => {
      const req = request(app).post(`/api/innovation/rollouts/${id}/lead-plan`).set(auth(who));
      return (key ? req.set('Idempotency-Key', key) : req).send({ title: '企业开办“一件事”推广实施方案', docNumber: '淄卫发〔2026〕1号' });
    };
    expect((await plan('dept-finance-liaison')).status).toBe(403);
    expect((await plan('dept-health-liaison', `${keyTag}-lead-plan`)).status).toBe(200);

    const res = await eventually(
      () => timelineOf(id),
      (r) =>
        r.status === 200 &&
        r.body.events.some((e: TimelineEvent) => e.data?.update === 'submitLeadPlan' && e.data?.recordedAt) &&
        r.body.events.some((e: TimelineEvent) => e.kind === 'notice' && e.data?.noticeKind === 'START'),
    );
    const t = res.body;
    expect(t).toMatchObject({ workflowId, family: 'rollout', familyTitle: '创新改革经验推广流程', subject: { type: 'rollout', id, title, reference: id, link: `/innovation/rollouts/${id}` } });
    expect(t.unitIds).toEqual(expect.arrayContaining(['dept-health', 'district-zhangdian', 'district-zichuan']));
    const events: TimelineEvent[] = t.events;
    const liaison = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-liaison' } });
    expect(events.find((e) => e.kind === 'started')?.title).toBe(`创新改革经验推广流程启动：《${title}》（${id}）`);
    expect(events.find((e) => e.kind === 'notice' && e.data?.noticeKind === 'START')?.title).toMatch(/^发出【推广实施】/);
    const submitted = events.find((e) => e.kind === 'update' && e.data?.update === 'submitLeadPlan')!;
    expect(submitted).toMatchObject({ title: `${liaison.name}（市卫生健康委）报送实施方案`, rule: '第十四条' });
    expect(submitted.data?.request).toMatchObject({ status: 200 });
    expect(events.find((e) => e.kind === 'request' && e.title.includes('HTTP 403'))?.detail).toBe('原因：只有牵头部门可以办理此环节');
    // The units it concerns read it; another district does not.
    expect((await timelineOf(id, 'district-zichuan-director')).status).toBe(200);
    expect((await timelineOf(id, 'district-boshan-director')).status).toBe(404);

    const item = await found('family=rollout&unit=district-zichuan', workflowId);
    expect(item).toMatchObject({ family: 'rollout', familyTitle: '创新改革经验推广流程', state: 'RUNNING', stateLabel: '推广中', subject: { type: 'rollout', id, title, reference: id } });

    const items = await boardOf(workflowId, 'family=rollout&withinDays=60');
    expect(items.map((i) => i.unit.id)).toEqual(expect.arrayContaining(['district-zhangdian', 'district-zichuan']));
    for (const i of items) expect(i).toMatchObject({ family: 'rollout', familyTitle: '创新改革经验推广流程', subjectId: id, subject: { title, reference: id }, rule: '第十四条' });
  });

  it('serves a valid OpenAPI 3.1 document, publicly, listing every route', async () => {
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();

    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const served = expressRoutes(app).filter((r) => r.includes(' /api/'));
    expect(served.length).toBeGreaterThan(15);
    expect(documented).toEqual(served);

    // Every failure shares one error shape; protected routes require the bearer token.
    const timeline = doc.paths['/api/admin/workflows/{workflowId}/timeline'].get;
    expect(timeline.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(timeline.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/openapi.json'].get.security).toEqual([]);
    const search = doc.paths['/api/admin/workflows'].get.parameters.map((p: { name: string }) => p.name);
    expect(search).toEqual(expect.arrayContaining(['family', 'status', 'unit', 'level', 'overdue', 'from', 'to', 'pageSize', 'nextPageToken']));
  });

  it('shows activity retries with the failure that caused them, across continue-as-new runs', async () => {
    const taskQueue = `admin-chain-${Date.now()}`;
    let calls = 0;
    const chainWorker = await Worker.create({
      connection: harness.nativeConnection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue,
      workflowsPath: require.resolve('../support/fixtures/chainWorkflow'),
      activities: {
        async flaky(label: string) {
          calls += 1;
          if (calls === 1) throw new Error('数据库暂时不可用');
          return label;
        },
      },
    });
    const id = `admin-chain-${Date.now()}`;
    await chainWorker.runUntil(async () => {
      const handle = await client.workflow.start(chainWorkflow, { taskQueue, workflowId: id, args: [2, false, '1 second'] });
      await handle.executeUpdate(pokeUpdate, { args: [{ actor: { officialId: 'ro-deputy', unitId: 'reform-office' } }] });
      await client.workflow.getHandle(id).result();
    });
    const res = await request(app).get(`/api/admin/workflows/${id}/timeline`).set(auth('ro-director'));
    expect(res.status).toBe(200);
    expect(res.body.runs).toHaveLength(2);
    const activities = res.body.events.filter((e: TimelineEvent) => e.kind === 'activity');
    expect(activities[0].detail).toBe('第 2 次尝试成功（此前失败：数据库暂时不可用）');
    expect(res.body.events.filter((e: TimelineEvent) => e.kind === 'continued-as-new')).toHaveLength(1);
    // Not a duban family: a unit's official may not read it; only administrators.
    expect((await request(app).get(`/api/admin/workflows/${id}/timeline`).set(auth('dept-health-head'))).status).toBe(404);
  });
});
