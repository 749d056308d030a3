// Idempotent seed of the demo organisation (development and tests only; a
// real deployment imports its own with npm run import:org) and, when
// DUBAN_ADMIN_TOKEN is set, the administrator's bearer token (stored hashed).
import { createDb, type Db } from '../common/db';
import { registerBootstrapToken } from '../common/tokens';
import { buildSeed } from './seed-data';

export const ADMIN_OFFICIAL_ID = 'ro-director';

export async function seed(db: Db, adminToken?: string): Promise<{ units: number; officials: number }> {
  const { units, officials } = buildSeed();
  // Parents first: townships reference their district.
  for (const u of [...units].sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId))) {
    await db.unit.upsert({ where: { id: u.id }, create: u, update: { name: u.name, kind: u.kind, parentId: u.parentId ?? null } });
  }
  for (const o of officials) {
    await db.official.upsert({ where: { id: o.id }, create: o, update: { name: o.name, email: o.email, unitId: o.unitId, roles: o.roles, title: o.title } });
  }
  if (adminToken) await registerBootstrapToken(db, ADMIN_OFFICIAL_ID, adminToken);
  return { units: units.length, officials: officials.length };
}

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const db = createDb(url, 2);
  seed(db, process.env.DUBAN_ADMIN_TOKEN)
    .then((n) => console.log(`seeded ${n.units} units and ${n.officials} officials`))
    .finally(() => db.$disconnect())
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
