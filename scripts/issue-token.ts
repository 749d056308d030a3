/**
 * Issues a bearer token for an official (stored hashed; printed once).
 *   npx tsx scripts/issue-token.ts <officialId> [label]
 *   npx tsx scripts/issue-token.ts --list-officials [unitId]
 */
import { loadConfig } from '../common/config';
import { createDb } from '../common/db';
import { hashToken, newToken } from '../common/tokens';

async function main(): Promise<number> {
  const [arg, label] = process.argv.slice(2);
  if (!arg) {
    console.error('usage: tsx scripts/issue-token.ts <officialId> [label] | --list-officials [unitId]');
    return 1;
  }
  const db = createDb(loadConfig().DATABASE_URL, 1);
  try {
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
    const token = newToken();
    await db.apiToken.create({ data: { tokenHash: hashToken(token), officialId: official.id, label: label ?? 'issued by scripts/issue-token.ts' } });
    console.log(token);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
