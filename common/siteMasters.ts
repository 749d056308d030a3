// 第十九条（三） 信息网站“站长”责任制: every platform has a 站长 — the city's and
// each district's: their reform office's full-time deputy director (专职副主任);
// a municipal department's: its leader in charge (分管负责人). Derived from the
// roles the organisation gives, so an import that moves the role moves the 站长.
import type { OrgUnit } from './org';

type Kind = OrgUnit['kind'];
type Role = 'DEPUTY_DIRECTOR' | 'LEADER_IN_CHARGE';

/** The units that run a platform, and the role whose holder is its 站长. */
export const SITE_MASTER_ROLE: Partial<Record<Kind, Role>> = {
  REFORM_OFFICE: 'DEPUTY_DIRECTOR',
  DISTRICT: 'DEPUTY_DIRECTOR',
  DEPARTMENT: 'LEADER_IN_CHARGE',
};

export const SITE_KINDS = Object.keys(SITE_MASTER_ROLE) as Kind[];

/** Whether an official of `official.unitId` holding `official.roles` is the 站长 of `unit`. */
export function isSiteMasterOf(official: { unitId: string; roles: readonly string[]; active?: boolean }, unit: { id: string; kind: Kind }): boolean {
  const role = SITE_MASTER_ROLE[unit.kind];
  return !!role && official.active !== false && official.unitId === unit.id && official.roles.includes(role);
}
