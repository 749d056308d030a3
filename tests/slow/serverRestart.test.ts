/**
 * The Temporal dev server (file-backed, --db-filename) stopped and restarted
 * while document timers are pending. Policies are data: these workflows run
 * 第五条 with second-scale durations (reminder 20 s, chase 40 s, order 80 s,
 * follow-ups every 30 s), so real timers come due while the server is down.
 * Afterwards every timer has fired exactly once — none lost, none doubled — and
 * the real worker process carried on without a restart of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { newPayloadKey, payloadDataConverter } from '../../common/codec';
import { documentWorkflowId } from '../../common/ids';
import { defaultPolicy, Policy } from '../../common/policy';
import { TASK_QUEUE } from '../../common/taskQueues';
import { freePort, loadSearchAttributes, startTemporalDev, type TemporalDevHandle } from '../../scripts/stack';
import { documentWorkflow } from '../../workflows/document/workflow';
import { testDeps, uniqueDocNumber, type TestDeps } from '../support/deps';
import { buildBundleFile, killChildren, startWorkerChild, type WorkerChild } from '../support/workerProcess';

const DOCS = 8;
const DOWN_S = Number(process.env.DUBAN_TEMPORAL_DOWN_SECONDS ?? 45);
const PAYLOAD_KEYS = newPayloadKey('restart');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const policy = Policy.parse({
  ...defaultPolicy,
  version: 'drill-seconds',
  document: {
    ...defaultPolicy.document,
    chaseAfter: { seconds: 40 },
    assignmentDeadline: { seconds: 80 },
    remindBefore: [{ seconds: 20 }],
    orderFollowUpEvery: { seconds: 30 },
    warningWindow: { seconds: 10 },
  },
});
/** The notices each document must have by t ≈ 125 s: reminder 20 s, chase 40 s, reminder 60 s, order 80 s, follow-up 110 s. */
const EXPECTED = { ASSIGNMENT: 1, REMINDER: 2, CHASE: 1, ORDER: 1, ORDER_FOLLOW_UP: 1 };

describe('Temporal server restarted with timers pending', () => {
  let deps: TestDeps;
  let dir: string;
  let port: number;
  let temporal: TemporalDevHandle;
  let worker: WorkerChild | undefined;
  const serverOpts = () => ({ dbFile: path.join(dir, 'temporal.db'), port, namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {} });

  beforeAll(async () => {
    deps = testDeps();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-temporal-'));
    port = await freePort();
    temporal = await startTemporalDev(serverOpts());
  });

  afterAll(async () => {
    await killChildren();
    await temporal?.stop();
    await deps?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      return await fn(new Client({ connection, dataConverter: payloadDataConverter(PAYLOAD_KEYS) }));
    } finally {
      await connection.close();
    }
  }

  it(`stopped ${DOWN_S} s with ${DOCS} documents' timers pending: every timer fires once`, async () => {
    worker = await startWorkerChild(await buildBundleFile(), { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, DUBAN_PAYLOAD_KEYS: PAYLOAD_KEYS });
    const docs: Array<Awaited<ReturnType<typeof deps.db.document.create>>> = [];
    for (let i = 0; i < DOCS; i++) {
      const docNumber = uniqueDocNumber('鲁重启');
      docs.push(
        await deps.db.document.create({
          data: { docNumber, level: 'PROVINCIAL', title: `重启测试 ${docNumber}`, issuedAt: new Date(), receivedAt: new Date(), workflowId: documentWorkflowId(docNumber), state: 'RECEIVED', leadUnitId: 'dept-health', participantUnitIds: [], policyVersion: policy.version },
        }),
      );
    }
    const t0 = Date.now();
    await withClient(async (client) => {
      for (const d of docs) {
        await client.workflow.start(documentWorkflow, {
          taskQueue: TASK_QUEUE,
          workflowId: d.workflowId,
          args: [{ version: 1, documentId: d.id, docNumber: d.docNumber, level: 'PROVINCIAL', title: d.title, receivedAt: d.receivedAt.toISOString(), leadUnitId: 'dept-health', participantUnitIds: [], policy }],
        });
      }
    });
    const ids = docs.map((d) => d.id);
    const count = (kind: string) => deps.db.notice.count({ where: { subjectId: { in: ids }, kind } });
    for (let i = 0; i < 100 && (await count('ASSIGNMENT')) < DOCS; i++) await sleep(200);

    // Down from ~10 s to ~10 + DOWN_S s: the 20 s reminders and 40 s chases come due while it is down.
    await sleep(Math.max(0, 10_000 - (Date.now() - t0)));
    const pendingBefore = DOCS * Object.values(EXPECTED).reduce((a, b) => a + b, 0) - (await deps.db.notice.count({ where: { subjectId: { in: ids } } }));
    await temporal.stop();
    const downAt = Date.now();
    await sleep(DOWN_S * 1000);
    const dueWhileDown = DOCS * 2; // reminder at 20 s and chase at 40 s
    temporal = await startTemporalDev(serverOpts());
    const downFor = (Date.now() - downAt) / 1000;

    // Wait until past the first follow-up (110 s), with time for late timers to catch up.
    const deadline = t0 + 125_000 + downFor * 1000;
    while (Date.now() < deadline) await sleep(1000);
    const want = Object.fromEntries(Object.entries(EXPECTED).map(([k, n]) => [k, n * DOCS]));
    let got: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      got = Object.fromEntries(await Promise.all(Object.keys(EXPECTED).map(async (k) => [k, await count(k)] as const)));
      if (Object.entries(want).every(([k, n]) => got[k] >= n)) break;
      await sleep(1000);
    }
    const rows = await deps.db.notice.findMany({ where: { subjectId: { in: ids } }, select: { key: true, kind: true, subjectId: true } });
    const perDoc = docs.map((d) => rows.filter((r) => r.subjectId === d.id));
    const lost = Object.entries(want).reduce((s, [k, n]) => s + Math.max(0, n - (got[k] ?? 0)), 0);
    const duplicated = rows.length - new Set(rows.map((r) => r.key)).size;
    const running = await withClient(async (client) => {
      let n = 0;
      for (const d of docs) if ((await client.workflow.getHandle(d.workflowId).describe()).status.name === 'RUNNING') n++;
      for (const d of docs) await client.workflow.getHandle(d.workflowId).terminate('test done');
      return n;
    });
    process.stdout.write(
      `[temporal-restart] server down ${downFor.toFixed(0)} s with ${pendingBefore} timers pending (${dueWhileDown} due while down): ` +
        `${JSON.stringify(got)} for ${DOCS} documents, ${lost} lost, ${duplicated} duplicated, ${running}/${DOCS} workflows running, worker ${worker.proc.child.exitCode === null ? 'kept running' : 'died'}\n`,
    );
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    for (const list of perDoc) {
      expect(list.filter((r) => r.kind === 'CHASE')).toHaveLength(1);
      expect(list.filter((r) => r.kind === 'ORDER')).toHaveLength(1);
      expect(list.filter((r) => r.kind === 'REMINDER')).toHaveLength(2);
    }
    expect(running).toBe(DOCS);
    expect(worker.proc.child.exitCode).toBeNull();
  });
});
