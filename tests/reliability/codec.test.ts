/**
 * Payload encryption (common/codec.ts): with the codec, Temporal's history
 * holds no official's name or e-mail and no document text in the clear — a
 * client without the key sees only ciphertext — while the worker, the API's
 * client and the admin timeline read everything through the codec. Keys rotate:
 * a new first key encrypts, the old one still decrypts. Whoever reaches
 * Temporal without the key cannot slip in a plaintext update, nor replay one
 * workflow's ciphertext into another. The Web UI's codec endpoint
 * (api/routes/codec.ts) decrypts for administrators and nobody else.
 *
 * Its own in-memory dev server, so encrypted tasks never meet the other test
 * files' workers (which run without a key on the shared server).
 */
import { Client, Connection, WorkflowUpdateStage } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import request from 'supertest';
import { createApp } from '../../api/app';
import { registerDocument } from '../../api/documentArrival';
import { CODEC_COOKIE } from '../../api/routes/codec';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, WORKFLOW_ID_METADATA, newPayloadKey, parsePayloadKeys, payloadCodec, payloadDataConverter } from '../../common/codec';
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
    expect(() => parsePayloadKeys(`a b:${k1.split(':')[1]}`)).toThrow(/letters, digits/);
    expect(parsePayloadKeys(`${k2},${k1}`).current).toBe('k2');
  });

  it('refuses plaintext, payloads sealed for another workflow, short or tampered ciphertext', async () => {
    const codec = payloadCodec(k1)!;
    const json = defaultPayloadConverter.toPayload({ actor: admin, note: '伪造' });
    const ctx = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId });
    const value = (ps: Payload[]) => ps.map((p) => defaultPayloadConverter.fromPayload(p));
    const [sealed] = await codec.encode([json], ctx('doc-a'));
    expect(Buffer.from(sealed.metadata![WORKFLOW_ID_METADATA]).toString()).toBe('doc-a');
    expect(value(await codec.decode([sealed], ctx('doc-a')))).toEqual([{ actor: admin, note: '伪造' }]);
    // Activities scheduled by doc-a carry its id too; decoders without a context read the id from the payload.
    expect(value(await codec.decode([sealed], { type: 'activity', namespace: 'default', workflowId: 'doc-a', isLocal: false }))).toHaveLength(1);
    expect(value(await codec.decode([sealed]))).toHaveLength(1);
    await expect(codec.decode([json], ctx('doc-a'))).rejects.toThrow(/unencrypted payload refused/);
    await expect(codec.decode([json])).rejects.toThrow(/unencrypted payload refused/);
    await expect(codec.decode([sealed], ctx('doc-b'))).rejects.toThrow(/sealed for workflow "doc-a" refused in workflow "doc-b"/);
    // Relabelling the payload for the other workflow breaks the tag (the id is associated data).
    const relabelled: Payload = { ...sealed, metadata: { ...sealed.metadata, [WORKFLOW_ID_METADATA]: Buffer.from('doc-b') } };
    await expect(codec.decode([relabelled], ctx('doc-b'))).rejects.toThrow(/unable to authenticate/);
    const [unbound] = await codec.encode([json]);
    await expect(codec.decode([unbound], ctx('doc-a'))).rejects.toThrow(/sealed for workflow "\(none\)"/);
    const data = Buffer.from(sealed.data!);
    await expect(codec.decode([{ ...sealed, data: data.subarray(0, 27) }])).rejects.toThrow(/27 bytes refused: shorter than IV and tag/);
    const flipped = Buffer.from(data);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/unable to authenticate/);
    // The Web UI's decoding shows never-encrypted payloads (search attributes, a schedule's memo) as they are.
    expect(value(await codec.decodeForDisplay([json, sealed]))).toEqual([{ actor: admin, note: '伪造' }, { actor: admin, note: '伪造' }]);
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
      const worker: Worker = await testWorker(native, deps, { dataConverter: payloadDataConverter(spec) }, temporal.namespace);
      return worker.runUntil(fn(withKey(spec)));
    };

    const docNumber = uniqueDocNumber('鲁密');
    const workflowId = await run(k1, async (client) => {
      const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title, docNumber, issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: [] });
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
      if (r.metadata && typeof r.metadata === 'object' && 'data' in r && (r.metadata as Record<string, unknown>).encoding) payloads.push(r);
      for (const v of Object.values(r)) walk(v);
    };
    // A patch marker (patched(), e.g. the arrival's record-arrival) carries only the patch's id, written by
    // the SDK's core beside the data converter; every other payload goes through the codec.
    const patchMarkers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    for (const e of history.events ?? []) if (!patchMarkers.includes(e)) walk(e);
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
      `[codec] ${history.events?.length} events, ${encrypted.length} payloads encrypted (key ids ${[...keyIds].sort().join(', ')}), ${clear.length} in the clear, ${patchMarkers.length} patch marker(s), ` +
        `${leaks.length} names/e-mails/texts visible without the key; timeline through the codec: HTTP ${timeline.status}, note ${timelineText.includes(note) ? 'readable' : 'missing'}\n`,
    );
    expect(encrypted.length).toBeGreaterThan(10);
    expect(clear).toEqual([]);
    const patchData = patchMarkers.flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) => d.payloads ?? []));
    for (const p of patchData) expect(Object.keys(JSON.parse(text(p.data)) as object).sort()).toEqual(['deprecated', 'id']);
    expect(leaks).toEqual([]);
    expect([...keyIds].sort()).toEqual(['k1', 'k2']);
    expect(timeline.status).toBe(200);
    expect(timelineText).toContain(note);
    expect(oldOnly).toMatch(/key "k2"/);
  });

  it('whoever reaches Temporal without the key cannot step a workflow: plaintext and replayed ciphertext are refused', async () => {
    const client = new Client({ connection, dataConverter: payloadDataConverter(k1) });
    const worker: Worker = await testWorker(native, deps, { dataConverter: payloadDataConverter(k1) }, temporal.namespace);
    await worker.runUntil(async () => {
      const arrive = async (prefix: string) => (await registerDocument(deps.db, client, { level: 'PROVINCIAL', title: '伪造测试', docNumber: uniqueDocNumber(prefix), issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: [] })).document;
      const a = await arrive('鲁伪甲');
      const b = await arrive('鲁伪乙');
      const lead: m.Actor = { officialId: 'dept-health-liaison', unitId: 'dept-health' };
      await client.workflow.getHandle(a.workflowId).executeUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }] });
      await client.workflow.getHandle(b.workflowId).query(m.stateQuery); // b's first task is done
      const accepted = async (send: () => Promise<unknown>) =>
        connection.withDeadline(Date.now() + 4000, send).then(
          () => 'accepted',
          (err: Error) => `${err.name}: ${err.message.slice(0, 20)}…`,
        );
      // 1. A client without the key sends the update in the clear.
      const plainTry = await accepted(() =>
        new Client({ connection }).workflow.getHandle(b.workflowId).startUpdate(m.acknowledgeUpdate, { args: [{ actor: lead }], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: 'forged-plain' }),
      );
      // 2. The sealed arguments of a's acknowledge, copied from a's history into an update of b.
      const history = await new Client({ connection }).workflow.getHandle(a.workflowId).fetchHistory();
      const copied = history.events?.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)?.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads;
      expect(copied?.length).toBe(1);
      const replayTry = await accepted(() =>
        connection.workflowService.updateWorkflowExecution({
          namespace: 'default',
          workflowExecution: { workflowId: b.workflowId },
          request: { meta: { updateId: 'forged-replay', identity: 'attacker' }, input: { name: m.acknowledgeUpdate.name, args: { payloads: copied } } },
          waitPolicy: { lifecycleStage: 2 }, // ACCEPTED
        }),
      );
      const state = (await deps.db.document.findUniqueOrThrow({ where: { id: b.id } })).state;
      process.stdout.write(`[codec] forged updates without the key: plaintext → ${plainTry}, a's ciphertext replayed into b → ${replayTry}; b's state ${state}\n`);
      expect(plainTry).not.toBe('accepted');
      expect(replayTry).not.toBe('accepted');
      expect(state).not.toBe('ACKNOWLEDGED');
      await client.workflow.getHandle(b.workflowId).terminate('test done');
      await client.workflow.getHandle(a.workflowId).terminate('test done');
    });
  });

  it('the Web UI codec endpoint decrypts a real history for administrators (token or login cookie) and for nobody else', async () => {
    const uiOrigin = 'http://ui.duban.test:8233';
    const app = createApp({ db: deps.db, client: new Client({ connection, dataConverter: payloadDataConverter(k1) }), codec: payloadCodec(k1), temporalUiUrl: `${uiOrigin}/namespaces/default` });
    const client = new Client({ connection, dataConverter: payloadDataConverter(k1) });
    const worker: Worker = await testWorker(native, deps, { dataConverter: payloadDataConverter(k1) }, temporal.namespace);
    const liaison = await deps.db.official.findUniqueOrThrow({ where: { id: 'dept-health-liaison' } });
    const title = `界面解密测试：${liaison.name}`;
    const workflowId = await worker.runUntil(async () => {
      const { document } = await registerDocument(deps.db, client, { level: 'PROVINCIAL', title, docNumber: uniqueDocNumber('鲁界面'), issuedAt: new Date().toISOString(), leadUnitId: 'dept-health', participantUnitIds: [] });
      await client.workflow.getHandle(document.workflowId).query(m.stateQuery);
      return document.workflowId;
    });
    // What the UI posts: the history's payloads as proto3 JSON (bytes in base64), with its headers.
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    const payloads: Payload[] = [];
    const walk = (o: unknown): void => {
      if (!o || typeof o !== 'object' || o instanceof Uint8Array) return;
      const r = o as Record<string, unknown>;
      if (r.metadata && 'data' in r && (r.metadata as Record<string, unknown>).encoding) payloads.push(r);
      else for (const v of Object.values(r)) walk(v);
    };
    walk(history.events);
    const body = {
      payloads: payloads.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      })),
    };
    const decode = (headers: Record<string, string>) => request(app).post('/api/codec/decode').set({ 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin, ...headers }).send(body);
    const plainText = (res: request.Response) => JSON.stringify((res.body.payloads ?? []).map((p: { data: string }) => Buffer.from(p.data, 'base64').toString('utf8')));

    const adminToken = await tokenFor(deps.db, 'ro-director');
    const byToken = await decode({ Authorization: `Bearer ${adminToken}` });
    // The browser: log in once on the API's own page, then the UI's fetch carries the cookie.
    const login = await request(app).post('/api/codec/login').type('form').set('Origin', 'http://127.0.0.1').set('Host', '127.0.0.1').send({ token: adminToken });
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0];
    const byCookie = await decode({ Cookie: cookie.split(';')[0] });
    const preflight = await request(app).options('/api/codec/decode').set({ Origin: uiOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' });

    const others = {
      'no token': await decode({}),
      'an official who is not an administrator': await decode({ Authorization: `Bearer ${await tokenFor(deps.db, 'dept-health-liaison')}` }),
      'a district director’s token in a cookie': await decode({ Cookie: `${CODEC_COOKIE}=${await tokenFor(deps.db, 'district-zhangdian-director')}` }),
      'an unknown token': await decode({ Authorization: 'Bearer dbn_nope' }),
      'an administrator’s cookie sent from another origin': await decode({ Cookie: cookie.split(';')[0], Origin: 'https://evil.example' }),
    };
    const evilPreflight = await request(app).options('/api/codec/decode').set({ Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' });
    const encode = await decode({ Authorization: `Bearer ${adminToken}` }).then(() => request(app).post('/api/codec/encode').set('Authorization', `Bearer ${adminToken}`).send(body));

    process.stdout.write(
      `[codec-endpoint] ${payloads.length} payloads of a real history: administrator by token HTTP ${byToken.status} (title ${plainText(byToken).includes(title) ? 'readable' : 'missing'}), ` +
        `by login cookie from the UI origin HTTP ${byCookie.status}; ` +
        Object.entries(others).map(([who, res]) => `${who} HTTP ${res.status} (${plainText(res).includes(title) ? 'LEAKED' : 'nothing'})`).join(', ') +
        `; preflight UI origin ${preflight.status}, other origin ${evilPreflight.status}; /encode ${encode.status}\n`,
    );
    expect(payloads.length).toBeGreaterThan(5);
    expect(byToken.status).toBe(200);
    expect(byToken.body.payloads).toHaveLength(payloads.length);
    expect(plainText(byToken)).toContain(title);
    expect(byToken.headers['access-control-allow-origin']).toBe(uiOrigin);
    expect(byToken.headers['access-control-allow-credentials']).toBe('true');
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(`${uiOrigin}/namespaces/default`);
    expect(cookie).toMatch(new RegExp(`^${CODEC_COOKIE}=.+; Max-Age=28800; Path=/api/codec; Expires=.+; HttpOnly; SameSite=Strict$`));
    expect(byCookie.status).toBe(200);
    expect(plainText(byCookie)).toContain(title);
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(uiOrigin);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
    expect(Object.fromEntries(Object.entries(others).map(([who, res]) => [who, res.status]))).toEqual({
      'no token': 401,
      'an official who is not an administrator': 403,
      'a district director’s token in a cookie': 403,
      'an unknown token': 401,
      'an administrator’s cookie sent from another origin': 403,
    });
    for (const res of Object.values(others)) {
      expect(res.body.payloads).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain(title);
    }
    expect(others['an administrator’s cookie sent from another origin'].headers['access-control-allow-origin']).toBeUndefined();
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(encode.status).toBe(403);
    // A login with a non-administrator's token sets no cookie.
    const refused = await request(app).post('/api/codec/login').type('form').send({ token: await tokenFor(deps.db, 'dept-health-head') });
    expect(refused.status).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    await client.workflow.getHandle(workflowId).terminate('test done');
  });
});
