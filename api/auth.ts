// Authentication: every request belongs to an official, named by a bearer
// token (integrations, scripts) or by the console's session cookie
// (api/sessions.ts; writes then need the session's CSRF token).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Db } from '../common/db';
import { REFORM_OFFICE_ID } from '../common/org';
import { hashToken, tokenRefusal } from '../common/tokens';
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

/** The official a token belongs to; 401 with the reason if it is unknown, revoked or expired, or the official left. */
export async function callerForToken(db: Db, token: string): Promise<Caller> {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { official: true } });
  if (!row) throw new ApiError('UNAUTHORIZED', '访问令牌无效：系统中没有这个令牌');
  const refusal = tokenRefusal(row);
  if (refusal) throw new ApiError('UNAUTHORIZED', refusal);
  if (!row.official.active) throw new ApiError('UNAUTHORIZED', '账号已停用');
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
      confineIngest(req);
      return next();
    }
    req.caller = await callerForToken(db, token);
    confineIngest(req);
    next();
  };
}

/**
 * An integration with the INGEST role (the document exchange's webhook) may
 * register arriving documents and do nothing else, whatever else it holds:
 * its token, if it leaks, neither reads nor changes anything.
 */
function confineIngest(req: Request): void {
  if (req.caller?.roles.includes('INGEST') && !(req.method === 'POST' && /^\/documents\/?$/.test(req.path))) {
    throw new ApiError('FORBIDDEN', '接收令牌只能登记上级文件（POST /api/documents）');
  }
}

export function caller(req: Request): Caller {
  if (!req.caller) throw new ApiError('UNAUTHORIZED', '未认证');
  return req.caller;
}

/** Reform-office administrators see and may do everything. */
export function isAdmin(c: Caller): boolean {
  return c.roles.includes('ADMIN') && c.unitId === REFORM_OFFICE_ID && !c.roles.includes('INGEST');
}

/** Who may register an arriving superior document: an administrator or the document exchange (INGEST). */
export function mayRegisterDocuments(c: Caller): boolean {
  return isAdmin(c) || c.roles.includes('INGEST');
}

export function requireAdmin(c: Caller): void {
  if (!isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员可以执行此操作');
}
