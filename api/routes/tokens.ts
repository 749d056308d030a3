// Officials' bearer tokens for integrations, managed from the console (what
// `npm run token` does from a shell) by the reform office's administrators, and
// by a unit's 站长 for that unit's officials (第十九条（三）: the 站长 answers
// for the platform's access).
// A token is shown once; only its SHA-256 is stored. Every token expires.
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../common/db';
import { issueToken } from '../../common/tokens';
import { isSiteMasterOf } from '../../common/siteMasters';
import { caller, isAdmin, type Caller } from '../auth';
import { ApiError } from '../errors';
import { describe } from '../openapi';
import { TokenBody, TokenIssued, Tokens } from '../schemas/console';
import { answers } from '../schemas/views';

const tags = ['管理'];
const OfficialParams = z.object({ officialId: z.string().min(1).max(100) });
const TokenParams = z.object({ tokenId: z.string().min(1).max(100) });

describe({ method: 'get', path: '/admin/officials/:officialId/tokens', operationId: 'listTokens', summary: "An official's API tokens, without the tokens themselves (administrators; the 站长 of the official's unit)", errors: [403], label: '查看某人的访问令牌（不含令牌本身）', tags, request: { params: OfficialParams }, responses: answers(Tokens) });
describe({
  method: 'post',
  path: '/admin/officials/:officialId/tokens',
  operationId: 'issueToken',
  summary: "Issue an API token for an official, valid for `days` (default TOKEN_LIFETIME_DAYS): shown once (administrators; the 站长 of the official's unit)",
  errors: [403, 409],
  label: '为某人签发访问令牌（仅显示一次）',
  tags,
  request: { params: OfficialParams, body: { content: { 'application/json': { schema: TokenBody } } } },
  responses: answers(TokenIssued, 201),
});
describe({ method: 'post', path: '/admin/tokens/:tokenId/revoke', operationId: 'revokeToken', summary: "Revoke an API token (administrators; the 站长 of its official's unit)", errors: [403], label: '吊销访问令牌', tags, request: { params: TokenParams }, responses: answers(Tokens.shape.items.element) });

const view = (t: { id: string; officialId: string; label: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null }) => ({
  id: t.id,
  officialId: t.officialId,
  label: t.label,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt.toISOString(),
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** `lifetimeDays`: a token's lifetime when the request names none (TOKEN_LIFETIME_DAYS). */
export function tokensRouter(db: Db, lifetimeDays: number): Router {
  const r = Router();

  /** The official, when the caller may manage their tokens. */
  async function official(c: Caller, id: string) {
    const o = await db.official.findUnique({ where: { id }, include: { unit: true } });
    // Whom the caller may not manage stays unknown to them, as one who does not exist.
    if (!o && !isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员或本单位站长可以管理访问令牌');
    if (!o) throw new ApiError('NOT_FOUND', `人员 ${id} 不存在`);
    if (!isAdmin(c) && !isSiteMasterOf(c, o.unit)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员或本单位站长可以管理访问令牌');
    return o;
  }

  r.get('/admin/officials/:officialId/tokens', async (req, res) => {
    const { officialId } = OfficialParams.parse(req.params);
    await official(caller(req), officialId);
    const rows = await db.apiToken.findMany({ where: { officialId }, orderBy: { createdAt: 'desc' } });
    res.json({ items: rows.map(view) });
  });

  r.post('/admin/officials/:officialId/tokens', async (req, res) => {
    const { officialId } = OfficialParams.parse(req.params);
    const body = TokenBody.parse(req.body ?? {});
    const o = await official(caller(req), officialId);
    if (!o.active) throw new ApiError('CONFLICT', '该人员已停用，不能签发令牌');
    const { token, row } = await issueToken(db, officialId, { label: body.label, days: body.days ?? lifetimeDays });
    res.status(201).json({ id: row.id, officialId, label: row.label, expiresAt: row.expiresAt.toISOString(), token });
  });

  r.post('/admin/tokens/:tokenId/revoke', async (req, res) => {
    const c = caller(req);
    const { tokenId } = TokenParams.parse(req.params);
    const row = await db.apiToken.findUnique({ where: { id: tokenId } });
    if (!row && !isAdmin(c)) throw new ApiError('FORBIDDEN', '仅市委改革办管理员或本单位站长可以管理访问令牌');
    if (!row) throw new ApiError('NOT_FOUND', '令牌不存在');
    await official(c, row.officialId);
    // Revoking twice keeps the first time.
    const done = row.revokedAt ? row : await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    res.json(view(done));
  });

  return r;
}
