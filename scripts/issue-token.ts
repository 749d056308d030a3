/**
 * Officials' bearer tokens from a shell (what 管理 → 访问令牌 does in the console).
 *   npm run token -- <officialId> [label] [--days N]   issue one (printed once on stdout; stored hashed);
 *                                                      valid N days (default TOKEN_LIFETIME_DAYS, 90)
 *   npm run token -- --list <officialId>               an official's tokens (id, state, expiry; not the tokens)
 *   npm run token -- --revoke <tokenId | id prefix | token>
 *   npm run token -- --list-officials [unitId]
 * Beside a running npm start it finds npm start's database (scripts/localEnv.ts).
 * Exit code: 0 done, 1 not (the reason is printed).
 */
import { createDb, type Db } from '../common/db';
import { hashToken, issueToken, tokenRefusal } from '../common/tokens';
import { scriptConfig } from './localEnv';

const USAGE =
  'usage: npm run token -- <officialId> [label] [--days N] | --list <officialId> | --revoke <tokenId, id prefix or token> | --list-officials [unitId]';

/** The value after `--name` (removed from args), or undefined. */
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
}

async function listTokens(db: Db, officialId: string): Promise<number> {
  const rows = await db.apiToken.findMany({ where: { officialId }, orderBy: { createdAt: 'desc' } });
  if (rows.length === 0) console.error(`no tokens for ${officialId}`);
  for (const t of rows) {
    const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : tokenRefusal(t) ? 'expired' : 'valid';
    console.log(`${t.id}  ${state.padEnd(32)} expires ${t.expiresAt.toISOString()}  created ${t.createdAt.toISOString()}  ${t.label}`);
  }
  return 0;
}

async function revoke(db: Db, which: string): Promise<number> {
  // A token in hand (e.g. one that leaked) is found by its hash; an id, or the start of one, by the id.
  const rows = await db.apiToken.findMany({ where: { OR: [{ id: { startsWith: which } }, { tokenHash: hashToken(which) }] }, take: 10 });
  if (rows.length !== 1) {
    console.error(rows.length === 0 ? `no token ${which} (see --list <officialId>)` : `"${which}" matches ${rows.length === 10 ? '10 or more' : rows.length} tokens (${rows.map((r) => r.id).join(', ')}): give more of the id`);
    return 1;
  }
  const [row] = rows;
  // Revoking twice keeps the first time.
  const done = row.revokedAt ? row : await db.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
  console.log(`revoked ${done.id} of ${done.officialId} (${done.label}) at ${done.revokedAt?.toISOString()}`);
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const days = option(args, '--days');
  const listOf = option(args, '--list');
  const revokeId = option(args, '--revoke');
  if (days !== undefined && !(/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 3650)) {
    console.error(`--days ${days}: a whole number of days from 1 to 3650, e.g. --days 30`);
    return 1;
  }
  const config = scriptConfig();
  const db = createDb(config.DATABASE_URL, 1);
  try {
    if (listOf) return await listTokens(db, listOf);
    if (revokeId) return await revoke(db, revokeId);
    const [arg, label] = args;
    if (!arg) {
      console.error(USAGE);
      return 1;
    }
    if (arg === '--list-officials') {
      const rows = await db.official.findMany({ where: label ? { unitId: label } : {}, orderBy: { id: 'asc' }, include: { unit: true } });
      for (const o of rows) console.log(`${o.id.padEnd(36)} ${o.name}\t${o.unit.name}\t${o.roles.join(',')}`);
      return 0;
    }
    const official = await db.official.findUnique({ where: { id: arg } });
    if (!official) {
      console.error(`no official ${arg} (see --list-officials)`);
      return 1;
    }
    if (!official.active) {
      console.error(`${arg} (${official.name}) is no longer active: no token`);
      return 1;
    }
    const { token, row } = await issueToken(db, official.id, { label: label ?? 'issued by npm run token', days: days ? Number(days) : config.TOKEN_LIFETIME_DAYS });
    // Only the token on stdout, so `TOKEN=$(npm run --silent token -- …)` works.
    console.error(`token ${row.id} for ${official.id} (${official.name}), valid until ${row.expiresAt.toISOString()}; revoke with npm run token -- --revoke ${row.id}`);
    console.log(token);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
