// Console sign-in without a shell: a one-time code mailed to the official's
// work address (the existing mailer; in development it lands in the mail sink),
// then a server-side session in PostgreSQL named by an httpOnly, SameSite=Strict
// cookie. Cookie-authenticated writes must echo the session's CSRF token in the
// X-CSRF-Token header. Bearer tokens (integrations) are unaffected.
//
// The seam for a 政务 single sign-on (OIDC): proving who someone is ends in
// `startSession(db, req, res, officialId, method)`. An OIDC provider replaces
// only the proof — an /api/auth/oidc/callback route that validates the ID token
// and maps its e-mail (or staff-number) claim to an Official — and calls the same
// function; sessions, cookies, CSRF and logout stay as they are. `LOGIN_METHODS`
// is what the console offers on its sign-in page.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../common/db';
import { hashToken } from '../common/tokens';
import type { Mailer } from '../activities/mailer';
import { ApiError } from './errors';

export const SESSION_COOKIE = 'duban_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Sign-in limits: guessing a 6-digit code is bounded per code, per official and per address. */
export const AUTH_LIMITS = {
  codeTtlMs: 10 * 60_000,
  /** Wrong guesses before a code is spent. */
  attemptsPerCode: 5,
  /** Codes one official may request in `windowMs`. */
  codesPerOfficial: 5,
  /** Codes requested from one address in `windowMs`, whoever they are for (an office behind one NAT address included). */
  codesPerIp: 100,
  windowMs: 15 * 60_000,
  /** A working day; the official signs in again after it. */
  sessionTtlMs: 12 * 3600_000,
};

export const LOGIN_METHODS = [{ id: 'email-code', label: '工作邮箱验证码' }] as const;

const codeHash = (officialId: string, code: string) => createHash('sha256').update(`duban-login:${officialId}:${code}`).digest('hex');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The value of one cookie of the request (no cookie-parser: one cookie is all we read). */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

function setCookie(req: Request, res: Response, value: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    // Behind TLS (or a proxy that says so) the cookie never travels in clear.
    secure: req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * Mails a fresh code to the official with this work address. The answer is the
 * same whether or not the address belongs to anyone (no address probing).
 */
export async function sendLoginCode(db: Db, mailer: Mailer | undefined, email: string, ip: string | undefined, consoleUrl: string): Promise<void> {
  const since = new Date(Date.now() - AUTH_LIMITS.windowMs);
  if (ip && (await db.loginCode.count({ where: { ip, createdAt: { gte: since } } })) >= AUTH_LIMITS.codesPerIp) {
    throw new ApiError('RATE_LIMITED', '验证码请求过于频繁，请稍后再试');
  }
  const official = await db.official.findFirst({ where: { email: { equals: normalEmail(email), mode: 'insensitive' }, active: true } });
  if (!official) return;
  if ((await db.loginCode.count({ where: { officialId: official.id, createdAt: { gte: since } } })) >= AUTH_LIMITS.codesPerOfficial) {
    throw new ApiError('RATE_LIMITED', '验证码请求过于频繁，请稍后再试');
  }
  if (!mailer) throw new ApiError('UNAVAILABLE', '邮件服务未配置，暂时无法发送验证码');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // A new code replaces the earlier ones.
  await db.loginCode.updateMany({ where: { officialId: official.id, usedAt: null }, data: { usedAt: new Date() } });
  const row = await db.loginCode.create({
    data: { officialId: official.id, codeHash: codeHash(official.id, code), expiresAt: new Date(Date.now() + AUTH_LIMITS.codeTtlMs), ip: ip ?? null },
  });
  await mailer.send({
    messageId: `<login-${row.id}@duban.local>`,
    to: official.email,
    subject: `【督办系统】登录验证码 ${code}`,
    text:
      `${official.name}同志：\n\n您的督办系统登录验证码为 ${code}，${AUTH_LIMITS.codeTtlMs / 60_000}分钟内有效，仅可使用一次。` +
      `如非本人操作，请忽略本邮件。\n\n督办系统：${consoleUrl}\n\n市委全面深化改革领导小组办公室`,
  });
}

/** Checks the code; a wrong guess counts against it. Returns the official's id. */
export async function verifyLoginCode(db: Db, email: string, code: string): Promise<string> {
  const refused = new ApiError('UNAUTHORIZED', '验证码错误或已失效，请重新获取');
  const official = await db.official.findFirst({ where: { email: { equals: normalEmail(email), mode: 'insensitive' }, active: true } });
  if (!official) throw refused;
  const row = await db.loginCode.findFirst({ where: { officialId: official.id, usedAt: null }, orderBy: { createdAt: 'desc' } });
  if (!row || row.expiresAt.getTime() < Date.now() || row.attempts >= AUTH_LIMITS.attemptsPerCode) throw refused;
  if (!sameText(row.codeHash, codeHash(official.id, code.trim()))) {
    // Counted atomically: parallel guesses cannot share one attempt.
    const spent = await db.loginCode.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
    const left = AUTH_LIMITS.attemptsPerCode - spent.attempts;
    if (left <= 0) await db.loginCode.update({ where: { id: row.id }, data: { usedAt: new Date() } });
    throw new ApiError('UNAUTHORIZED', left > 0 ? `验证码错误，还可尝试${left}次` : '验证码错误次数过多，已失效，请重新获取');
  }
  // Used once: a second request with the same code finds nothing.
  const { count } = await db.loginCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
  if (count !== 1) throw refused;
  return official.id;
}

/** Opens a session for an official whose identity was proven by `method`, and sets its cookie. */
export async function startSession(db: Db, req: Request, res: Response, officialId: string, method: string) {
  const token = randomBytes(32).toString('base64url');
  const session = await db.session.create({
    data: {
      tokenHash: hashToken(token),
      csrfToken: randomBytes(24).toString('base64url'),
      officialId,
      method,
      ip: req.ip ?? null,
      userAgent: req.header('user-agent')?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + AUTH_LIMITS.sessionTtlMs),
    },
  });
  setCookie(req, res, token, AUTH_LIMITS.sessionTtlMs);
  return session;
}

/** The live session named by the request's cookie, if any. */
export async function sessionOf(db: Db, req: Request) {
  const token = cookieValue(req, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await db.session.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!session || session.revokedAt || session.expiresAt.getTime() < Date.now()) return undefined;
  return session;
}

/** Writes through a cookie must carry the session's CSRF token (a forged cross-site form cannot read it). */
export function checkCsrf(req: Request, csrfToken: string): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return;
  const sent = req.header(CSRF_HEADER) ?? '';
  if (!sameText(sent, csrfToken)) throw new ApiError('FORBIDDEN', '缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试');
}

export async function endSession(db: Db, req: Request, res: Response, sessionId: string): Promise<void> {
  await db.session.update({ where: { id: sessionId }, data: { revokedAt: new Date() } });
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}
