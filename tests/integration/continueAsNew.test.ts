/**
 * A document's workflow across continue-as-new, on a dev server of its own that
 * suggests it after a few dozen history events (Temporal's default is
 * thousands): each step that moves the state may start a new run. The new run
 * carries the state on, and a step resent with its Idempotency-Key after the
 * run that took it has ended is answered from that run, not taken again —
 * Temporal itself remembers update ids per run only (api/steps.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import * as m from '../../workflows/document/messages';
import { tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { startOwnDevServerWorker, type DevServerClient } from '../support/devServer';
import { expectRecordsMatch } from '../support/records';

jest.setTimeout(180_000);

// A registered document's run is past this within a step or two; a new run starts far below it.
const SUGGEST_CONTINUE_AS_NEW_AT = 40;

describe('steps across continue-as-new (a server that suggests it early)', () => {
  let server: DevServerClient;
  let deps: TestDeps;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    server = await startOwnDevServerWorker({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AT } });
    ({ deps, client } = server);
    app = createApp({ db: deps.db, client });
    for (const who of ['ro-director', 'dept-hrss-liaison']) tokens[who] = await tokenFor(deps.db, who);
  });

  afterAll(() => server?.close());

  it('a ledger task added, then resent after its run continued as new: answered as the first time, added once; a resend whose run is gone is refused', async () => {
    const arrived = await request(app)
      .post('/api/documents')
      .set(as('ro-director'))
      .send({ level: 'PROVINCIAL', title: '关于深化人事制度改革的实施意见（续跑测试）', docNumber: uniqueDocNumber('鲁人社发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-hrss', participantUnitIds: [] });
    expect(arrived.status).toBe(201);
    const { id, workflowId } = arrived.body.document as { id: string; workflowId: string };
    const handle = client.workflow.getHandle(workflowId);
    const step = (path: string, body: object, key?: string) =>
      request(app)
        .post(`/api/documents/${id}/${path}`)
        .set({ ...as('dept-hrss-liaison'), ...(key ? { 'Idempotency-Key': key } : {}) })
        .send(body);
    const due = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const task = (title: string) => ({ title, unitId: 'dept-hrss', ownerId: 'dept-hrss-liaison', dueAt: due });

    expect((await step('acknowledge', {})).status).toBe(200);
    expect((await step('ledger', { leadLeaderId: 'dept-hrss-leader', draftingUnitId: 'dept-hrss', timeline: [], tasks: [task('制定实施方案')] })).status).toBe(200);
    const key = `add-task-${randomUUID()}`;
    const first = await step('ledger-tasks', task('建立工作专班'), key);
    expect(first.status).toBe(200);
    const tookIt = (await deps.db.workflowEvent.findUniqueOrThrow({ where: { key: `${workflowId}:${key}` } })).runId;
    expect(tookIt).toBeTruthy();

    // Progress reports move the state until the run that took the step has continued as new.
    const [taskId] = (first.body.ledgerTasks as Array<{ id: string }>).map((t) => t.id);
    let reports = 0;
    while ((await handle.describe()).runId === tookIt) {
      reports += 1;
      if (reports > 30) throw new Error(`no continue-as-new after ${reports - 1} progress reports`);
      expect((await step(`ledger-tasks/${taskId}/progress`, { note: `第${reports}次进展` })).status).toBe(200);
    }

    // The resend reaches the new run: the answer is the first one's, and the task is there once.
    const again = await step('ledger-tasks', task('建立工作专班'), key);
    expect(again.status).toBe(200);
    const titles = (body: { ledgerTasks: Array<{ title: string }> }) => body.ledgerTasks.map((t) => t.title).sort();
    expect(titles(again.body)).toEqual(titles(first.body));
    const view = await handle.query(m.stateQuery);
    expect(view.tasks.filter((t) => t.title === '建立工作专班')).toHaveLength(1);
    expect(await deps.db.workflowEvent.count({ where: { workflowId, step: 'addLedgerTask' } })).toBe(1);
    // The new run carries the state on: the state, both tasks, and the record equal to it.
    expect(view.state).toBe(first.body.state);
    expect(view.tasks.map((t) => t.title).sort()).toEqual(['制定实施方案', '建立工作专班']);
    await expectRecordsMatch(deps.db, client, [workflowId]);

    // A resend whose run is past its retention (here: a run id the server never had) is refused, not taken again.
    const lost = `add-task-${randomUUID()}`;
    await deps.db.workflowEvent.create({ data: { key: `${workflowId}:${lost}`, workflowId, runId: randomUUID(), family: 'document', subjectId: id, step: 'addLedgerTask', at: new Date(), revision: 0 } });
    const gone = await step('ledger-tasks', task('建立督办台账'), lost);
    expect([gone.status, gone.body.error?.message]).toEqual([409, '该步骤已按此前的同一请求办理，请刷新后查看']);
    expect((await handle.query(m.stateQuery)).tasks.some((t) => t.title === '建立督办台账')).toBe(false);
    process.stdout.write(`[continue-as-new] ${reports} progress reports until a new run; the resend after it: ${again.status}, the task listed once\n`);
    await handle.terminate('test over');
  });
});
