import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';

/** Tokens are random 32-byte strings; only their SHA-256 is stored. */
export function newToken(): string {
  return `dbn_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Label of the token registered from DUBAN_ADMIN_TOKEN (prisma/seed.ts, scripts/bootstrap-admin.ts). */
export const BOOTSTRAP_TOKEN_LABEL = 'DUBAN_ADMIN_TOKEN';

/**
 * Registers DUBAN_ADMIN_TOKEN for an official, idempotently. A bootstrap token
 * registered before with another value is revoked: changing the variable
 * rotates the token.
 */
export async function registerBootstrapToken(db: Db, officialId: string, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await db.$transaction([
    db.apiToken.updateMany({ where: { label: BOOTSTRAP_TOKEN_LABEL, tokenHash: { not: tokenHash }, revokedAt: null }, data: { revokedAt: new Date() } }),
    db.apiToken.upsert({ where: { tokenHash }, create: { tokenHash, officialId, label: BOOTSTRAP_TOKEN_LABEL }, update: { officialId, revokedAt: null } }),
  ]);
}
