/**
 * One way to run a step over HTTP (api/steps.ts), the same for every family,
 * against the real dev server, PostgreSQL and the SMTP sink: the caller is
 * checked before Temporal sees anything, the Idempotency-Key is the update id
 * (a repeated request is the same step), a refusal is 409 with the workflow's
 * reason, a finished workflow is 409 and an unknown one 404, each saying so;
 * a workflow task that failed under a step runs the same step again.
 */
import { PassThrough } from 'node:stream';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { documentWorkflowId } from '../../common/ids';
import { CYCLE_YEARS, shanghaiYear } from '../support/testClock';
import { testWorker, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';
import { eventually } from '../support/eventually';
import { runUpdate, viewWhenReady } from '../../api/steps';
import { Worker } from '@temporalio/worker';
import { taskFailureWorkflow, tallyUpdate } from '../support/fixtures/taskFailureWorkflow';
import { errorHandler } from '../../api/errors';
import { requestLog } from '../../api/requestLog';
import { createLogger } from '../../common/logger';
import { defineUpdate } from '@temporalio/workflow';
import { cycleReadyUpdate } from '../../workflows/cycle/messages';
import { rolloutInput, settle } from '../support/scenarios';
import { rolloutWorkflowId } from '../../workflows/innovation/ids';
import { rolloutWorkflow } from '../../workflows/innovation/rollout';

const DISTRICTS = ['district-zhangdian', 'district-zichuan', 'district-boshan', 'district-linzi', 'district-zhoucun', 'district-huantai', 'district-gaoqing', 'district-yiyuan', 'district-hightech', 'district-econdev', 'district-wenchanghu'];

describe('steps over HTTP (dev server)', () => {
  let harness: DevServerHarness;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const key = `steps-it-${Date.now()}`;

  beforeAll(async () => {
    harness = await startDevServerWorker();
    ({ deps, client } = harness);
    app = createApp({ db: deps.db, client });
    for (const who of ['ro-director', 'dept-health-liaison', ...DISTRICTS.map((d) => `${d}-deputy`)]) tokens[who] = await tokenFor(deps.db, who);
  });

  // The workflow is the source of truth: every test ends with its record equal to it.
  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    await harness?.close();
  });

  async function arrive() {
    const res = await request(app)
      .post('/api/documents')
      .set(as('ro-director'))
      .send({ level: 'PROVINCIAL', title: '关于深化“一网通办”改革的实施意见', docNumber: uniqueDocNumber('鲁政办发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-health' });
    expect(res.status).toBe(201);
    return res.body.document as { id: string; workflowId: string };
  }
  const step = (who: string, path: string, body: object, idempotencyKey?: string) => {
    const req = request(app).post(`/api/${path}`).set(as(who));
    return (idempotencyKey ? req.set('Idempotency-Key', idempotencyKey) : req).send(body);
  };

  it('runs a step once per Idempotency-Key, and answers a refusal with the workflow’s reason', async () => {
    const doc = await arrive();
    await eventually(() => deps.db.document.findUniqueOrThrow({ where: { id: doc.id } }), (d) => d.state === 'ASSIGNED');
    const first = await step('dept-health-liaison', `documents/${doc.id}/acknowledge`, { note: '已签收' }, `${key}-ack`);
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('ACKNOWLEDGED');
    // The same key again is the same update: answered, recorded once.
    const again = await step('dept-health-liaison', `documents/${doc.id}/acknowledge`, { note: '已签收' }, `${key}-ack`);
    expect(again.status).toBe(200);
    expect(await deps.db.workflowEvent.count({ where: { workflowId: doc.workflowId, step: 'acknowledge' } })).toBe(1);
    // Without the key, a second acknowledgement is a new step the workflow refuses, in its own words.
    const twice = await step('dept-health-liaison', `documents/${doc.id}/acknowledge`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error).toEqual({ code: 'CONFLICT', message: '当前状态为“已签收”，不能签收（需处于“已交办”）' });
    // The caller is checked before the workflow: a district the document does not concern may not even see it.
    const outsider = await step('district-zhangdian-deputy', `documents/${doc.id}/draft`, {});
    expect(outsider.status).toBe(404);
    // A key longer than the API takes is refused before anything runs.
    const long = await step('dept-health-liaison', `documents/${doc.id}/draft`, {}, 'x'.repeat(201));
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers a step to a finished workflow with 409 (a resend of the step that finished it with its answer) and to an unknown one with 404, each saying so', async () => {
    // An exempted document's workflow ends (第五条: no municipal supporting document needed).
    const doc = await arrive();
    await eventually(() => deps.db.document.findUniqueOrThrow({ where: { id: doc.id } }), (d) => d.state === 'ASSIGNED');
    const exempted = await step('ro-director', `documents/${doc.id}/exemption`, { reason: '无须市级配套' }, `${key}-exempt`);
    expect(exempted.status).toBe(200);
    await client.workflow.getHandle(doc.workflowId).result();
    // The step that closed it, resent under its key (its answer was lost): the first attempt's answer, nothing run again.
    const resent = await step('ro-director', `documents/${doc.id}/exemption`, { reason: '无须市级配套' }, `${key}-exempt`);
    expect(resent.status).toBe(200);
    // The answer is the document as recorded now: its notices' mail may have gone out since, its state is the same.
    expect(resent.body.state).toBe('EXEMPT');
    expect({ ...resent.body, notices: undefined }).toEqual({ ...exempted.body, notices: undefined });
    expect(await deps.db.workflowEvent.count({ where: { workflowId: doc.workflowId, step: 'exemption' } })).toBe(1);
    const another = await step('ro-director', `documents/${doc.id}/exemption`, { reason: '无须市级配套' }, `${key}-exempt-2`);
    expect(another.status).toBe(409);
    const closed = await step('dept-health-liaison', `documents/${doc.id}/acknowledge`, {});
    expect(closed.status).toBe(409);
    expect(closed.body.error).toEqual({ code: 'CONFLICT', message: '该文件的办理流程已结束，不能再办理' });

    // A document whose workflow Temporal does not know (e.g. past its retention).
    const docNumber = uniqueDocNumber('鲁政办发');
    const orphan = await deps.db.document.create({
      data: { docNumber, level: 'PROVINCIAL', title: '无流程的文件', issuedAt: new Date(), receivedAt: new Date(), workflowId: `${documentWorkflowId(docNumber)}-gone`, state: 'ASSIGNED', leadUnitId: 'dept-health', participantUnitIds: [], policyVersion: 'test' },
    });
    const unknown = await step('ro-director', `documents/${orphan.id}/manual-chase`, { obligation: 'draft' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: 'NOT_FOUND', message: '该文件的办理流程不存在（或已超过保留期限）' });

    // A month nobody started: its steps name the month's workflow, which does not exist.
    const month = `${shanghaiYear(Date.now()) + CYCLE_YEARS.steps}-01`;
    const report = await step('district-zhangdian-deputy', `cycles/${month}/reports`, { summary: '本月改革任务按计划推进' });
    expect(report.status).toBe(404);
    expect(report.body.error).toEqual({ code: 'NOT_FOUND', message: '该月督导流程不存在（或已超过保留期限）' });
  });

  it('steps that arrive while no worker runs, more than Temporal admits in flight on one workflow, are all answered once it is back, none twice', async () => {
    // Eleven districts file their plans at once while the worker is down (a restart, a deployment). The server
    // holds at most ten updates in flight per workflow; the client waits and asks again for the rest. The
    // rollout runs on a queue of its own, so no other test file's worker takes its tasks meanwhile.
    const queue = `steps-crowd-${process.pid}`;
    const rolloutId = `crowd-${process.pid}-${Date.now() % 1_000_000}`;
    const workflowId = rolloutWorkflowId(rolloutId);
    const first = await testWorker(harness.nativeConnection, deps, { taskQueue: queue });
    const firstRun = first.run();
    await client.workflow.start(rolloutWorkflow, { taskQueue: queue, workflowId, args: [rolloutInput(rolloutId, DISTRICTS, false, 'steps-test')] });
    await eventually(() => deps.db.innovationRollout.findUnique({ where: { id: rolloutId } }), (r) => !!r);
    await settle(client.workflow.getHandle(workflowId));
    first.shutdown();
    await firstRun;

    const filed = Promise.all(
      DISTRICTS.map((d) => step(`${d}-deputy`, `innovation/rollouts/${rolloutId}/district-plan`, { opinionTitle: `${d}实施意见`, planTitle: `${d}实施方案` })),
    );
    await new Promise((r) => setTimeout(r, 1_500));
    const second = await testWorker(harness.nativeConnection, deps, { taskQueue: queue });
    const secondRun = second.run();
    try {
      const answers = await filed;
      expect(answers.map((a) => a.status)).toEqual(DISTRICTS.map(() => 200));
      const events = await deps.db.workflowEvent.findMany({ where: { workflowId, step: 'submitDistrictPlan' } });
      expect(events.length).toBe(DISTRICTS.length);
      // Checked here, while its worker runs; the rollout is then ended, so nothing polls its queue any more.
      await expectRecordsMatch(deps.db, client, harness.touchedWorkflows());
      await client.workflow.getHandle(workflowId).terminate('test over');
    } finally {
      second.shutdown();
      await secondRun;
    }
  });

  it("answers a start with what is known when the workflow is not ready in time (no worker): undefined, not a failure", async () => {
    // A workflow nobody polls for: the ready update waits out its deadline, and the route answers 202.
    const handle = await client.workflow.start('awaitingAWorker', { taskQueue: `steps-nobody-${process.pid}`, workflowId: `steps-nobody-${process.pid}-${Date.now()}` });
    try {
      await expect(viewWhenReady(client, handle, cycleReadyUpdate, 1_000)).resolves.toBeUndefined();
    } finally {
      await handle.terminate('test over');
    }
  });

  it('runs a step again, as the same update, when the workflow task carrying it failed: applied once, answered 200', async () => {
    // The server aborts an update whose workflow task failed (WorkflowNotReady, FAILED_PRECONDITION): it was not
    // applied. That is no conflict with the workflow's state: the step is retried, not refused with 409.
    const taskQueue = `steps-task-failure-${process.pid}`;
    const worker = await Worker.create({ connection: harness.nativeConnection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', taskQueue, workflowsPath: require.resolve('../support/fixtures/taskFailureWorkflow') });
    const running = worker.run();
    const handle = await client.workflow.start(taskFailureWorkflow, { taskQueue, workflowId: `steps-task-failure-${process.pid}-${Date.now()}` });
    try {
      // The workflow's first task is done before the step arrives, so the step's task is the one that fails.
      await eventually(async () => (await handle.fetchHistory()).events ?? [], (events) => events.some((e) => e.workflowTaskCompletedEventAttributes));
      const probe = express();
      probe.use(express.json());
      probe.use(requestLog(createLogger({ level: 'silent' })));
      // The route every step runs through after its checks (stepRoute): the update, under the request's key.
      probe.post('/tally', async (req, res) => res.json(await runUpdate(harness.deps.db, client, handle.workflowId, tallyUpdate, req.body, req, '测试流程')));
      probe.use(errorHandler);
      const res = await request(probe).post('/tally').send({ note: '一次' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ applied: 1 });
      const events = (await handle.fetchHistory()).events ?? [];
      // The failure happened (the test proves the retry), and the update ran once.
      expect(events.filter((e) => e.workflowTaskFailedEventAttributes).length).toBeGreaterThanOrEqual(1);
      expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length).toBe(1);
    } finally {
      await handle.terminate('test over');
      worker.shutdown();
      await running;
    }
  });

  it("keeps Temporal's own words about a refused request in the log: the caller gets a Chinese message and the request id", async () => {
    // A real INVALID_ARGUMENT from the server: an update id longer than Temporal admits.
    const handle = await client.workflow.start('awaitingAWorker', { taskQueue: `steps-nobody-${process.pid}`, workflowId: `steps-refused-${process.pid}-${Date.now()}` });
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const probe = express();
    probe.use(requestLog(createLogger({ level: 'info', destination: stream })));
    probe.post('/refused', async () => {
      await client.workflow.getHandle(handle.workflowId).executeUpdate(defineUpdate('anything'), { updateId: 'u'.repeat(1_001) });
    });
    probe.use(errorHandler);
    try {
      const res = await request(probe).post('/refused').set('X-Request-Id', 'req-grpc-1');
      const logged = lines.filter((l) => l.includes('UpdateId length'));
      console.log(`[grpc-details] status ${res.status}; Temporal's words in the answer: ${JSON.stringify(res.body).includes('UpdateId') ? 'yes' : 'no'}, in ${logged.length} log line(s)`);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'VALIDATION_FAILED', message: '工作流服务拒绝了该请求（请求编号 req-grpc-1）' });
      expect(logged.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(logged[0])).toMatchObject({ req: { id: 'req-grpc-1' } });
    } finally {
      await handle.terminate('test over');
    }
  });
});
