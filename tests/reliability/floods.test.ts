/**
 * Floods: a burst of steps against one workflow is answered 429 — per caller
 * and per workflow — long before Temporal's per-run limits (2,000 updates,
 * 51,200 history events); only authorized steps spend a workflow's budget, and
 * anonymous requests are limited per address and leave no audit rows.
 * Real dev server, PostgreSQL, worker.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import { registerDocument } from '../../api/documentArrival';
import type { Prisma } from '../../generated/prisma/client';
import { eventually } from '../support/eventually';
import { testDeps, testWorker, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

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
  const officials = ['ro-director', 'dept-health-liaison', 'dept-health-head', 'dept-health-drafter', 'dept-health-leader', 'dept-finance-liaison', 'dept-ndrc-liaison'];

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

  async function arrive(participantUnitIds: string[] = []) {
    const docNumber = uniqueDocNumber('鲁洪');
    const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title: '洪泛测试', docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds });
    return document;
  }

  /** A step as `who`, by the path's spelling of the document. */
  const acknowledge = (on: Express, docPath: string, who: string, key: string) =>
    request(on).post(`/api/documents/${docPath}/acknowledge`).set('Authorization', `Bearer ${tokens[who]}`).set('Idempotency-Key', key).send({}).then((r) => r.status);

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
    // dept-health-liaison is still limited from the first test; dept-finance may not act on this document.
    const callers = ['ro-director', 'dept-health-head', 'dept-health-drafter', 'dept-health-leader'];
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

  // A workflow's budget is spent only by steps its callers may take (one bucket per workflow, however the path spells it).
  const STRICT = { windowMs: 60_000, perCaller: 1000, perWorkflow: 10 };

  it('forbidden steps spend no workflow budget: the unit that must act is still answered', async () => {
    const doc = await arrive(['dept-finance']);
    const strict = createApp({ db: deps.db, client, rateLimits: STRICT });
    // A participant that may see but not act, and an official of an unrelated unit: 3× the budget, all forbidden.
    const outsiders = ['dept-finance-liaison', 'dept-ndrc-liaison'];
    const forbidden = tally(await Promise.all(outsiders.flatMap((who) => Array.from({ length: 15 }, (_x, i) => acknowledge(strict, doc.id, who, `${who}-${i}`)))));
    const lead = await acknowledge(strict, doc.id, 'dept-health-liaison', 'lead-ack');
    process.stdout.write(`[floods] forbidden: ${outsiders.length} outsiders × 15 steps → ${JSON.stringify(forbidden)}; then the lead unit's step → ${lead} (budget ${STRICT.perWorkflow} steps/min per workflow)\n`);
    // The participant is refused the step (403); the unrelated unit is told the document does not exist for it (404).
    expect(forbidden).toEqual({ 403: 15, 404: 15 });
    expect(lead).toBe(200);
  });

  it('the same document by id, by 文号 and %-escaped is one budget', async () => {
    const doc = await arrive();
    const strict = createApp({ db: deps.db, client, rateLimits: STRICT });
    const escaped = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    const spellings = [doc.id, encodeURIComponent(doc.docNumber), escaped(doc.id), escaped(doc.docNumber)];
    const n = spellings.length * STRICT.perWorkflow; // each spelling alone stays within the budget
    const t = tally(await Promise.all(Array.from({ length: n }, (_x, i) => acknowledge(strict, spellings[i % spellings.length], 'dept-health-liaison', `spelling-${i}`))));
    const h = await updatesIn(doc.workflowId);
    process.stdout.write(`[floods] ${spellings.length} spellings of one document × ${STRICT.perWorkflow} steps → ${JSON.stringify(t)}; workflow history ${h.updates} updates (budget ${STRICT.perWorkflow})\n`);
    expect(t[429]).toBe(n - STRICT.perWorkflow);
    expect(h.updates).toBeLessThanOrEqual(STRICT.perWorkflow);
  });
});

/** A random address of the IPv6 documentation prefix, in a /64 of its own for this run. */
function randomSubnet(): string {
  const h = () => randomInt(0, 0x10000).toString(16);
  return `2001:db8:${h()}:${h()}`;
}

