/**
 * Signing in to the console without a shell (api/sessions.ts), against the
 * real PostgreSQL and SMTP sink: a one-time code by e-mail, a server-side
 * session in an httpOnly SameSite cookie, CSRF on cookie writes, expiry,
 * logout, limited attempts; bearer tokens keep working beside it.
 */
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { AUTH_LIMITS } from '../../api/sessions';
import { hashToken } from '../../common/tokens';
import { testDeps, tokenFor, type TestDeps } from '../support/deps';
import { codeMails, nextLoginCode } from '../support/loginMail';
import { mailTo } from '../support/mailbox';

describe('console sign-in (PostgreSQL, SMTP sink)', () => {
  let deps: TestDeps;
  let connection: Connection;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    deps = testDeps();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    app = createApp({ db: deps.db, client: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }), mailer: deps.mailer, consoleUrl: 'http://console.test' });
  });

  afterAll(async () => {
    await connection?.close();
    await deps?.close();
  });

  /** Asks for a code and reads it from the sink. */
  async function codeFor(email: string): Promise<string> {
    const before = await codeMails(email);
    const asked = await request(app).post('/api/auth/code').send({ email });
    expect(asked.status).toBe(202);
    return nextLoginCode(email, before);
  }

  async function signIn(email: string) {
    const code = await codeFor(email);
    const res = await request(app).post('/api/auth/session').send({ email, code });
    expect(res.status).toBe(201);
    const cookie = res.headers['set-cookie'] as unknown as string[];
    return { res, cookie: cookie[0].split(';')[0], csrf: res.body.csrfToken as string };
  }

  it('a code by e-mail opens a session: httpOnly SameSite=Strict cookie, who I am, the console link in the mail', async () => {
    const email = 'dept-education-liaison@zibo.example.cn';
    const { res, cookie } = await signIn(email);
    const setCookie = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(setCookie).toMatch(/^duban_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(res.body.official).toMatchObject({ id: 'dept-education-liaison', unitId: 'dept-education', unitName: '市教育局', isAdmin: false });
    expect(res.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const me = await request(app).get('/api/auth/session').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.official.id).toBe('dept-education-liaison');
    expect(me.body.method).toBe('email-code');
    // Only the hash of the cookie value is stored.
    const value = cookie.split('=')[1];
    expect(await deps.db.session.count({ where: { tokenHash: hashToken(value) } })).toBe(1);
    expect(await deps.db.session.count({ where: { tokenHash: value } })).toBe(0);

    const mail = (await mailTo(email)).at(-1)!;
    expect(mail.text).toContain('http://console.test');
    expect(mail.text).toContain('10分钟内有效');
    // The sign-in is audited under the official's name.
    const audit = await deps.db.auditLog.findFirst({ where: { path: '/api/auth/session', officialId: 'dept-education-liaison' } });
    expect(audit?.status).toBe(201);
  });

  it('writes with the cookie need the CSRF token; reads do not; bearer tokens need none', async () => {
    const { cookie, csrf } = await signIn('dept-education-drafter@zibo.example.cn');
    expect((await request(app).get('/api/me/todo').set('Cookie', cookie)).status).toBe(200);
    const forged = await request(app).post('/api/notices/nothing/acknowledge').set('Cookie', cookie).send({});
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toContain('CSRF');
    const wrong = await request(app).post('/api/notices/nothing/acknowledge').set('Cookie', cookie).set('X-CSRF-Token', `${csrf}x`).send({});
    expect(wrong.status).toBe(403);
    // With the token the request gets through authentication (and finds no such notice).
    const real = await request(app).post('/api/notices/nothing/acknowledge').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({});
    expect(real.status).toBe(404);
    const token = await tokenFor(deps.db, 'dept-education-drafter');
    const bearer = await request(app).post('/api/notices/nothing/acknowledge').set('Authorization', `Bearer ${token}`).send({});
    expect(bearer.status).toBe(404);
    // A cookie does not rescue a bad bearer token.
    expect((await request(app).get('/api/me/todo').set('Cookie', cookie).set('Authorization', 'Bearer nope')).status).toBe(401);
  });

  it('a code works once; wrong guesses are limited per code; an expired code or session is refused', async () => {
    const email = 'dept-market-liaison@zibo.example.cn';
    const code = await codeFor(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await request(app).post('/api/auth/session').send({ email, code: wrong });
    expect(first.status).toBe(401);
    expect(first.body.error.message).toContain(`还可尝试${AUTH_LIMITS.attemptsPerCode - 1}次`);
    for (let i = 1; i < AUTH_LIMITS.attemptsPerCode; i++) await request(app).post('/api/auth/session').send({ email, code: wrong });
    // Spent: even the right code no longer opens a session.
    expect((await request(app).post('/api/auth/session').send({ email, code })).status).toBe(401);
    expect(await deps.db.session.count({ where: { officialId: 'dept-market-liaison' } })).toBe(0);

    const fresh = await codeFor(email);
    expect((await request(app).post('/api/auth/session').send({ email, code: fresh })).status).toBe(201);
    expect((await request(app).post('/api/auth/session').send({ email, code: fresh })).status).toBe(401);

    const late = await codeFor(email);
    await deps.db.loginCode.updateMany({ where: { officialId: 'dept-market-liaison', usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await request(app).post('/api/auth/session').send({ email, code: late })).status).toBe(401);

    const { cookie } = await signIn('dept-market-drafter@zibo.example.cn');
    expect((await request(app).get('/api/auth/session').set('Cookie', cookie)).status).toBe(200);
    await deps.db.session.updateMany({ where: { officialId: 'dept-market-drafter' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await request(app).get('/api/auth/session').set('Cookie', cookie)).status).toBe(401);
  });

  it('logout ends the session; an unknown address gets the same answer and no mail; codes per official are limited', async () => {
    const { cookie, csrf } = await signIn('dept-market-head@zibo.example.cn');
    expect((await request(app).delete('/api/auth/session').set('Cookie', cookie)).status).toBe(403); // CSRF
    const out = await request(app).delete('/api/auth/session').set('Cookie', cookie).set('X-CSRF-Token', csrf);
    expect(out.status).toBe(200);
    expect(out.headers['set-cookie']?.[0]).toMatch(/^duban_session=;/);
    expect((await request(app).get('/api/auth/session').set('Cookie', cookie)).status).toBe(401);

    const nobody = await request(app).post('/api/auth/code').send({ email: 'nobody@zibo.example.cn' });
    expect(nobody.status).toBe(202);
    expect(nobody.body).toEqual({ sent: true, expiresInMinutes: 10 });
    expect(await mailTo('nobody@zibo.example.cn')).toHaveLength(0);
    expect((await request(app).post('/api/auth/code').send({ email: 'not an address' })).status).toBe(400);

    const email = 'dept-market-leader@zibo.example.cn';
    for (let i = 0; i < AUTH_LIMITS.codesPerOfficial; i++) expect((await request(app).post('/api/auth/code').send({ email })).status).toBe(202);
    const limited = await request(app).post('/api/auth/code').send({ email });
    expect(limited.status).toBe(429);
    expect(await deps.db.loginCode.count({ where: { officialId: 'dept-market-leader' } })).toBe(AUTH_LIMITS.codesPerOfficial);
  });
});
