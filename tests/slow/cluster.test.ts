/**
 * The production shape on this machine, without Docker: the Temporal server
 * built from go.temporal.io/server (every service, PostgreSQL persistence and
 * visibility, schemas by temporal-sql-tool, the compose dynamic config:
 * tests/support/temporalCluster.ts), two workers and two API processes of
 * duban's compiled JavaScript (tsconfig.build.json, as the Docker image runs
 * them) with the prebuilt workflow bundle and payload encryption.
 *
 * Documents arrive and steps are taken through both APIs — every arrival and
 * every step sent twice, once through each API, the step with the same
 * Idempotency-Key — while worker A is SIGKILLed and later restarted. Then:
 * every document registered once with its running workflow, every step
 * recorded once, one 交办单 per document reaching every recipient, nothing
 * answered 5xx; the histories are in PostgreSQL and searchable; and the
 * per-official flood limit holds across the two API processes (a shared
 * PostgreSQL store), not twice over.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { newPayloadKey, payloadDataConverter } from '../../common/codec';
import { SEARCH_ATTRIBUTES } from '../../common/searchAttributes';
import { REPO_ROOT, dropDatabase, freePort } from '../../scripts/stack';
import { recordDivergences } from '../support/records';
import { startTemporalCluster, type TemporalCluster } from '../support/temporalCluster';
import { testDeps, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { listMail } from '../support/mailbox';
import { buildBundleFile, killChildren, prebuiltApp, startChild, type WorkerChild } from '../support/workerProcess';
import * as m from '../../workflows/document/messages';

const execFileP = promisify(execFile);
const DOCS = Number(process.env.DUBAN_CLUSTER_DOCUMENTS ?? 24);
const LANES = 4;
const KILL_AFTER = Math.round(DOCS / 3); // documents done before worker A is killed
const RESTART_AFTER = Math.round((2 * DOCS) / 3); // … and before it is back
/** Per-official limit of the two API processes, in a window longer than the test. */
const LIMIT = 200;
const NAMESPACE = 'duban';
const PAYLOAD_KEYS = newPayloadKey('cluster');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[cluster] ${msg}\n`);

describe('duban on a real Temporal cluster: two workers, two APIs, a worker killed', () => {
  let deps: TestDeps;
  let cluster: TemporalCluster | undefined;
  let databases: { temporal: string; visibility: string };
  let appDir: string;
  /** Compiled here (a test file run by hand), so removed afterwards; npm test's build stays. */
  let ownAppDir = false;
  let env: NodeJS.ProcessEnv;
  const workers: Record<'A' | 'B', WorkerChild | undefined> = { A: undefined, B: undefined };
  const apis: Array<{ name: string; url: string; child: WorkerChild }> = [];
  let connection: Connection | undefined;
  let client: Client;

  const serverUrl = () => {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = '/postgres';
    return u.toString();
  };

  beforeAll(async () => {
    deps = testDeps();
    const runDb = decodeURIComponent(new URL(process.env.DATABASE_URL!).pathname.slice(1));
    databases = { temporal: `${runDb}_temporal`, visibility: `${runDb}_temporal_vis` };
    cluster = await startTemporalCluster({ postgresUrl: serverUrl(), databases, namespace: NAMESPACE, retention: '24h', searchAttributes: SEARCH_ATTRIBUTES, log });
    // What the Docker image runs: compiled JavaScript and the prebuilt workflow bundle.
    const prebuilt = prebuiltApp();
    appDir = prebuilt ?? path.join(REPO_ROOT, '.data', `cluster-app-${process.pid}`);
    ownAppDir = !prebuilt;
    if (ownAppDir) await execFileP(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', appDir]);
    const bundle = await buildBundleFile();
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      DUBAN_PAYLOAD_KEYS: PAYLOAD_KEYS,
      WORKFLOW_BUNDLE_PATH: bundle,
      RATE_LIMIT_PER_CALLER: String(LIMIT),
      // The flood below is the per-official limit's: its 400 concurrent requests share one address.
      RATE_LIMIT_PER_ADDRESS: String(1e6),
      RATE_LIMIT_WINDOW_MS: String(30 * 60_000),
    };
    workers.A = await startWorker();
    workers.B = await startWorker();
    for (const name of ['A', 'B']) {
      const port = await freePort();
      const child = await startChild(path.join(appDir, 'api/main.js'), { ...env, API_PORT: String(port) }, /API listening on/, { compiled: true });
      apis.push({ name, url: `http://127.0.0.1:${port}/api`, child });
    }
    connection = await Connection.connect({ address: cluster.address });
    client = new Client({ connection, namespace: NAMESPACE, dataConverter: payloadDataConverter(PAYLOAD_KEYS) });
  });

  afterAll(async () => {
    for (const c of [...apis.map((a) => a.child), workers.A, workers.B]) await c?.proc.stop('SIGTERM', 15_000);
    await killChildren();
    await connection?.close();
    await cluster?.stop();
    for (const db of Object.values(databases ?? {})) {
      const u = new URL(serverUrl());
      u.pathname = `/${db}`;
      await dropDatabase(u.toString()).catch(() => {});
    }
    if (appDir && ownAppDir) fs.rmSync(appDir, { recursive: true, force: true });
    await deps?.close();
  });

  const startWorker = () => startChild(path.join(appDir, 'worker/main.js'), env, /worker polling task queue/, { compiled: true });

  const statuses: Record<string, number> = {};
  async function call(api: (typeof apis)[number], method: string, pathname: string, token: string, body?: unknown, idempotencyKey?: string) {
    const res = await fetch(`${api.url}${pathname}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${pathname} via API ${api.name}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return { status: res.status, body: json };
  }

  it(`${DOCS} documents and ${DOCS * 2} steps through both APIs, each sent twice, worker A SIGKILLed and restarted: nothing lost, nothing doubled; one flood limit across both APIs`, async () => {
    const t0 = Date.now();
    const admin = await tokenFor(deps.db, 'ro-director');
    const lead = await tokenFor(deps.db, 'dept-health-liaison');
    const docs: Array<{ docNumber: string; id: string; workflowId: string }> = [];
    const via = { A: 0, B: 0 };
    let done = 0;
    let killedAt = 0;
    let restartedAt = 0;

    async function lane(first: number): Promise<void> {
      for (let i = first; i < DOCS; i += LANES) {
        const [a, b] = i % 2 === 0 ? [apis[0], apis[1]] : [apis[1], apis[0]];
        const docNumber = uniqueDocNumber(`鲁集群${i}`);
        const arrival = { level: 'PROVINCIAL', title: `集群测试文件 ${i}`, docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: ['dept-finance'] };
        const created = await call(a, 'POST', '/documents', admin, arrival);
        const repeated = await call(b, 'POST', '/documents', admin, arrival);
        expect([created.status, repeated.status]).toEqual([201, 200]);
        via[a.name as 'A' | 'B']++;
        const document = created.body.document as { id: string; workflowId: string };
        // Each step through one API, then again through the other with the same Idempotency-Key.
        await call(a, 'POST', `/documents/${document.id}/acknowledge`, lead, {}, `ack-${i}`);
        await call(b, 'POST', `/documents/${document.id}/acknowledge`, lead, {}, `ack-${i}`);
        const ledger = { leadLeaderId: 'dept-health-leader', draftingUnitId: 'dept-health', timeline: [], tasks: [{ title: '起草实施意见', unitId: 'dept-health', ownerId: 'dept-health-drafter', dueAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }] };
        await call(b, 'POST', `/documents/${document.id}/ledger`, lead, ledger, `ledger-${i}`);
        await call(a, 'POST', `/documents/${document.id}/ledger`, lead, ledger, `ledger-${i}`);
        docs.push({ docNumber, ...document });
        done++;
        if (done === KILL_AFTER) {
          await workers.A!.proc.stop('SIGKILL');
          killedAt = (Date.now() - t0) / 1000;
          log(`worker A SIGKILLed after ${done} documents (${killedAt.toFixed(1)} s)`);
        }
        if (done === RESTART_AFTER) {
          workers.A = await startWorker();
          restartedAt = (Date.now() - t0) / 1000;
          log(`worker A restarted after ${done} documents (${restartedAt.toFixed(1)} s)`);
        }
      }
    }
    await Promise.all(Array.from({ length: LANES }, (_x, l) => lane(l)));
    const trafficDone = (Date.now() - t0) / 1000;

    // Activities in flight on the killed worker are retried once their start-to-close timeout passes.
    const ids = docs.map((d) => d.id);
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      const delivered = await deps.db.notice.count({ where: { subjectId: { in: ids }, kind: 'ASSIGNMENT', status: 'SENT' } });
      if (delivered === DOCS || Date.now() > deadline) break;
      await sleep(1000);
    }
    const settled = (Date.now() - t0) / 1000;

    // --- nothing lost, nothing doubled
    const documents = await deps.db.document.findMany({ where: { docNumber: { in: docs.map((d) => d.docNumber) } } });
    const events = await deps.db.workflowEvent.findMany({ where: { subjectId: { in: ids } } });
    const stepsPerDoc = ids.map((id) => events.filter((e) => e.subjectId === id).map((e) => e.step).sort().join(','));
    const notices = await deps.db.notice.findMany({ where: { subjectId: { in: ids } }, include: { recipients: true } });
    const assignments = ids.map((id) => notices.filter((n) => n.subjectId === id && n.kind === 'ASSIGNMENT').length);
    const mail = (await listMail()).filter((x) => docs.some((d) => x.subject.includes(d.docNumber)));
    const sent = new Map<string, number>();
    for (const x of mail) for (const to of x.to) sent.set(`${x.messageId}|${to}`, (sent.get(`${x.messageId}|${to}`) ?? 0) + 1);
    const expectedMail = notices.flatMap((n) => n.recipients.map((r) => `${r.messageId}|${r.email}`));
    const lostMail = expectedMail.filter((k) => !sent.has(k)).length;
    const resent = [...sent.values()].reduce((s, n) => s + n - 1, 0);
    let running = 0;
    let acceptedUpdates = 0;
    let drafting = 0;
    for (const d of docs) {
      const handle = client.workflow.getHandle(d.workflowId);
      if ((await handle.describe()).status.name === 'RUNNING') running++;
      if ((await handle.query(m.stateQuery)).state === 'DRAFTING') drafting++;
      const history = await handle.fetchHistory();
      acceptedUpdates += (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    }
    // The documents table is the workflows' projection: a record retried from the killed worker
    // never lands over a newer one (revisions), so every record equals its workflow.
    const stale = await recordDivergences(deps.db, client, docs.map((d) => d.workflowId));
    // The histories live in PostgreSQL, and SQL visibility answers duban's search attributes.
    const pg = new PgClient({ connectionString: Object.assign(new URL(serverUrl()), { pathname: `/${databases.temporal}` }).toString() });
    await pg.connect();
    const executions = Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM executions')).rows[0].n);
    await pg.end();
    let visible = 0;
    for (let i = 0; i < 30; i++) {
      visible = 0;
      for await (const _w of client.workflow.list({ query: `DubanFamily = 'document' AND DubanState = 'DRAFTING'` })) visible++;
      if (visible >= DOCS) break;
      await sleep(1000);
    }

    // --- one flood limit across both APIs
    const flooder = await tokenFor(deps.db, 'ro-inspector');
    const flood = await Promise.all(
      Array.from({ length: 2 * LIMIT }, (_x, i) => fetch(`${apis[i % 2].url}/inbox`, { headers: { Authorization: `Bearer ${flooder}` } }).then((r) => r.status)),
    );
    const floodTally = flood.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

    const fiveHundreds = Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
    const duplicatedSteps = events.length - new Set(events.map((e) => `${e.subjectId}|${e.step}`)).size;
    const duplicatedNotices = notices.length - new Set(notices.map((n) => n.key)).size;
    process.stdout.write(
      `[cluster] Temporal ${cluster!.version} (frontend, history, matching, worker) on PostgreSQL, schema by temporal-sql-tool (${cluster!.schemaSteps} versioned updates), ${executions} executions in its database, ${visible} found by search attributes; ` +
        `2 workers + 2 APIs of compiled JavaScript, worker A SIGKILLed at ${killedAt.toFixed(0)} s (after ${KILL_AFTER} documents) and restarted at ${restartedAt.toFixed(0)} s; ` +
        `${DOCS} documents (${via.A} first through API A, ${via.B} through API B, each repeated through the other), ${DOCS * 2} steps each sent through both APIs with one Idempotency-Key; ` +
        `HTTP ${JSON.stringify(statuses)}; traffic ${trafficDone.toFixed(0)} s, settled ${settled.toFixed(0)} s; ` +
        `${documents.length} documents, ${running} workflows running (${drafting} in DRAFTING), ${stale.length} records diverging from their workflow${stale.length ? ` (${stale.join('; ')})` : ''}, ${events.length} steps recorded (${acceptedUpdates} updates accepted), ${notices.length} notices, ${mail.length} e-mails to ${expectedMail.length} recipients; ` +
        `${ids.length - documents.length + assignments.filter((n) => n === 0).length + lostMail} lost, ${duplicatedSteps + duplicatedNotices + (acceptedUpdates - 2 * DOCS)} duplicated (${resent} e-mails resent with the same Message-ID); ` +
        `flood: ${2 * LIMIT} requests by one official over both APIs, limit ${LIMIT} → ${JSON.stringify(floodTally)}\n`,
    );

    expect(documents).toHaveLength(DOCS);
    expect(running).toBe(DOCS);
    expect(drafting).toBe(DOCS);
    expect(stale).toEqual([]);
    expect(stepsPerDoc.every((s) => s === 'acknowledge,openLedger')).toBe(true);
    expect(duplicatedSteps).toBe(0);
    expect(acceptedUpdates).toBe(2 * DOCS);
    expect(assignments.every((n) => n === 1)).toBe(true);
    expect(duplicatedNotices).toBe(0);
    expect(notices.filter((n) => n.kind === 'ASSIGNMENT' && n.status !== 'SENT')).toEqual([]);
    expect(lostMail).toBe(0);
    expect(fiveHundreds).toBe(0);
    expect(executions).toBeGreaterThanOrEqual(DOCS);
    expect(visible).toBe(DOCS);
    expect(floodTally).toEqual({ 200: LIMIT, 429: LIMIT });
    for (const d of docs) await client.workflow.getHandle(d.workflowId).terminate('test done');
  });
});
