// The overdue board: every OPEN obligation of every family that is past its
// deadline or falls due within N days, with the responsible unit and official,
// its subject (api/families) and its traffic light. Obligations are written by
// the families' activities (CONTRIBUTING: "Open obligations with due dates go
// to the Obligation table").
import type { Db } from '../../common/db';
import type { Policy } from '../../common/policy';
import { trafficLight } from '../../common/trafficLight';
import { familyOf, subjectsOf } from '../families';

export interface OverdueItem {
  obligationId: string;
  key: string;
  workflowId: string;
  family: string;
  familyTitle?: string;
  subjectId: string;
  subject?: { title: string; reference: string };
  title: string;
  rule: string;
  unit: { id: string; name: string };
  /** The named responsible official; without one, the unit's liaison (联络员), who receives its notices. */
  official: { id: string; name: string; title?: string; email: string; byDefault?: boolean } | null;
  dueAt: string;
  light: 'GREEN' | 'YELLOW' | 'RED';
  overdue: boolean;
  /** Whole days past due (positive) or left (negative), by the clock of `now`. */
  daysOverdue: number;
}

const DAY = 24 * 3600 * 1000;

export async function overdueBoard(
  db: Db,
  policy: Policy,
  opts: { withinDays: number; unitId?: string; family?: string; now: Date },
): Promise<{ now: string; withinDays: number; items: OverdueItem[]; counts: { red: number; yellow: number; green: number } }> {
  const { now } = opts;
  const horizon = new Date(now.getTime() + opts.withinDays * DAY);
  const rows = await db.obligation.findMany({
    where: {
      status: 'OPEN',
      dueAt: { lte: horizon },
      ...(opts.unitId ? { unitId: opts.unitId } : {}),
      ...(opts.family ? { family: opts.family } : {}),
    },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    take: 2000,
  });
  const [units, officials, subjects] = await Promise.all([
    db.unit.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.unitId))] } }, select: { id: true, name: true } }),
    db.official.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.officialId).filter((x): x is string => !!x))] } },
      select: { id: true, name: true, title: true, email: true },
    }),
    subjectsOf(db, rows.map((r) => r.workflowId)),
  ]);
  // Obligations without a named official fall to the unit's liaison, as its notices do (activities/document.ts).
  const unnamed = [...new Set(rows.filter((r) => !r.officialId).map((r) => r.unitId))];
  const liaisons = unnamed.length
    ? await db.official.findMany({
        where: { unitId: { in: unnamed }, active: true, roles: { has: 'LIAISON' } },
        orderBy: { id: 'asc' },
        select: { id: true, name: true, title: true, email: true, unitId: true },
      })
    : [];
  const liaisonOf = new Map<string, (typeof liaisons)[number]>();
  for (const l of liaisons) if (!liaisonOf.has(l.unitId)) liaisonOf.set(l.unitId, l);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const official = new Map(officials.map((o) => [o.id, o]));
  // Each family's own warning window (第二十一条: policy, not constants).
  const windowFor = (family: string) => familyOf(undefined, family)?.warningWindow(policy) ?? policy.document.warningWindow;
  const items = rows.map((r): OverdueItem => {
    const o = r.officialId ? official.get(r.officialId) : undefined;
    const fallback = !r.officialId ? liaisonOf.get(r.unitId) : undefined;
    const subject = subjects.get(r.workflowId);
    return {
      obligationId: r.id,
      key: r.key,
      workflowId: r.workflowId,
      family: r.family,
      familyTitle: familyOf(undefined, r.family)?.title,
      subjectId: r.subjectId,
      subject: subject && { title: subject.title, reference: subject.reference },
      title: r.title,
      rule: r.rule,
      unit: { id: r.unitId, name: unitName.get(r.unitId) ?? r.unitId },
      official: o
        ? { id: o.id, name: o.name, title: o.title ?? undefined, email: o.email }
        : fallback
          ? { id: fallback.id, name: fallback.name, title: fallback.title ?? undefined, email: fallback.email, byDefault: true }
          : null,
      dueAt: r.dueAt.toISOString(),
      light: trafficLight(r.dueAt, now, windowFor(r.family)),
      overdue: r.dueAt.getTime() < now.getTime(),
      daysOverdue: Math.floor((now.getTime() - r.dueAt.getTime()) / DAY),
    };
  });
  const count = (l: string) => items.filter((i) => i.light === l).length;
  return { now: now.toISOString(), withinDays: opts.withinDays, items, counts: { red: count('RED'), yellow: count('YELLOW'), green: count('GREEN') } };
}
