/**
 * PostgreSQL stopped for 60 s (DUBAN_DB_OUTAGE_SECONDS) during activity traffic.
 * A cluster of its own (so the other tests' database is untouched) and a dev
 * server of its own; the real worker process; the API in-process. While the
 * database is down the API answers 503 (never 500) and activities fail and are
 * retried by Temporal; afterwards every notice is there once and every e-mail
 * was sent once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { registerDocument } from '../../api/documentArrival';
import { createDb, type Db } from '../../common/db';
import { documentWorkflowId } from '../../common/ids';
import { defaultPolicy } from '../../common/policy';
import { TASK_QUEUE } from '../../common/taskQueues';
import { seed } from '../../prisma/seed';
import { freePort, loadSearchAttributes, startPostgres, startTemporalDev, type PostgresHandle, type TemporalDevHandle } from '../../scripts/stack';
import { documentWorkflow } from '../../workflows/document/workflow';
import { tokenFor, uniqueDocNumber } from '../support/deps';
import { listMail } from '../support/mailbox';
import { migrateDeploy } from '../support/testDatabase';
import { buildBundleFile, killChildren, startWorkerChild, type WorkerChild } from '../support/workerProcess';

const OUTAGE_S = Number(process.env.DUBAN_DB_OUTAGE_SECONDS ?? 60);
const DOCS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('database outage', () => {
  let dataDir: string;
  let port: number;
  let pg: PostgresHandle;
  let db: Db;
  let temporal: TemporalDevHandle;
  let connection: Connection;
  let client: Client;
  let worker: WorkerChild | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-outage-pg-'));
    port = await freePort();
    pg = await startPostgres({ dataDir, port, database: 'duban', log: () => {} });
    migrateDeploy(pg.url);
    db = createDb(pg.url, 10);
    await seed(db);
    temporal = await startTemporalDev({ port: await freePort(), namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {} });
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection });
  });

  afterAll(async () => {
    await killChildren();
    await db?.$disconnect();
    await connection?.close();
    await temporal?.stop();
    await pg?.stop();
    if (dataDir) fs.rmSync(fs.realpathSync(dataDir), { recursive: true, force: true });
  });

  it(`${OUTAGE_S} s without PostgreSQL: API 503, activities retried, nothing lost or doubled`, async () => {
    worker = await startWorkerChild(await buildBundleFile(), { DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace });
    const app = createApp({ db, client });
    const token = await tokenFor(db, 'ro-director');
    const get = () => request(app).get('/api/inbox').set('Authorization', `Bearer ${token}`);
    expect((await get()).status).toBe(200);

    // Half the documents arrive (and their workflows start) before the outage...
    const before = [];
    for (let i = 0; i < DOCS / 2; i++) {
      const docNumber = uniqueDocNumber('鲁断');
      before.push((await registerDocument(db, client, { level: 'PROVINCIAL', title: `断库测试 ${docNumber}`, docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] })).document);
    }
    // ...the other half are registered but their workflows start only once the database is gone.
    const later = [];
    for (let i = 0; i < DOCS / 2; i++) {
      const docNumber = uniqueDocNumber('鲁断');
      later.push(
        await db.document.create({
          data: { docNumber, level: 'PROVINCIAL', title: `断库测试 ${docNumber}`, issuedAt: new Date(), receivedAt: new Date(), workflowId: documentWorkflowId(docNumber), state: 'RECEIVED', leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'], policyVersion: defaultPolicy.version },
        }),
      );
    }
    const docs = [...before, ...later];

    const t0 = Date.now();
    await pg.stop();
    for (const d of later) {
      await client.workflow.start(documentWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId: d.workflowId,
        args: [{ version: 1, documentId: d.id, docNumber: d.docNumber, level: 'PROVINCIAL', title: d.title, receivedAt: d.receivedAt.toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'], policy: defaultPolicy }],
      });
    }
    // While it is down: the API answers 503 with the common error shape, never 500.
    const statuses: number[] = [];
    while (Date.now() - t0 < OUTAGE_S * 1000) {
      const [a, b] = await Promise.all([get(), request(app).post('/api/documents').set('Authorization', `Bearer ${token}`).send({ level: 'PROVINCIAL', title: 't', docNumber: uniqueDocNumber('鲁断'), issuedAt: new Date().toISOString() })]);
      statuses.push(a.status, b.status);
      if (a.status === 503) expect(a.body.error.code).toBe('UNAVAILABLE');
      await sleep(2000);
    }
    pg = await startPostgres({ dataDir, port, database: 'duban', log: () => {} });
    const outage = (Date.now() - t0) / 1000;

    // Everything catches up: one delivered ASSIGNMENT notice per document.
    const ids = docs.map((d) => d.id);
    const deadline = Date.now() + 4 * 60_000;
    for (;;) {
      const n = await db.notice.count({ where: { subjectId: { in: ids }, kind: 'ASSIGNMENT', status: 'SENT' } }).catch(() => -1);
      if (n === DOCS) break;
      if (Date.now() > deadline) throw new Error(`only ${n}/${DOCS} notices delivered after the outage\n${worker.proc.tail()}`);
      await sleep(1000);
    }
    expect((await get()).status).toBe(200);
    const notices = await db.notice.findMany({ where: { subjectId: { in: ids } }, include: { recipients: true } });
    const recipients = notices.flatMap((n) => n.recipients);
    const mail = (await listMail()).filter((x) => docs.some((d) => x.subject.includes(d.docNumber)));
    const seen = new Map<string, number>();
    for (const x of mail) seen.set(`${x.messageId}|${x.to.join(',')}`, (seen.get(`${x.messageId}|${x.to.join(',')}`) ?? 0) + 1);
    const lost = recipients.filter((r) => !seen.has(`${r.messageId}|${r.email}`)).length + docs.filter((d) => !notices.some((n) => n.subjectId === d.id && n.kind === 'ASSIGNMENT')).length;
    const duplicated = [...seen.values()].reduce((s, n) => s + n - 1, 0);
    // Retries Temporal made: activity attempts beyond the first, read from the histories.
    let retried = 0;
    for (const d of docs) {
      const h = await client.workflow.getHandle(d.workflowId).fetchHistory();
      for (const e of h.events ?? []) if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) retried++;
      expect((await client.workflow.getHandle(d.workflowId).describe()).status.name).toBe('RUNNING');
    }
    const t = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    process.stdout.write(
      `[db-outage] PostgreSQL down ${outage.toFixed(0)} s: API answered ${JSON.stringify(t)}; ${retried} activity retries; ` +
        `${DOCS} documents, ${notices.length} notices, ${recipients.length} recipients, ${mail.length} e-mails, ${lost} lost, ${duplicated} duplicated\n`,
    );
    expect(Object.keys(t)).toEqual(['503']);
    expect(retried).toBeGreaterThan(0);
    expect(notices).toHaveLength(DOCS);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    for (const d of docs) await client.workflow.getHandle(d.workflowId).terminate('test done');
  });
});
