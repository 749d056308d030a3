// 第二十一条: each district and department may adopt its own implementing
// rules. A workflow receives, with its input, the city's policy and the own
// version of every unit that has one (resolved by the API or activity that
// starts it, never read inside workflow code); each duty then runs under the
// policy of the unit that owes it. Pure, deterministic: workflow code uses it.
import type { Policy } from './index';

/** The newest own version of each unit that adopted one, by unit id (units without one are absent). */
export type UnitPolicies = Readonly<Record<string, Policy>>;

/** What a workflow's input carries about policy. `unitPolicies` is absent in inputs from before 第二十一条 ran. */
export interface ScopedPolicies {
  policy: Policy;
  unitPolicies?: UnitPolicies;
}

/** The policy a duty owed by `unitId` runs under: the unit's own version, else the workflow's (city) policy. */
export function unitPolicy(input: ScopedPolicies, unitId: string | undefined): Policy {
  return (unitId !== undefined && Object.hasOwn(input.unitPolicies ?? {}, unitId) ? input.unitPolicies![unitId] : undefined) ?? input.policy;
}

/** The own versions of `unitIds` only (what a child workflow about those units needs). */
export function pickUnitPolicies(all: UnitPolicies | undefined, unitIds: readonly string[]): UnitPolicies {
  const out: Record<string, Policy> = {};
  for (const id of unitIds) if (all && Object.hasOwn(all, id)) out[id] = all[id];
  return out;
}
