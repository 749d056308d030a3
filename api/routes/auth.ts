// Signing in to the console (api/sessions.ts): request a code by e-mail,
// exchange it for a session cookie, read the session, sign out.
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Mailer } from '../../activities/mailer';
import type { Db } from '../../common/db';
import { caller, isAdmin } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { AuthMethods, LoginCodeBody, SessionBody, SessionView } from '../schemas/console';
import { AUTH_LIMITS, endSession, LOGIN_METHODS, sendLoginCode, startSession, verifyLoginCode } from '../sessions';

const tags = ['登录'];
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

describe({ method: 'get', path: '/auth/methods', summary: '可用的登录方式', tags, public: true, responses: { 200: { description: 'OK', ...json(AuthMethods) } } });
describe({ method: 'post', path: '/auth/code', summary: '向工作邮箱发送一次性登录验证码', tags, public: true, request: { body: json(LoginCodeBody) } });
describe({
  method: 'post',
  path: '/auth/session',
  summary: '用验证码登录（设置会话 Cookie）',
  tags,
  public: true,
  request: { body: json(SessionBody) },
  responses: { 201: { description: '已登录', ...json(SessionView) } },
});
describe({ method: 'get', path: '/auth/session', summary: '当前登录人', tags, responses: { 200: { description: 'OK', ...json(SessionView) } } });
describe({ method: 'delete', path: '/auth/session', summary: '退出登录', tags });

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

  r.post('/auth/code', async (req, res) => {
    const body = LoginCodeBody.parse(req.body ?? {});
    await sendLoginCode(db, mailer, body.email, req.ip, consoleUrl);
    res.status(202).json({ sent: true, expiresInMinutes: AUTH_LIMITS.codeTtlMs / 60_000 });
  });

  r.post('/auth/session', async (req, res) => {
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
