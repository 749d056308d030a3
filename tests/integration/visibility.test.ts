/**
 * Existence and detail leaks (issue #15, item 3) on the real Temporal dev
 * server and PostgreSQL: an official outside a document gets the same 404 for
 * it as for a document that does not exist — on its detail, its actions, a
 * step and its timeline — and the timeline is refused before any history is
 * read; a unit's timeline merges a linked partner document only when the unit
 * may see that partner too.
 */
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import type { TimelineEvent } from '../../api/admin/timeline';
import { tokenFor, uniqueDocNumber } from '../support/deps';
import { startDevServerWorker, type DevServerHarness } from '../support/devServer';
import { eventually } from '../support/eventually';
import { expectRecordsMatch } from '../support/records';

jest.setTimeout(120_000);

describe('what an official may learn about items that are not theirs (dev server)', () => {
  let harness: DevServerHarness;
  let client: Client;
  let app: Express;
  const tokens: Record<string, string> = {};
  const as = (id: string) => ({ Authorization: `Bearer ${tokens[id]}` });
  // A CENTRAL document (lead: NDRC) and the PROVINCIAL one implementing it (lead: health, with finance).
  let central: { id: string; docNumber: string; workflowId: string };
  let provincial: { id: string; docNumber: string; workflowId: string };

  beforeAll(async () => {
    harness = await startDevServerWorker();
    client = harness.client;
    app = createApp({ db: harness.deps.db, client, temporalUiUrl: 'http://ui.test:8233' });
    for (const id of ['ro-director', 'dept-health-head', 'dept-finance-liaison', 'dept-ndrc-head', 'district-zhangdian-director']) tokens[id] = await tokenFor(harness.deps.db, id);
    const arrive = async (body: object) => {
      const res = await request(app).post('/api/documents').set(as('ro-director')).send(body);
      expect(res.status).toBe(201);
      return res.body.document as typeof central;
    };
    central = await arrive({ level: 'CENTRAL', title: '关于深化科技体制改革的意见', docNumber: uniqueDocNumber('中发'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-ndrc' });
    provincial = await arrive({
      level: 'PROVINCIAL',
      title: '关于深化科技体制改革的实施意见',
      docNumber: uniqueDocNumber('鲁发'),
      issuedAt: new Date().toISOString(),
      leadUnitId: 'dept-health',
      participantUnitIds: ['dept-finance'],
      implementsDocNumber: central.docNumber,
    });
    await eventually(() => harness.deps.db.notice.count({ where: { workflowId: provincial.workflowId, kind: 'ASSIGNMENT', status: 'SENT' } }), (n) => n === 1);
  });

  afterEach(() => expectRecordsMatch(harness.deps.db, harness.client, harness.touchedWorkflows()));

  afterAll(async () => {
    for (const d of [central, provincial]) if (d) await client.workflow.getHandle(d.workflowId).terminate('test done').catch(() => undefined);
    await harness?.close();
  });

  it('answers an outsider one 404 for "missing" and "not yours", and reads no history first', async () => {
    const outsider = as('district-zhangdian-director');
    const missing = uniqueDocNumber('鲁无');
    // Each route, for the existing document and for a name nothing has; the body names what was asked for.
    const routes: Array<[string, (key: string) => request.Test]> = [
      ['detail', (key) => request(app).get(`/api/documents/${encodeURIComponent(key)}`).set(outsider)],
      ['actions', (key) => request(app).get(`/api/documents/${encodeURIComponent(key)}/actions`).set(outsider)],
      ['step', (key) => request(app).post(`/api/documents/${encodeURIComponent(key)}/draft`).set(outsider).send({})],
      ['timeline', (key) => request(app).get(`/api/admin/workflows/${encodeURIComponent(key)}/timeline`).set(outsider)],
    ];
    // Counts the history reads of the API's own client (each still goes to the dev server).
    let fetches = 0;
    const getHandle = client.workflow.getHandle.bind(client.workflow);
    const history = jest.spyOn(client.workflow, 'getHandle').mockImplementation((...args: Parameters<typeof getHandle>) => {
      const handle = getHandle(...args);
      const fetch = handle.fetchHistory.bind(handle);
      handle.fetchHistory = () => {
        fetches += 1;
        return fetch();
      };
      return handle;
    });
    const differing: string[] = [];
    const statuses: number[] = [];
    const shape = (r: request.Response, k: string) => ({ status: r.status, body: JSON.stringify(r.body).replaceAll(k, '<key>') });
    try {
      for (const [name, call] of routes) {
        for (const key of [provincial.id, provincial.docNumber]) {
          const [existing, absent] = [await call(key), await call(missing)];
          statuses.push(existing.status, absent.status);
          if (JSON.stringify(shape(existing, key)) !== JSON.stringify(shape(absent, missing))) differing.push(`${name} ${existing.status}/${absent.status}`);
        }
      }
      const refused = fetches;
      // The same count for the administrator's read of that timeline: the instrument does see reads.
      expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(provincial.workflowId)}/timeline`).set(as('ro-director'))).status).toBe(200);
      process.stdout.write(
        `[visibility] outsider: ${statuses.length / 2} existing/missing pairs on 4 routes, ${differing.length} told apart${differing.length ? ` (${differing.join(', ')})` : ''}; ` +
          `histories read before refusing: ${refused} (an administrator's read of the same timeline: ${fetches - refused})\n`,
      );
      expect(differing).toEqual([]);
      expect(new Set(statuses)).toEqual(new Set([404]));
      expect(refused).toBe(0);
      expect(fetches - refused).toBeGreaterThan(0);
    } finally {
      history.mockRestore();
    }

    // Those the document concerns still read it, and an unknown name is 404 to an administrator too.
    expect((await request(app).get(`/api/documents/${provincial.id}`).set(as('dept-finance-liaison'))).status).toBe(200);
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(provincial.docNumber)}/timeline`).set(as('dept-finance-liaison'))).status).toBe(200);
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(missing)}/timeline`).set(as('ro-director'))).status).toBe(404);
  });

  it("merges a linked partner document's events only for those who may see the partner", async () => {
    const timeline = async (who: string) => {
      const r = await request(app).get(`/api/admin/workflows/${encodeURIComponent(provincial.workflowId)}/timeline`).set(as(who));
      expect(r.status).toBe(200);
      return r.body as { related: Array<{ workflowId: string }>; events: TimelineEvent[] };
    };
    const fromCentral = (t: { events: TimelineEvent[] }) => t.events.filter((e) => e.workflowId === central.workflowId).length;
    // The administrator sees the CENTRAL document's events on the PROVINCIAL one's timeline.
    const admin = await timeline('ro-director');
    expect(admin.related.map((r) => r.workflowId)).toEqual([central.workflowId]);
    const merged = fromCentral(admin);
    expect(merged).toBeGreaterThan(0);
    // Health leads the PROVINCIAL document but has nothing to do with the CENTRAL one.
    const health = await timeline('dept-health-head');
    // NDRC leads the CENTRAL one and reads its own timeline with the PROVINCIAL events merged in.
    const ndrc = await request(app).get(`/api/admin/workflows/${encodeURIComponent(central.workflowId)}/timeline`).set(as('dept-ndrc-head'));
    expect(ndrc.status).toBe(200);
    process.stdout.write(
      `[visibility] partner merge: administrator sees ${merged} events of the linked CENTRAL document; its non-participant (the PROVINCIAL lead) ${fromCentral(health)}; the CENTRAL lead reads its own with ${ndrc.body.related.length} partner\n`,
    );
    expect(health.related).toEqual([]);
    expect(fromCentral(health)).toBe(0);
    expect((await request(app).get(`/api/admin/workflows/${encodeURIComponent(central.workflowId)}/timeline`).set(as('dept-health-head'))).status).toBe(404);
  });
});
