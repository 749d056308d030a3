// The policy a new workflow runs under: the newest stored version for its
// scope (第二十一条: a district may adopt its own), else the city's, else the
// 运行规则 defaults.
import type { Db } from '../db';
import { defaultPolicy, Policy } from './index';

export async function resolvePolicy(db: Db, scope = 'city'): Promise<Policy> {
  for (const s of scope === 'city' ? ['city'] : [scope, 'city']) {
    const row = await db.policyVersion.findFirst({ where: { scope: s }, orderBy: { createdAt: 'desc' } });
    // Sections added to the policy after a version was stored take their defaults.
    if (row) return Policy.parse({ ...defaultPolicy, ...(row.body as object) });
  }
  return defaultPolicy;
}
