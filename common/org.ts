// Well-known unit ids of the organisation (see prisma/seed-data.ts).
export const REFORM_OFFICE_ID = 'reform-office'; // 市委改革办
export const LEADERSHIP_ID = 'leading-group'; // 市委全面深化改革领导小组 and city leaders
export const PROPAGANDA_ID = 'dept-propaganda'; // 市委宣传部 (一月一宣传)

/** Chinese names of roles and unit kinds, as organisation files write them (scripts/import-org.ts). */
export const ROLE_LABELS = {
  ADMIN: ['管理员', '系统管理员'],
  DIRECTOR: ['主任'],
  DEPUTY_DIRECTOR: ['专职副主任', '副主任'],
  HEAD: ['主要负责人', '负责人'],
  LEADER_IN_CHARGE: ['分管领导'],
  LIAISON: ['联络员'],
  DRAFTER: ['起草人'],
  INSPECTOR: ['督查组成员', '督查员'],
  CITY_LEADER: ['市领导'],
  INGEST: ['公文交换接口', '文件接收接口'],
} as const;

export const UNIT_KIND_LABELS = {
  REFORM_OFFICE: ['改革办', '市委改革办'],
  LEADERSHIP: ['领导小组', '深改组', '市委深改组'],
  SPECIAL_GROUP: ['专项小组'],
  DISTRICT: ['区县'],
  DEPARTMENT: ['市直部门', '部门'],
  TOWNSHIP: ['镇办', '镇街', '乡镇'],
} as const;

/** A unit as the organisation tree places it (pure: callers load the rows). */
export interface OrgUnit {
  id: string;
  name: string;
  kind: keyof typeof UNIT_KIND_LABELS;
  parentId: string | null;
}

/**
 * The district a unit belongs to, walking up its parents (the district itself for a district);
 * undefined for a city-level unit. An import refuses parent loops; the walk stops at one anyway.
 */
export function districtOf(unit: OrgUnit, byId: ReadonlyMap<string, OrgUnit>): string | undefined {
  const seen = new Set<string>();
  for (let u: OrgUnit | undefined = unit; u && !seen.has(u.id); u = u.parentId ? byId.get(u.parentId) : undefined) {
    if (u.kind === 'DISTRICT') return u.id;
    seen.add(u.id);
  }
  return undefined;
}

/**
 * 第七条, 第十六条（三）: a special group under a district is that district's own (区县专项小组), not one
 * of the city's (市专项小组): only the city's are dispatched, ranked and vote as special groups.
 */
export function isCitySpecialGroup(unit: OrgUnit, byId: ReadonlyMap<string, OrgUnit>): boolean {
  return unit.kind === 'SPECIAL_GROUP' && districtOf(unit, byId) === undefined;
}
