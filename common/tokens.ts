import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';

/** Tokens are random 32-byte strings; only their SHA-256 is stored. */
export function newToken(): string {
  return `dbn_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** How long a token is valid when its issuer does not say (TOKEN_LIFETIME_DAYS). */
export const TOKEN_LIFETIME_DAYS_DEFAULT = 90;
const DAY_MS = 24 * 3600_000;

export interface TokenState {
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Why a token is refused, in Chinese for the caller; undefined while it is valid. */
export function tokenRefusal(t: TokenState, now = new Date()): string | undefined {
  if (t.revokedAt) return `访问令牌已吊销（${t.revokedAt.toISOString()}）：请向市委改革办管理员申请新的令牌`;
  if (t.expiresAt <= now) return `访问令牌已于 ${t.expiresAt.toISOString()} 过期：请向市委改革办管理员申请新的令牌`;
  return undefined;
}

/** Issues a token valid for `days` from now; the clear token is returned once (only its hash is stored). */
export async function issueToken(db: Db, officialId: string, { label, days }: { label: string; days: number }) {
  const token = newToken();
  const createdAt = new Date();
  const row = await db.apiToken.create({ data: { tokenHash: hashToken(token), officialId, label, createdAt, expiresAt: new Date(createdAt.getTime() + days * DAY_MS) } });
  return { token, row };
}

/** Why DUBAN_ADMIN_TOKEN no longer works, for the operator (English); undefined while it does. */
export function bootstrapTokenProblem(t: TokenState, now = new Date()): string | undefined {
  if (t.revokedAt) return `DUBAN_ADMIN_TOKEN was revoked at ${t.revokedAt.toISOString()} and stays revoked`;
  if (t.expiresAt <= now) return `DUBAN_ADMIN_TOKEN expired at ${t.expiresAt.toISOString()} and stays expired`;
  return undefined;
}

/** Label of the token registered from DUBAN_ADMIN_TOKEN (prisma/seed.ts, scripts/bootstrap-admin.ts). */
export const BOOTSTRAP_TOKEN_LABEL = 'DUBAN_ADMIN_TOKEN';

/**
 * Registers DUBAN_ADMIN_TOKEN for an official, idempotently, valid for `days`
 * from its first registration. A bootstrap token registered before with another
 * value is revoked: changing the variable rotates the token. The same value
 * again changes nothing: a revoked or expired bootstrap token stays so (the
 * answer says which, for the caller to say how to get a new one).
 */
export async function registerBootstrapToken(db: Db, officialId: string, token: string, days: number): Promise<TokenState & { id: string }> {
  const tokenHash = hashToken(token);
  const createdAt = new Date();
  const [, row] = await db.$transaction([
    db.apiToken.updateMany({ where: { label: BOOTSTRAP_TOKEN_LABEL, tokenHash: { not: tokenHash }, revokedAt: null }, data: { revokedAt: new Date() } }),
    db.apiToken.upsert({
      where: { tokenHash },
      create: { tokenHash, officialId, label: BOOTSTRAP_TOKEN_LABEL, createdAt, expiresAt: new Date(createdAt.getTime() + days * DAY_MS) },
      update: { officialId },
    }),
  ]);
  return row;
}
