/**
 * Registers the bootstrap administrator's token in a real deployment, after
 * the organisation import: DUBAN_ADMIN_TOKEN (stored hashed) for the official
 * DUBAN_ADMIN_OFFICIAL_ID, who must be an active ADMIN of the reform office.
 * Idempotent; a different DUBAN_ADMIN_TOKEN than last time revokes the old one.
 * The token expires TOKEN_LIFETIME_DAYS after its first registration; a revoked
 * or expired one stays so (it says so, and how to get a new one, and exits 0:
 * the system starts without it).
 * (Development seeds the demo organisation and does the same for ro-director.)
 *
 *   DUBAN_ADMIN_TOKEN=… DUBAN_ADMIN_OFFICIAL_ID=… npm run bootstrap-admin
 * Exit code: 0 registered, 1 not (the reason is printed).
 */
import { isAdmin } from '../api/auth';
import { createDb } from '../common/db';
import { REFORM_OFFICE_ID } from '../common/org';
import { bootstrapTokenProblem, registerBootstrapToken } from '../common/tokens';
import { scriptConfig } from './localEnv';

async function main(): Promise<number> {
  const config = scriptConfig();
  const token = config.DUBAN_ADMIN_TOKEN;
  const officialId = config.DUBAN_ADMIN_OFFICIAL_ID;
  if (!token || !officialId) {
    console.error('set DUBAN_ADMIN_TOKEN (at least 32 characters, e.g. openssl rand -base64 32) and DUBAN_ADMIN_OFFICIAL_ID (an administrator from the organisation import)');
    return 1;
  }
  const db = createDb(config.DATABASE_URL, 1);
  try {
    const o = await db.official.findUnique({ where: { id: officialId } });
    if (!o) {
      console.error(`DUBAN_ADMIN_OFFICIAL_ID=${officialId}: no such official — import the organisation first (npm run import:org)`);
      return 1;
    }
    if (!o.active || !isAdmin({ officialId: o.id, name: o.name, unitId: o.unitId, roles: o.roles })) {
      console.error(`DUBAN_ADMIN_OFFICIAL_ID=${officialId} (${o.name}) is not an active administrator: give them the ADMIN role in unit "${REFORM_OFFICE_ID}" in the organisation file`);
      return 1;
    }
    const row = await registerBootstrapToken(db, o.id, token, config.TOKEN_LIFETIME_DAYS);
    const problem = bootstrapTokenProblem(row);
    if (problem) {
      console.log(`WARNING: ${problem}; for a new one give it a new value (openssl rand -base64 32) and run this again`);
      return 0;
    }
    console.log(`DUBAN_ADMIN_TOKEN registered for ${o.id} (${o.name}), valid until ${row.expiresAt.toISOString()}`);
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
