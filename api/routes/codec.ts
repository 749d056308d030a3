// The codec endpoint of the Temporal Web UI (Temporal's "codec server"
// pattern): the UI posts the payloads of a history to <endpoint>/decode and
// shows what comes back, so administrators read inputs, results and update
// arguments in the clear while Temporal itself stores only ciphertext.
//
// - Administrators only (reform-office ADMIN, as everywhere in duban): the
//   bearer token, or — for the browser, which cannot add a header the UI does
//   not know — an HttpOnly cookie set by /codec/login from the same token. The
//   UI sends it with TEMPORAL_CODEC_INCLUDE_CREDENTIALS=true; the cookie is
//   SameSite=Strict, so the UI must be served from the same site as the API.
// - CORS answers only the UI's origin (TEMPORAL_UI_URL); other origins are refused.
// - /encode is refused: a signal, update or start typed into the UI would skip
//   duban's validation and audit (and carry no workflow id to seal it for);
//   steps go through the API.
import express, { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AesGcmPayloadCodec } from '../../common/codec';
import type { Db } from '../../common/db';
import type { Payload } from '@temporalio/common';
import { auditSignIn, auditTrail } from '../audit';
import { bearerToken, callerForToken, isAdmin } from '../auth';
import { ApiError } from '../errors';
import { describe, ErrorBody } from '../openapi';

export const CODEC_COOKIE = 'duban_codec';
const COOKIE_MAX_AGE_S = 8 * 3600; // a working day
const tags = ['Temporal 界面解密'];

const Base64 = z.string().max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const JsonPayload = z.object({ metadata: z.record(z.string().max(200), Base64).optional(), data: Base64.optional() });
/** The body the Web UI posts (proto3 JSON of Payloads: bytes as base64). */
export const CodecBody = z.object({ payloads: z.array(JsonPayload).max(10_000) });
const LoginBody = z.object({ token: z.string().trim().min(1).max(500) });

describe({
  method: 'post',
  path: '/codec/decode',
  operationId: 'decodePayloads',
  summary: 'Temporal Web UI codec: decrypt the payloads of a workflow history (administrators)',
  label: 'Temporal 界面解密：解开工作流历史中的加密载荷（仅管理员）',
  tags,
  request: { body: { content: { 'application/json': { schema: CodecBody } } } },
  responses: {
    200: { description: 'The payloads in the clear (an undecryptable one as stored)', content: { 'application/json': { schema: CodecBody } } },
    404: { description: 'No payload keys are configured: workflow data is not encrypted, nothing to decode', content: { 'application/json': { schema: ErrorBody } } },
  },
  errors: [403],
});
describe({
  method: 'post',
  path: '/codec/encode',
  operationId: 'encodePayloads',
  summary: 'Temporal Web UI codec: encrypting is refused (steps go through this API)',
  label: 'Temporal 界面加密：不提供（请通过本系统接口办理）',
  tags,
  // Always refused: a signal, update or start typed into the UI would skip duban's validation and audit.
  responses: { 403: { description: 'Always: take steps through this API', content: { 'application/json': { schema: ErrorBody } } } },
});
describe({
  method: 'get',
  path: '/codec/login',
  operationId: 'codecLoginPage',
  summary: "Temporal Web UI codec: the sign-in page (an administrator pastes their token)",
  label: 'Temporal 界面解密登录页（管理员粘贴访问令牌）',
  tags,
  public: true,
  responses: { 200: { description: 'HTML form', content: { 'text/html': { schema: z.string() } } } },
});
describe({
  method: 'post',
  path: '/codec/login',
  operationId: 'codecLogin',
  summary: 'Temporal Web UI codec: sign in with an administrator token (sets the codec cookie)',
  label: 'Temporal 界面解密登录：以管理员令牌设置会话 Cookie',
  tags,
  public: true,
  request: { body: { content: { 'application/x-www-form-urlencoded': { schema: LoginBody } } } },
  responses: { 303: { description: 'Cookie set; on to the Temporal Web UI' } },
  errors: [401, 403, 503],
});
describe({
  method: 'post',
  path: '/codec/logout',
  operationId: 'codecLogout',
  summary: 'Temporal Web UI codec: sign out (clears the codec cookie)',
  label: 'Temporal 界面解密退出：清除会话 Cookie',
  tags,
  public: true,
  responses: { 204: { description: 'Cookie cleared' } },
});

