/**
 * Payload encryption (common/codec.ts): with the codec, Temporal's history
 * holds no official's name or e-mail and no document text in the clear — a
 * client without the key sees only ciphertext — while the worker, the API's
 * client and the admin timeline read everything through the codec. Keys rotate:
 * a new first key encrypts, the old one still decrypts.
 *
 * Its own in-memory dev server, so encrypted tasks never meet the other test
 * files' workers (which run without a key on the shared server).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createApp } from '../../api/app';
import { registerDocument } from '../../api/documentArrival';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, newPayloadKey, parsePayloadKeys, payloadDataConverter } from '../../common/codec';
import { freePort, loadSearchAttributes, startTemporalDev, type TemporalDevHandle } from '../../scripts/stack';
import * as m from '../../workflows/document/messages';
import { testDeps, testWorker, tokenFor, uniqueDocNumber, type TestDeps } from '../support/deps';
import { waitForMail } from '../support/mailbox';

const admin: m.Actor = { officialId: 'ro-director', unitId: 'reform-office' };

describe('payload encryption', () => {
  let deps: TestDeps;
  let temporal: TemporalDevHandle;
  let connection: Connection;
  let native: NativeConnection;
  const k1 = newPayloadKey('k1');
  const k2 = newPayloadKey('k2');

  beforeAll(async () => {
    deps = testDeps();
    temporal = await startTemporalDev({ port: await freePort(), namespace: 'default', searchAttributes: loadSearchAttributes(() => {}), log: () => {} });
    connection = await Connection.connect({ address: temporal.address });
    native = await NativeConnection.connect({ address: temporal.address });
  });

  afterAll(async () => {
    await native?.close();
    await connection?.close();
    await temporal?.stop();
    await deps?.close();
  });

  it('rejects malformed keys', () => {
    expect(() => parsePayloadKeys('k1:c2hvcnQ=')).toThrow(/32/);
    expect(() => parsePayloadKeys('nokey')).toThrow(/id:base64key/);
    expect(parsePayloadKeys(`${k2},${k1}`).current).toBe('k2');
  });

  it('history without the key shows no name, e-mail or text; the timeline reads it through the codec; keys rotate', async () => {
    const director = await deps.db.official.findUniqueOrThrow({ where: { id: 'ro-director' } });
    const liaison = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-liaison' } });
    const secrets = [director.name, director.email, liaison.name, liaison.email];
    const title = `关于${liaison.name}（${liaison.email}）牵头的改革试点`;
    const note = `请${liaison.name}本周内报送，联系 ${liaison.email}`;

    const withKey = (spec: string) => new Client({ connection, dataConverter: payloadDataConverter(spec) });
    const plain = new Client({ connection });
    const run = async <T,>(spec: string, fn: (client: Client) => Promise<T>): Promise<T> => {
      const worker: Worker = await testWorker(native, deps, { dataConverter: payloadDataConverter(spec) });
      return worker.runUntil(fn(withKey(spec)));
    };

    const docNumber = uniqueDocNumber('鲁密');
    const workflowId = await run(k1, async (client) => {
      const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title, docNumber, issuedAt: '2026-11-01', leadUnitId: 'dept-health', participantUnitIds: [] });
      await waitForMail((x) => x.subject.includes(docNumber));
      await client.workflow.getHandle(document.workflowId).executeUpdate(m.manualChaseUpdate, { args: [{ actor: admin, obligation: 'draft', note }] });
      return document.workflowId;
    });
    // Rotation: k2 first encrypts the next step; k1 still decrypts the earlier ones.
    const rotated = `${k2},${k1}`;
    await run(rotated, (client) => client.workflow.getHandle(workflowId).executeUpdate(m.manualChaseUpdate, { args: [{ actor: admin, obligation: 'issuance', note }] }));

    // Raw history, fetched without the codec.
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    const payloads: Array<{ metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }> = [];
    const walk = (o: unknown): void => {
      if (!o || typeof o !== 'object') return;
      if (o instanceof Uint8Array) return;
      const r = o as Record<string, unknown>;
      if (r.metadata && typeof r.metadata === 'object' && 'data' in r && (r.metadata as Record<string, unknown>).encoding) payloads.push(r as never);
      for (const v of Object.values(r)) walk(v);
    };
    walk(history);
    const text = (b?: Uint8Array | null) => Buffer.from(b ?? new Uint8Array()).toString('utf8');
    const encoding = (p: (typeof payloads)[number]) => text(p.metadata?.encoding);
    const encrypted = payloads.filter((p) => encoding(p) === ENCRYPTED_ENCODING);
    // Search attributes (indexed, never personal data here) are Temporal's own and stay readable.
    const clear = payloads.filter((p) => encoding(p) !== ENCRYPTED_ENCODING && !p.metadata?.type);
    const rawText = payloads.map((p) => text(p.data)).join('\n') + JSON.stringify(history);
    const leaks = secrets.concat(title, note).filter((s) => rawText.includes(s));
    const keyIds = new Set(encrypted.map((p) => text(p.metadata?.[KEY_ID_METADATA])));

    // The same history through the codec, as the admin timeline reads it.
    const app = createApp({ db: deps.db, client: withKey(rotated) });
    const token = await tokenFor(deps.db, 'ro-director');
    const timeline = await request(app).get(`/api/admin/workflows/${encodeURIComponent(workflowId)}/timeline`).set('Authorization', `Bearer ${token}`);
    const timelineText = JSON.stringify(timeline.body);
    // Without the new key, the rotated step's payloads cannot be read.
    const oldOnly = await new AesGcmPayloadCodec(parsePayloadKeys(k1).keys, 'k1').decode(encrypted.filter((p) => text(p.metadata?.[KEY_ID_METADATA]) === 'k2') as never).then(
      () => 'read',
      (err: Error) => err.message,
    );

    process.stdout.write(
      `[codec] ${history.events?.length} events, ${encrypted.length} payloads encrypted (key ids ${[...keyIds].sort().join(', ')}), ${clear.length} in the clear, ` +
        `${leaks.length} names/e-mails/texts visible without the key; timeline through the codec: HTTP ${timeline.status}, note ${timelineText.includes(note) ? 'readable' : 'missing'}\n`,
    );
    expect(encrypted.length).toBeGreaterThan(10);
    expect(clear).toEqual([]);
    expect(leaks).toEqual([]);
    expect([...keyIds].sort()).toEqual(['k1', 'k2']);
    expect(timeline.status).toBe(200);
    expect(timelineText).toContain(note);
    expect(oldOnly).toMatch(/key "k2"/);
  });
});
