/**
 * Floods: a burst of steps against one workflow is answered 429 — per caller
 * and per workflow — long before Temporal's per-run limits (2,000 updates,
 * 51,200 history events). Real dev server, PostgreSQL, worker.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { registerDocument } from '../../api/documentArrival';
import { testDeps, testWorker, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';

const TEMPORAL_MAX_UPDATES = 2000;
const TEMPORAL_MAX_EVENTS = 51_200;
const LIMITS = { windowMs: 60_000, perCaller: 20, perWorkflow: 40 };

describe('floods are refused with 429', () => {
  let deps: TestDeps;
  let connection: Connection;
  let client: Client;
  let native: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let app: Express;
  const tokens: Record<string, string> = {};
  const officials = ['ro-director', 'dept-health-liaison', 'dept-health-head', 'dept-health-drafter', 'dept-finance-liaison'];

  beforeAll(async () => {
    deps = testDeps();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    native = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    worker = await testWorker(native, deps);
    running = worker.run();
    app = createApp({ db: deps.db, client, rateLimits: LIMITS });
    for (const id of officials) tokens[id] = await tokenFor(deps.db, id);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await native?.close();
    await connection?.close();
    await deps?.close();
  });

  async function arrive() {
    const docNumber = uniqueDocNumber('鲁洪');
    const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title: '洪泛测试', docNumber, issuedAt: '2026-11-01', leadUnitId: 'dept-health', participantUnitIds: [] });
    return document;
  }

  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

  async function updatesIn(workflowId: string): Promise<{ events: number; updates: number }> {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    return { events: events.length, updates: events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length };
  }

  it('one official bursting 100 steps at one document: the excess is 429, the workflow sees at most the limit', async () => {
    const doc = await arrive();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_x, i) =>
        request(app).post(`/api/documents/${doc.id}/acknowledge`).set('Authorization', `Bearer ${tokens['dept-health-liaison']}`).set('Idempotency-Key', `flood-${i}`).send({}).then((r) => r.status),
      ),
    );
    const t = tally(statuses);
    const h = await updatesIn(doc.workflowId);
    process.stdout.write(`[floods] per caller: 100 requests → ${JSON.stringify(t)}; workflow history ${h.events} events, ${h.updates} updates (Temporal limits ${TEMPORAL_MAX_UPDATES} updates, ${TEMPORAL_MAX_EVENTS} events)\n`);
    expect(t[429]).toBe(100 - LIMITS.perCaller);
    expect(h.updates).toBeLessThanOrEqual(LIMITS.perCaller);
    const refused = await request(app).get(`/api/documents/${doc.id}`).set('Authorization', `Bearer ${tokens['dept-health-liaison']}`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(refused.headers['retry-after']).toBeDefined();
    // Another official is not affected by this one's flood.
    expect((await request(app).get(`/api/documents/${doc.id}`).set('Authorization', `Bearer ${tokens['ro-director']}`)).status).toBe(200);
  });

  it('many officials bursting steps at one document: the workflow limit refuses the excess although each caller is under theirs', async () => {
    const doc = await arrive();
    const callers = officials.filter((o) => o !== 'dept-health-liaison'); // that one is still limited from the first test
    const perCaller = 15; // each under LIMITS.perCaller
    const statuses = await Promise.all(
      callers.flatMap((who) =>
        Array.from({ length: perCaller }, (_x, i) =>
          request(app).post(`/api/documents/${doc.id}/acknowledge`).set('Authorization', `Bearer ${tokens[who]}`).set('Idempotency-Key', `${who}-${i}`).send({}).then((r) => r.status),
        ),
      ),
    );
    const t = tally(statuses);
    const h = await updatesIn(doc.workflowId);
    process.stdout.write(
      `[floods] per workflow: ${callers.length} officials × ${perCaller} steps → ${JSON.stringify(t)}; workflow history ${h.events} events, ${h.updates} updates (limit ${LIMITS.perWorkflow} steps/min per workflow)\n`,
    );
    expect(t[429]).toBe(callers.length * perCaller - LIMITS.perWorkflow);
    expect(h.updates).toBeLessThanOrEqual(LIMITS.perWorkflow);
    // Reads of the same document are not steps: still answered.
    expect((await request(app).get(`/api/documents/${doc.id}`).set('Authorization', `Bearer ${tokens['ro-director']}`)).status).toBe(200);
  });
});