const toPayload = (p: z.infer<typeof JsonPayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

function cookieToken(req: Request): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CODEC_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export interface CodecRouterDeps {
  db: Db;
  /** Undefined without DUBAN_PAYLOAD_KEYS: then there is nothing to decode. */
  codec?: AesGcmPayloadCodec;
  /** The Web UI's address (TEMPORAL_UI_URL): its origin is the only one CORS answers. */
  temporalUiUrl: string;
}

export function codecRouter({ db, codec, temporalUiUrl }: CodecRouterDeps): Router {
  const r = Router();
  const uiOrigin = new URL(temporalUiUrl).origin;
  // Secure cookies for an https UI (an https page may not call an http endpoint anyway).
  const secure = uiOrigin.startsWith('https:');

  // CORS: the UI's origin gets the headers it needs (credentials included); our own login form is
  // same-origin; any other origin is refused before anything else happens.
  const cors: RequestHandler = (req, res, next) => {
    const origin = req.header('origin');
    const ownOrigin = origin !== undefined && (() => { try { return new URL(origin).host === req.get('host'); } catch { return false; } })();
    if (origin !== undefined && origin !== uiOrigin && !ownOrigin) {
      if (req.method === 'OPTIONS') return void res.status(403).end();
      throw new ApiError('FORBIDDEN', '不允许从该来源访问解密接口');
    }
    if (origin === uiOrigin) {
      res.vary('Origin');
      res.set({ 'Access-Control-Allow-Origin': uiOrigin, 'Access-Control-Allow-Credentials': 'true' });
    }
    if (req.method === 'OPTIONS') {
      res.set({
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization, Authorization-Extras',
        'Access-Control-Max-Age': '600',
      });
      return void res.status(204).end();
    }
    next();
  };
  r.use(cors);

  // Administrators only; a missing or unknown token is 401, anyone else 403.
  const requireAdminCaller: RequestHandler = async (req, _res, next) => {
    const token = bearerToken(req) ?? cookieToken(req);
    if (!token) throw new ApiError('UNAUTHORIZED', '缺少访问令牌：请先在 /api/codec/login 以管理员令牌登录');
    const c = await callerForToken(db, token);
    req.caller = c;
    if (!isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员可以查看解密后的工作流数据');
    next();
  };

  r.post('/decode', requireAdminCaller, express.json({ limit: '16mb' }), async (req, res) => {
    if (!codec) throw new ApiError('NOT_FOUND', '未配置载荷密钥（DUBAN_PAYLOAD_KEYS）：工作流数据未加密，无需解密');
    const { payloads } = CodecBody.parse(req.body);
    let undecodable = 0;
    const out = await Promise.all(
      payloads.map(toPayload).map((p) =>
        codec.decodeForDisplay([p]).then(
          ([x]) => x,
          () => {
            undecodable++; // unknown key id or tampered: shown as stored, not as an error for the whole page
            return p;
          },
        ),
      ),
    );
    if (undecodable) req.log.warn({ undecodable, payloads: payloads.length, namespace: req.header('x-namespace') }, 'codec endpoint: payloads could not be decrypted');
    res.json({ payloads: out.map(toJson) });
  });

  r.post('/encode', requireAdminCaller, () => {
    throw new ApiError('FORBIDDEN', 'Temporal 界面不能代为发送信号、更新或启动工作流：请通过督办系统的接口办理');
  });

  r.get('/login', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Temporal 界面解密登录</title></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 4em auto">
<h1>Temporal 界面解密登录</h1>
<p>仅限市委改革办管理员。粘贴您的访问令牌后，浏览器在 ${COOKIE_MAX_AGE_S / 3600} 小时内可在 Temporal 界面（${uiOrigin}）中查看解密后的工作流数据。</p>
<form method="post" action="login">
<input type="password" name="token" autocomplete="off" required style="width: 100%" placeholder="dbn_…">
<p><button type="submit">登录</button></p>
</form>
</body></html>`);
  });

  // Logins are audited (who opened decrypted histories, and when); each decode is not.
  r.post('/login', auditTrail(db), auditSignIn, express.urlencoded({ extended: false, limit: '4kb' }), express.json({ limit: '4kb' }), async (req, res) => {
    const { token } = LoginBody.parse(req.body);
    const c = await callerForToken(db, token);
    req.caller = c;
    if (!isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员可以查看解密后的工作流数据');
    res.cookie(CODEC_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/api/codec', maxAge: COOKIE_MAX_AGE_S * 1000 });
    res.redirect(303, temporalUiUrl);
  });

  r.post('/logout', (_req, res) => {
    res.clearCookie(CODEC_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/api/codec' });
    res.status(204).end();
  });

  return r;
}
