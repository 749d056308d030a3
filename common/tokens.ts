import { createHash, randomBytes } from 'node:crypto';

/** Tokens are random 32-byte strings; only their SHA-256 is stored. */
export function newToken(): string {
  return `dbn_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
