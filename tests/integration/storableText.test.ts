/**
 * Text PostgreSQL cannot store — a NUL character, an unpaired UTF-16 surrogate
 * — is refused with 400 and its place, whatever route it is sent to, and
 * changes nothing (the fuzzer found a 500 when a NUL reached a jsonb column).
 */
import { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { testDeps, tokenFor, type TestDeps } from '../support/deps';

describe('text PostgreSQL cannot store', () => {
  let deps: TestDeps;
  let app: ReturnType<typeof createApp>;
  let auth: { Authorization: string };

  beforeAll(async () => {
    deps = testDeps();
    // Nothing here reaches Temporal: a client that never connects.
    app = createApp({ db: deps.db, client: new Client() });
    auth = { Authorization: `Bearer ${await tokenFor(deps.db, 'ro-director')}` };
  });
  afterAll(() => deps.close());

  it('is refused with 400 and its place, in a body, a query or a path, and nothing is written', async () => {
    const year = 2090 + (process.pid % 9);
    const indicators = (description: string) => ({
      indicators: [{ code: 'ON_TIME', name: '按时报送', weight: 100, method: 'REPORT_ON_TIME', appliesTo: ['DISTRICT'], description }],
    });
    const before = await request(app).get(`/api/cycles/years/${year}/indicators`).set(auth);
    const answers = {
      nul: await request(app).put(`/api/cycles/years/${year}/indicators`).set(auth).send(indicators('说明\u0000')),
      surrogate: await request(app).put(`/api/cycles/years/${year}/indicators`).set(auth).send(indicators('说明\ud94d')),
      query: await request(app).get('/api/documents?q=%00').set(auth),
      path: await request(app).get('/api/documents/%00').set(auth),
    };
    const after = await request(app).get(`/api/cycles/years/${year}/indicators`).set(auth);
    process.stdout.write(`[storable-text] NUL in a body, a lone surrogate, NUL in a query, NUL in a path → ${Object.values(answers).map((a) => a.status).join(', ')}; indicators unchanged: ${JSON.stringify(after.body) === JSON.stringify(before.body)}\n`);
    for (const a of Object.values(answers)) expect(a.status).toBe(400);
    expect(answers.nul.body.error.details).toEqual([{ path: ['body', 'indicators', 0, 'description'], message: '含有无法保存的字符（空字符或不成对的代理项）' }]);
    expect(answers.query.body.error.details[0].path).toEqual(['query', 'q']);
    expect(after.body).toEqual(before.body);
    // A surrogate pair (an emoji) is ordinary text.
    const emoji = await request(app).put(`/api/cycles/years/${year}/indicators`).set(auth).send(indicators('说明🙂'));
    expect(emoji.status).toBe(200);
  });
});
