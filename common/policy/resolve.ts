// The policy a new workflow runs under: the newest stored version for its
// scope (第二十一条: a district or department may adopt its own), else the
// city's, else the 运行规则 defaults.
import type { Db } from '../db';
import { defaultPolicy, Policy } from './index';
import type { ScopedPolicies, UnitPolicies } from './scope';

// Sections added to the policy after a version was stored take their defaults.
/** A stored version as the current schema reads it (sections added since default to the defaults). */
export const parseStoredPolicy = (body: unknown): Policy => Policy.parse({ ...defaultPolicy, ...(body as object) });

export async function resolvePolicy(db: Db, scope = 'city'): Promise<Policy> {
  for (const s of scope === 'city' ? ['city'] : [scope, 'city']) {
    const row = await db.policyVersion.findFirst({ where: { scope: s }, orderBy: { createdAt: 'desc' } });
    if (row) return parseStoredPolicy(row.body);
  }
  return defaultPolicy;
}

/**
 * What a workflow starts with: the city's policy and the newest own version of
 * every unit that adopted one. Each duty then runs under the policy of the unit
 * that owes it (`unitPolicy`, common/policy/scope.ts).
 */
export async function resolvePolicies(db: Db): Promise<Required<ScopedPolicies>> {
  const rows = await db.policyVersion.findMany({
    where: { scope: { not: 'city' } },
    distinct: ['scope'],
    orderBy: [{ scope: 'asc' }, { createdAt: 'desc' }, { id: 'desc' }],
  });
  const unitPolicies: UnitPolicies = Object.fromEntries(rows.map((r) => [r.scope, parseStoredPolicy(r.body)]));
  return { policy: await resolvePolicy(db), unitPolicies };
}
