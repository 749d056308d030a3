/**
 * The worker process's Prometheus endpoint (WORKER_METRICS_ADDRESS): the real
 * worker (worker/main.ts) as a child, on a Temporal dev server and a database
 * of its own (so no other test file's task reaches it), sends a document's
 * 交办单; its endpoint then shows the SDK core's metrics and the notice mail
 * counter the activity adds, and its log lines are JSON.
 */
import { Client, Connection } from '@temporalio/client';
import { registerDocument } from '../../api/documentArrival';
import { newPayloadKey, payloadDataConverter } from '../../common/codec';
import { createDb, type Db } from '../../common/db';
import { seed } from '../../prisma/seed';
import { freePort, loadSearchAttributes, startTemporalDev, type TemporalDevHandle } from '../../scripts/stack';
import { uniqueDocNumber } from '../support/deps';
import { eventually } from '../support/eventually';
import { isolatedDatabase, type IsolatedDatabase } from '../support/isolatedDatabase';
import { metricNames, metricSample } from '../support/metrics';
import { buildBundleFile, startWorkerChild, type WorkerChild } from '../support/workerProcess';

/** The SDK core's own metrics, with Prometheus' suffixes. */
const CORE_METRICS = ['temporal_activity_execution_latency_seconds', 'temporal_workflow_task_execution_latency_seconds'];

describe('worker metrics endpoint', () => {
  const keys = newPayloadKey('metrics1');
  let database: IsolatedDatabase;
  let db: Db;
  let temporal: TemporalDevHandle;
  let connection: Connection;
  let worker: WorkerChild | undefined;

  beforeAll(async () => {
    database = await isolatedDatabase('metrics', { migrated: true });
    db = createDb(database.url, 4);
    await seed(db);
    temporal = await startTemporalDev({ port: await freePort(), namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {} });
    connection = await Connection.connect({ address: temporal.address });
  });

  afterAll(async () => {
    await worker?.proc.stop('SIGTERM');
    await connection?.close();
    await temporal?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it('serves the SDK core metrics and counts the notice mails it sends', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    worker = await startWorkerChild(await buildBundleFile(), {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      DUBAN_PAYLOAD_KEYS: keys,
      WORKER_METRICS_ADDRESS: address,
      LOG_LEVEL: 'info',
    });
    // Its own lines are JSON (the SDK's go to the same stream).
    const ready = worker.proc.tail().split('\n').find((l) => l.includes('worker polling task queue'))!;
    expect(JSON.parse(ready)).toMatchObject({ level: 30, taskQueue: 'duban', metrics: address });

    const client = new Client({ connection, dataConverter: payloadDataConverter(keys) });
    const docNumber = uniqueDocNumber('鲁测');
    const { document } = await registerDocument(db, client, { level: 'PROVINCIAL', title: '指标测试', docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: [] });
    const scrape = async () => (await fetch(`http://${address}/metrics`)).text();
    // Every mail this worker sent is counted: as many as the recipients marked SENT in its database.
    const mailed = { activityType: 'recordArrival', kind: 'ASSIGNMENT' };
    const seen = await eventually(
      async () => ({ text: await scrape(), sent: await db.noticeRecipient.count({ where: { status: 'SENT' } }) }),
      // The mails go out inside the arrival's activity; the SDK's latency metrics follow once it and the next workflow task complete.
      (s) => s.sent > 0 && metricSample(s.text, 'duban_notice_mails_sent_total', mailed) === s.sent && CORE_METRICS.every((n) => metricNames(s.text).includes(n)),
      60_000,
    );
    const { text } = seen;
    const names = metricNames(text);
    process.stdout.write(`[worker-metrics] ${names.length} metrics; ${text.split('\n').filter((l) => l.startsWith('duban_')).join('; ')}; ${names.filter((n) => n.startsWith('temporal_')).join(' ')}\n`);
    expect(metricSample(text, 'duban_notice_mails_sent_total', mailed)).toBe(seen.sent);
    // Labelled by kind, never by official or notice.
    expect(text).not.toMatch(/duban_notice_mails_sent_total\{[^}]*dept-health/);
    expect(names).toEqual(expect.arrayContaining(CORE_METRICS));
    expect(names.filter((n) => n.startsWith('temporal_') && (n.endsWith('_milliseconds') || n.endsWith('_ms')))).toEqual([]);
    // Everything it printed is JSON, the SDK core's lines (forwarded to the Runtime's logger) among them.
    const printed = worker.proc.tail().split('\n');
    expect(printed.some((l) => l.includes('"sdkComponent":"core"'))).toBe(true);
    const notJson = printed.filter((l) => {
      try {
        return typeof JSON.parse(l) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    await client.workflow.getHandle(document.workflowId).terminate('test done');
  });
});
