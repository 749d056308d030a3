/**
 * The worker process killed and stopped mid-activity (real worker/main.ts child,
 * a Temporal dev server of its own, the run's PostgreSQL and SMTP sink).
 *
 * SIGKILL: 50 times, each right after a notice activity's database write and
 * before the activity completes (the env-gated hook in activities/testHooks.ts
 * pauses there on the first attempt), cycling through three points — notice
 * row saved, one recipient marked SENT, notice marked delivered — then a fresh
 * worker. Afterwards: one notice row per business event, one e-mail per
 * recipient, every workflow still taking steps.
 *
 * SIGTERM: during an activity the worker shuts down gracefully (shutdownGraceTime):
 * the activity finishes, nothing is retried or sent twice.
 */
import { Client, Connection } from '@temporalio/client';
import { registerDocument } from '../../api/documentArrival';
import { newPayloadKey, payloadDataConverter } from '../../common/codec';
import * as m from '../../workflows/document/messages';
import { testDeps, uniqueDocNumber, type TestDeps } from '../support/deps';
import { listMail } from '../support/mailbox';
import { freePort, loadSearchAttributes, startTemporalDev, type TemporalDevHandle } from '../../scripts/stack';
import { buildBundleFile, killChildren, startWorkerChild, type WorkerChild } from '../support/workerProcess';

const KILLS = Number(process.env.DUBAN_WORKER_KILLS ?? 50);
const POINTS = ['notice-saved', 'recipient-sent', 'notice-delivered'];
// The worker process and our client share a payload key: the codec is exercised too.
const PAYLOAD_KEYS = newPayloadKey('crash');
const lead: m.Actor = { officialId: 'dept-health-liaison', unitId: 'dept-health' };

