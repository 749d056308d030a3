// Who a notice addresses: the active officials holding one of the roles, in a
// stable order (a notice lists its recipients, and a retry must list the same).
// Shared by every family's activities.
import type { Db } from '../common/db';
import type { Prisma } from '../generated/prisma/client';

export async function officialsWhere(db: Db, where: Prisma.OfficialWhereInput, roles: string[]): Promise<string[]> {
  const rows = await db.official.findMany({ where: { ...where, active: true, roles: { hasSome: roles as never } }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

/** The officials of these units with one of the roles (none for no units). */
export async function officialsOf(db: Db, unitIds: string[], roles: string[]): Promise<string[]> {
  return unitIds.length ? officialsWhere(db, { unitId: { in: unitIds } }, roles) : [];
}
