// 第七条 督查范围: the month's cycle dispatches to and ranks the districts and the
// city's special groups (第六条（一）–（三）); its inspections may also reach, below
// an inspected district, that district's townships (镇办) and its own special
// groups (区县专项小组), whose signed issues count toward the district. 第十条（二）:
// the city departments carrying reform tasks are dispatched, inspected and
// ranked too, on their own. Pure.
import { districtOf, isCitySpecialGroup, type OrgUnit } from '../../common/org';
import type { CycleUnit } from './state';

export type SubunitKind = 'TOWNSHIP' | 'DISTRICT_SPECIAL_GROUP';

/** A unit below a district that the district's inspection may reach (第七条). */
export interface Subunit {
  id: string;
  name: string;
  kind: SubunitKind;
  districtId: string;
}

/**
 * The ranked units and, below the districts, the subunits, from the organisation's rows; ordered by id.
 * `departments`: the ids of the departments carrying reform tasks this month (第十条（二）), ranked on their own.
 */
export function cycleScope(org: OrgUnit[], departments: ReadonlySet<string> = new Set()): { units: CycleUnit[]; subunits: Subunit[] } {
  const byId = new Map(org.map((u) => [u.id, u]));
  const sorted = [...org].sort((a, b) => a.id.localeCompare(b.id));
  const units: CycleUnit[] = [];
  const subunits: Subunit[] = [];
  for (const u of sorted) {
    if (u.kind === 'DISTRICT' || isCitySpecialGroup(u, byId)) {
      units.push({ id: u.id, name: u.name, kind: u.kind === 'DISTRICT' ? 'DISTRICT' : 'SPECIAL_GROUP' });
      continue;
    }
    if (u.kind === 'DEPARTMENT' && departments.has(u.id)) {
      units.push({ id: u.id, name: u.name, kind: 'DEPARTMENT' });
      continue;
    }
    const districtId = u.kind === 'TOWNSHIP' || u.kind === 'SPECIAL_GROUP' ? districtOf(u, byId) : undefined;
    if (districtId) subunits.push({ id: u.id, name: u.name, kind: u.kind === 'TOWNSHIP' ? 'TOWNSHIP' : 'DISTRICT_SPECIAL_GROUP', districtId });
  }
  return { units, subunits };
}

/** The ranked unit an inspection of `unitId` counts toward: the unit itself, or the district above a subunit. */
export function accountableUnit(unitId: string, subunits: readonly Subunit[]): string {
  return subunits.find((x) => x.id === unitId)?.districtId ?? unitId;
}