describe('worker killed and stopped mid-activity', () => {
  let deps: TestDeps;
  let connection: Connection;
  let client: Client;
  let bundle: string;
  let worker: WorkerChild | undefined;
  // A Temporal server of its own: the killed workers' activities, retried long after, reach no later test file.
  let temporal: TemporalDevHandle;
  const startWorker = (env: NodeJS.ProcessEnv = {}) => startWorkerChild(bundle, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, DUBAN_PAYLOAD_KEYS: PAYLOAD_KEYS, ...env });

  beforeAll(async () => {
    deps = testDeps();
    temporal = await startTemporalDev({ port: await freePort(), namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {} });
    connection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection, namespace: temporal.namespace, dataConverter: payloadDataConverter(PAYLOAD_KEYS) });
    bundle = await buildBundleFile();
  });

  afterAll(async () => {
    await killChildren();
    await connection?.close();
    await temporal?.stop();
    await deps?.close();
  });

  const arrive = (docNumber: string) =>
    registerDocument(deps.db, client, { level: 'PROVINCIAL', title: `崩溃测试 ${docNumber}`, docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] });

  /** Polls until every ASSIGNMENT notice of these documents is delivered to all its recipients. */
  async function waitDelivered(documentIds: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await deps.db.notice.count({ where: { subjectId: { in: documentIds }, kind: 'ASSIGNMENT', status: 'SENT' } });
      if (done === documentIds.length) return;
      if (Date.now() > deadline) throw new Error(`only ${done}/${documentIds.length} assignment notices delivered`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Counts, per document: notice rows, recipients, e-mails (by Message-ID) and duplicates. */
  async function audit(documentIds: string[], docNumbers: string[]) {
    const notices = await deps.db.notice.findMany({ where: { subjectId: { in: documentIds } }, include: { recipients: true } });
    const mail = (await listMail()).filter((x) => docNumbers.some((d) => x.subject.includes(d)));
    const byMessageId = new Map<string, number>();
    for (const x of mail) byMessageId.set(`${x.messageId}|${x.to.join(',')}`, (byMessageId.get(`${x.messageId}|${x.to.join(',')}`) ?? 0) + 1);
    const expected = notices.flatMap((n) => n.recipients.map((r) => `${r.messageId}|${r.email}`));
    const lost = expected.filter((k) => !byMessageId.has(k)).length + documentIds.filter((id) => !notices.some((n) => n.subjectId === id && n.kind === 'ASSIGNMENT')).length;
    const duplicated = [...byMessageId.values()].reduce((s, n) => s + (n - 1), 0) + notices.length - new Set(notices.map((n) => n.key)).size;
    const perDoc = documentIds.map((id) => notices.filter((n) => n.subjectId === id && n.kind === 'ASSIGNMENT').length);
    return { notices, mail, lost, duplicated, perDoc, recipients: expected.length };
  }

  it(`${KILLS} SIGKILLs between a notice activity's database write and its completion: 0 lost, 0 duplicated`, async () => {
    const docNumbers: string[] = [];
    const documentIds: string[] = [];
    const killedAt: Record<string, number> = {};
    for (let k = 0; k < KILLS; k++) {
      const point = POINTS[k % POINTS.length];
      // Retries of earlier kills wait (DUBAN_TEST_HOLD_RETRIES) so this kill lands only at `point`. Each held
      // retry takes an activity slot: with the default 8, the held retries of earlier kills could take them all
      // and this document's notice would never start. One slot per kill and a few more.
      worker = await startWorker({ DUBAN_TEST_PAUSE_AT: point, DUBAN_TEST_PAUSE_MS: '120000', DUBAN_TEST_HOLD_RETRIES: '1', WORKER_ACTIVITY_CONCURRENCY: String(KILLS + 10) });
      const paused = worker.waitForLine(new RegExp(`\\[duban-test-pause\\] ${point} `), 90_000);
      const docNumber = uniqueDocNumber('鲁崩');
      docNumbers.push(docNumber);
      const { document } = await arrive(docNumber);
      documentIds.push(document.id);
      await paused;
      await worker.proc.stop('SIGKILL');
      killedAt[point] = (killedAt[point] ?? 0) + 1;
    }
    // A worker without the hook: the killed activities time out (startToClose 1 min) and are retried.
    worker = await startWorker();
    await waitDelivered(documentIds, 5 * 60_000);

    const a = await audit(documentIds, docNumbers);
    expect(a.perDoc.every((n) => n === 1)).toBe(true);
    // Every workflow still progresses: each takes its next step.
    let progressed = 0;
    for (const id of documentIds) {
      const doc = await deps.db.document.findUniqueOrThrow({ where: { id } });
      const view = await client.workflow.getHandle(doc.workflowId).executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] });
      if (view.state === 'ACKNOWLEDGED') progressed++;
    }
    const attempts = await deps.db.noticeRecipient.aggregate({ where: { notice: { subjectId: { in: documentIds } } }, _sum: { attempts: true } });
    process.stdout.write(
      `[worker-kill] ${KILLS} kills (${Object.entries(killedAt).map(([p, n]) => `${n} after ${p}`).join(', ')}), ` +
        `${documentIds.length} documents, ${a.notices.length} notices, ${a.recipients} recipients, ${a.mail.length} e-mails, ` +
        `${a.lost} lost, ${a.duplicated} duplicated, ${progressed}/${documentIds.length} workflows progressed (delivery attempts ${attempts._sum.attempts})\n`,
    );
    expect(a.lost).toBe(0);
    expect(a.duplicated).toBe(0);
    expect(a.mail.length).toBe(a.recipients);
    expect(progressed).toBe(documentIds.length);
    await worker.proc.stop('SIGKILL');
    for (const id of documentIds) {
      const doc = await deps.db.document.findUniqueOrThrow({ where: { id } });
      await client.workflow.getHandle(doc.workflowId).terminate('test done');
    }
  });

  it('SIGTERM during an activity: the worker waits for it (shutdownGraceTime), nothing retried or sent twice', async () => {
    const results: string[] = [];
    for (const point of POINTS) {
      // The hook pauses 3 s; the grace time (30 s) lets the activity finish.
      worker = await startWorker({ DUBAN_TEST_PAUSE_AT: point, DUBAN_TEST_PAUSE_MS: '3000', WORKER_SHUTDOWN_GRACE: '30s' });
      const paused = worker.waitForLine(new RegExp(`\\[duban-test-pause\\] ${point} `), 90_000);
      const docNumber = uniqueDocNumber('鲁停');
      const { document } = await arrive(docNumber);
      await paused;
      const t0 = Date.now();
      await worker.proc.stop('SIGTERM', 60_000);
      const code = await worker.proc.exited;
      const notice = await deps.db.notice.findFirstOrThrow({ where: { subjectId: document.id, kind: 'ASSIGNMENT' }, include: { recipients: true } });
      // Finished before the worker exited: delivered by the first attempt.
      expect(notice.status).toBe('SENT');
      expect(notice.recipients.every((r) => r.status === 'SENT' && r.attempts === 1)).toBe(true);
      const mail = (await listMail()).filter((x) => x.subject.includes(docNumber));
      expect(mail).toHaveLength(notice.recipients.length);
      results.push(`${point}: exit ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s, ${mail.length} e-mails for ${notice.recipients.length} recipients`);
      // The next worker carries the workflow on.
      worker = await startWorker();
      const view = await client.workflow.getHandle(document.workflowId).executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] });
      expect(view.state).toBe('ACKNOWLEDGED');
      await worker.proc.stop('SIGTERM', 60_000);
      await client.workflow.getHandle(document.workflowId).terminate('test done');
    }
    process.stdout.write(`[worker-sigterm] 3 SIGTERMs mid-activity, 0 retried, 0 duplicated — ${results.join('; ')}\n`);
  });
});
