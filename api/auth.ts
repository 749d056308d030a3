// Authentication: every request belongs to an official, named by a bearer
// token (integrations, scripts) or by the console's session cookie
// (api/sessions.ts; writes then need the session's CSRF token).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../common/db';
import { REFORM_OFFICE_ID } from '../common/org';
import { hashToken } from '../common/tokens';
import type { Role } from '../generated/prisma/client';
import { ApiError } from './errors';
import { checkCsrf, sessionOf } from './sessions';

export interface Caller {
  officialId: string;
  name: string;
  unitId: string;
  roles: Role[];
  /** Set when the caller came through a console session rather than a bearer token. */
  sessionId?: string;
}

declare global {
  namespace Express {
    interface Request {
      caller?: Caller;
    }
  }
}

/** The official a token belongs to; undefined if it is unknown or revoked, or the official left. */
export async function callerForToken(db: Db, token: string): Promise<Caller | undefined> {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { official: true } });
  if (!row || row.revokedAt || !row.official.active) return undefined;
  return { officialId: row.official.id, name: row.official.name, unitId: row.official.unitId, roles: row.official.roles };
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

export function authenticate(db: Db): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) {
      const session = req.header('authorization') ? undefined : await sessionOf(db, req);
      if (!session) throw new ApiError('UNAUTHORIZED', '未登录或登录已过期（或缺少访问令牌 Authorization: Bearer <token>）');
      const official = await db.official.findUnique({ where: { id: session.officialId } });
      if (!official?.active) throw new ApiError('UNAUTHORIZED', '账号已停用');
      req.caller = { officialId: official.id, name: official.name, unitId: official.unitId, roles: official.roles, sessionId: session.id };
      checkCsrf(req, session.csrfToken);
      return next();
    }
    const c = await callerForToken(db, token);
    if (!c) throw new ApiError('UNAUTHORIZED', '访问令牌无效或已吊销');
    req.caller = c;
    next();
  };
}

export function caller(req: Request): Caller {
  if (!req.caller) throw new ApiError('UNAUTHORIZED', '未认证');
  return req.caller;
}

/** Reform-office administrators see and may do everything. */
export function isAdmin(c: Caller): boolean {
  return c.roles.includes('ADMIN') && c.unitId === REFORM_OFFICE_ID;
}

export function requireAdmin(c: Caller): void {
  if (!isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员可以执行此操作');
}