describe('anonymous floods: limited per address before authentication, not written to the audit log', () => {
  let deps: TestDeps;
  let connection: Connection;
  let client: Client;
  const PER_ADDRESS = 20;
  const from = (req: request.Test, address: string) => req.set('X-Forwarded-For', address);

  beforeAll(async () => {
    deps = testDeps();
    // The app needs a client; these requests never reach Temporal.
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });

  afterAll(async () => {
    await connection?.close();
    await deps?.close();
  });

  /** Audit rows are written when a response finishes: wait until `where` finds `n`. */
  const auditRows = (where: Prisma.AuditLogWhereInput, n: number) => eventually(() => deps.db.auditLog.findMany({ where }), (rows) => rows.length >= n, 10_000);

  it('one /64 flooding anonymous POSTs with 10 KB keys: the excess is 429, no row is written; other addresses are unaffected', async () => {
    const app = createApp({ db: deps.db, client, rateLimits: { perAddress: PER_ADDRESS } });
    const subnet = randomSubnet();
    const marker = `anonymous-${randomUUID()}`;
    const n = 6 * PER_ADDRESS;
    // Every request from another address of the same /64.
    const flood = tally(
      await Promise.all(
        Array.from({ length: n }, (_x, i) =>
          from(request(app).post(`/api/documents/${marker}/acknowledge`), `${subnet}::${(i + 1).toString(16)}`).set('Idempotency-Key', 'k'.repeat(10_000)).send({}).then((r) => r.status),
        ),
      ),
    );
    const otherSubnet = (await from(request(app).post(`/api/documents/${marker}/acknowledge`), `${randomSubnet()}::1`).send({})).status;
    const ipv4 = (await from(request(app).post(`/api/documents/${marker}/acknowledge`), `198.51.100.${randomInt(1, 255)}`).send({})).status;
    // A known caller's refusal on the same subject is audited: once it is there, the anonymous ones would be too.
    const token = await tokenFor(deps.db, 'dept-ndrc-liaison');
    expect((await request(app).post(`/api/documents/${marker}/acknowledge`).set('Authorization', `Bearer ${token}`).send({})).status).toBe(404);
    expect(await auditRows({ subjectId: marker, officialId: 'dept-ndrc-liaison' }, 1)).toHaveLength(1);
    const anonymousRows = await deps.db.auditLog.count({ where: { subjectId: marker, officialId: null } });
    process.stdout.write(
      `[floods] anonymous: ${n} POSTs from one IPv6 /64 (10 KB Idempotency-Key each) → ${JSON.stringify(flood)}; another /64 → ${otherSubnet}, an IPv4 address → ${ipv4}; audit rows written for them: ${anonymousRows} (limit ${PER_ADDRESS}/min per address)\n`,
    );
    expect(flood).toEqual({ 401: PER_ADDRESS, 429: n - PER_ADDRESS });
    expect([otherSubnet, ipv4]).toEqual([401, 401]);
    expect(anonymousRows).toBe(0);
  });

  it("an office's officials behind one address do not spend its budget", async () => {
    const app = createApp({ db: deps.db, client, rateLimits: { perAddress: 5 } });
    const address = `${randomSubnet()}::1`;
    const token = await tokenFor(deps.db, 'dept-health-liaison');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await from(request(app).get('/api/me/todo'), address).set('Authorization', `Bearer ${token}`)).status);
    expect(tally(statuses)).toEqual({ 200: 30 });
  });

  it('audits sign-in attempts (bounded by the address limit) and known callers, with bounded values', async () => {
    const app = createApp({ db: deps.db, client, rateLimits: { perAddress: 5 } });
    const address = `${randomSubnet()}::1`;
    const attempts = tally(
      await Promise.all(Array.from({ length: 12 }, () => from(request(app).post('/api/auth/session'), address).send({ email: 'dept-health-liaison@zibo.example.cn', code: '000000' }).then((r) => r.status))),
    );
    const signIns = await auditRows({ ip: address, path: '/api/auth/session' }, 5);
    // A known caller: a 10 KB Idempotency-Key (400) and a 4,000-character id (404) are audited, cut to size.
    const token = await tokenFor(deps.db, 'dept-ndrc-liaison');
    const marker = `long-${randomUUID()}`;
    const longId = marker + 'x'.repeat(4000);
    const caller = (await request(app).post(`/api/documents/${marker}/acknowledge`).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'k'.repeat(10_000)).send({})).status;
    const missing = (await request(app).post(`/api/documents/${longId}/acknowledge`).set('Authorization', `Bearer ${token}`).send({})).status;
    const rows = await auditRows({ officialId: 'dept-ndrc-liaison', path: { contains: marker } }, 2);
    const longest = Math.max(...rows.map((r) => JSON.stringify(r).length));
    process.stdout.write(
      `[floods] sign-in attempts: 12 wrong codes from one address → ${JSON.stringify(attempts)}, ${signIns.length} audited; a known caller's refusals (${caller}, ${missing}) with a 10 KB key and a 4,000-character id → ${rows.length} rows, the longest ${longest} characters\n`,
    );
    expect(attempts).toEqual({ 401: 5, 429: 7 });
    expect(signIns.map((r) => [r.status, r.officialId])).toEqual(Array.from({ length: 5 }, () => [401, null]));
    expect([caller, missing]).toEqual([400, 404]);
    expect(rows.map((r) => r.status).sort()).toEqual([400, 404]);
    expect(longest).toBeLessThan(2000);
  });
});
