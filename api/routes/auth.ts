// Signing in to the console (api/sessions.ts): request a code by e-mail,
// exchange it for a session cookie, read the session, sign out.
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Mailer } from '../../activities/mailer';
import type { Db } from '../../common/db';
import { isSiteMasterOf } from '../../common/siteMasters';
import { auditSignIn } from '../audit';
import { caller, isAdmin } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { AuthMethods, LoginCodeBody, LoginCodeSent, SessionBody, SessionView, SignedOut } from '../schemas/console';
import { AUTH_LIMITS, endSession, LOGIN_METHODS, sendLoginCode, startSession, verifyLoginCode } from '../sessions';

const tags = ['登录'];
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

describe({ method: 'get', path: '/auth/methods', operationId: 'listLoginMethods', summary: 'The ways to sign in to the console', label: '可用的登录方式', tags, public: true, responses: { 200: { description: 'OK', ...json(AuthMethods) } } });
describe({
  method: 'post',
  path: '/auth/code',
  operationId: 'requestLoginCode',
  summary: 'E-mail a one-time sign-in code to a work address (the answer never tells whether it exists)',
  label: '向工作邮箱发送一次性登录验证码',
  tags,
  public: true,
  request: { body: json(LoginCodeBody) },
  responses: { 202: { description: 'Accepted: a code is on its way if the address belongs to an official', ...json(LoginCodeSent) } },
  errors: [429, 503],
});
describe({
  method: 'post',
  path: '/auth/session',
  operationId: 'signIn',
  summary: 'Sign in with the code: sets the session cookie',
  label: '用验证码登录（设置会话 Cookie）',
  errors: [401, 429, 503],
  tags,
  public: true,
  request: { body: json(SessionBody) },
  responses: { 201: { description: 'Signed in', ...json(SessionView) } },
});
describe({ method: 'get', path: '/auth/session', operationId: 'getSession', summary: 'Who is signed in (the session, or the bearer token\'s official)', label: '当前登录人', tags, responses: { 200: { description: 'OK', ...json(SessionView) } } });
describe({
  method: 'delete',
  path: '/auth/session',
  operationId: 'signOut',
  summary: 'Sign out: revokes the session (400 for a bearer token)',
  label: '退出登录',
  tags,
  responses: { 200: { description: 'Signed out', ...json(SignedOut) } },
  errors: [400],
});

const officialWithUnit = (db: Db, id: string) => db.official.findUniqueOrThrow({ where: { id }, include: { unit: true } });

function sessionView(o: Awaited<ReturnType<typeof officialWithUnit>>, session?: { csrfToken: string; expiresAt: Date; method: string }): z.input<typeof SessionView> {
  return {
    official: {
      id: o.id,
      name: o.name,
      title: o.title,
      email: o.email,
      unitId: o.unitId,
      unitName: o.unit.name,
      unitKind: o.unit.kind,
      roles: o.roles,
      isAdmin: isAdmin({ officialId: o.id, name: o.name, unitId: o.unitId, roles: o.roles }),
      siteMasterOf: isSiteMasterOf(o, o.unit) ? o.unitId : null,
    },
    csrfToken: session?.csrfToken ?? null,
    expiresAt: session?.expiresAt.toISOString() ?? null,
    method: session?.method ?? 'bearer',
  };
}

/** Before authentication: asking for a code and exchanging it. */
export function authPublicRouter(db: Db, mailer: Mailer | undefined, consoleUrl: string): Router {
  const r = Router();
  // In-memory burst limit per address on top of the stored per-code and per-official limits.
  r.use(
    '/auth',
    rateLimit({
      windowMs: AUTH_LIMITS.windowMs,
      limit: 300,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      skip: (req) => req.method === 'GET',
      handler: (_req, _res, next) => next(new ApiError('RATE_LIMITED', '登录尝试过于频繁，请稍后再试')),
    }),
  );

  r.get('/auth/methods', (_req, res) => void res.json({ methods: LOGIN_METHODS }));

  // Sign-in attempts are audited even when they fail (bounded by the per-address limit, api/rateLimits.ts).
  r.post('/auth/code', auditSignIn, async (req, res) => {
    const body = LoginCodeBody.parse(req.body ?? {});
    await sendLoginCode(db, mailer, body.email, req.ip, consoleUrl);
    res.status(202).json({ sent: true, expiresInMinutes: AUTH_LIMITS.codeTtlMs / 60_000 });
  });

  r.post('/auth/session', auditSignIn, async (req, res) => {
    const body = SessionBody.parse(req.body ?? {});
    const o = await officialWithUnit(db, await verifyLoginCode(db, body.email, body.code));
    const session = await startSession(db, req, res, o.id, 'email-code');
    // The audit row of this request names who signed in.
    req.caller = { officialId: o.id, name: o.name, unitId: o.unitId, roles: o.roles, sessionId: session.id };
    res.status(201).json(sessionView(o, session));
  });

  return r;
}

/** After authentication: who am I, and signing out. */
export function authRouter(db: Db): Router {
  const r = Router();
  r.get('/auth/session', async (req, res) => {
    const c = caller(req);
    const session = c.sessionId ? await db.session.findUniqueOrThrow({ where: { id: c.sessionId } }) : undefined;
    res.json(sessionView(await officialWithUnit(db, c.officialId), session));
  });
  r.delete('/auth/session', async (req, res) => {
    const c = caller(req);
    if (!c.sessionId) throw new ApiError('VALIDATION_FAILED', '访问令牌无需退出登录');
    await endSession(db, req, res, c.sessionId);
    res.json({ signedOut: true });
  });
  return r;
}
