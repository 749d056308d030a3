// Idempotent seed of the demo organisation (development and tests only; a
// real deployment imports its own with npm run import:org) and, when
// DUBAN_ADMIN_TOKEN is set, the administrator's bearer token (stored hashed).
import { loadConfig } from '../common/config';
import { createDb, type Db } from '../common/db';
import { bootstrapTokenProblem, registerBootstrapToken, TOKEN_LIFETIME_DAYS_DEFAULT, type TokenState } from '../common/tokens';
import { buildSeed } from './seed-data';

export const ADMIN_OFFICIAL_ID = 'ro-director';

export interface Seeded {
  units: number;
  officials: number;
  /** DUBAN_ADMIN_TOKEN's row, when one was given (it may be revoked or expired: the seed leaves it so). */
  bootstrap?: TokenState;
}

export async function seed(db: Db, adminToken?: string, tokenLifetimeDays = TOKEN_LIFETIME_DAYS_DEFAULT): Promise<Seeded> {
  const { units, officials } = buildSeed();
  // Parents first: townships reference their district.
  for (const u of [...units].sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId))) {
    await db.unit.upsert({ where: { id: u.id }, create: u, update: { name: u.name, kind: u.kind, parentId: u.parentId ?? null } });
  }
  for (const o of officials) {
    await db.official.upsert({ where: { id: o.id }, create: o, update: { name: o.name, email: o.email, unitId: o.unitId, roles: o.roles, title: o.title } });
  }
  const bootstrap = adminToken ? await registerBootstrapToken(db, ADMIN_OFFICIAL_ID, adminToken, tokenLifetimeDays) : undefined;
  return { units: units.length, officials: officials.length, bootstrap };
}

if (require.main === module) {
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL, 2);
  seed(db, config.DUBAN_ADMIN_TOKEN, config.TOKEN_LIFETIME_DAYS)
    .then((n) => {
      console.log(`seeded ${n.units} units and ${n.officials} officials`);
      const problem = n.bootstrap && bootstrapTokenProblem(n.bootstrap);
      if (problem) {
        console.log(
          `WARNING: ${problem}. For a new administrator token: npm run token -- ${ADMIN_OFFICIAL_ID}` +
            ' (beside npm start), or give DUBAN_ADMIN_TOKEN a new value (in development: delete .data/admin-token and restart npm start).',
        );
      }
    })
    .finally(() => db.$disconnect())
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
