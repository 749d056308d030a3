// Activities of the monthly 六个一 cycle (第六条–第八条, 第十条): read the
// year's setup and the facts scores rest on, and issue the notices (the record,
// the ranking and the briefing go through activities/records). Idempotent:
// notices are keyed by workflowId:step.
import { resolvePolicies } from '../common/policy/resolve';
import type { ScopedPolicies } from '../common/policy/scope';
import type { Db } from '../common/db';
import { districtOf, isCitySpecialGroup, LEADERSHIP_ID, PROPAGANDA_ID, REFORM_OFFICE_ID, type OrgUnit } from '../common/org';
import { Prisma } from '../generated/prisma/client';
import { cycleScope, type Subunit } from '../workflows/cycle/scope';
import type { EvaluationState } from '../workflows/evaluation/messages';
import { DEFAULT_INDICATORS, monthStart, previousMonth, type CycleUnit, type Indicator, type UnitKind } from '../workflows/cycle/state';
import { renderCycleNotice, type CycleNoticeContext, type CycleNoticeKind } from './cycleTexts';
import type { Mailer } from './mailer';
import { officialsWhere } from './officials';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';

export interface CycleNoticeArgs {
  workflowId: string;
  cycleId: string;
  kind: CycleNoticeKind;
  /** Unique within the workflow: the notice key is workflowId + step. */
  step: string;
  explanation: NoticeExplanation;
  /** The unit the notice is about (its officials are addressed for unit notices). */
  unitId?: string;
  /** Extra people addressed by id (e.g. the inspection team leader). */
  officialIds?: string[];
  /** For the diagnosis report: the departments that took part in the unit's inspections. */
  departmentIds?: string[];
  /** For an on-site promotion meeting: the units invited (第六条（四）(3)). */
  unitIds?: string[];
  context: Omit<CycleNoticeContext, 'year' | 'month' | 'unitName'>;
  dueAt?: string;
  createdBy?: string;
}

export interface FactsArgs {
  unitIds: string[];
  monthStart: string;
  monthEnd: string;
  asOf: string;
}

export interface UnitSystemFacts {
  documents: { due: number; onTime: number };
  ledger: { due: number; closed: number };
}

/** 第十四条（三）(6): an evaluation whose results the month's briefing announces, as its record holds them. */
export interface EvaluationAnnouncement {
  /** The year the evaluation ran in (it evaluates the year before). */
  year: number;
  title: string;
  decidedAt: string;
  published: boolean;
  results: Array<{ unitName: string; score: number; comment?: string }>;
}

/** Who is invited to a meeting on behalf of a unit, whatever its kind (第六条（四）(3)). */
const INVITED_ROLES = ['HEAD', 'LEADER_IN_CHARGE', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON'];

/** The officials addressed for a unit's own duties, by kind (第六条（一）、（二）; 第七条 townships). */
const RESPONSIBLE: Record<UnitKind | 'TOWNSHIP', string[]> = {
  DISTRICT: ['DIRECTOR', 'DEPUTY_DIRECTOR'],
  SPECIAL_GROUP: ['LIAISON', 'DRAFTER'],
  // 第十条（二）: a department's reform work is its leader in charge's and its reform liaison's.
  DEPARTMENT: ['LEADER_IN_CHARGE', 'LIAISON'],
  TOWNSHIP: ['HEAD', 'LIAISON'],
};

export function createCycleActivities(db: Db, mailer: Mailer) {
  const officialsWith = (where: Prisma.OfficialWhereInput, roles: string[]) => officialsWhere(db, where, roles);

  async function unitOfficials(unitId: string, roles: string[]): Promise<string[]> {
    return officialsWith({ unitId }, roles);
  }

  async function kindOf(unitId: string): Promise<keyof typeof RESPONSIBLE> {
    const u = await db.unit.findUniqueOrThrow({ where: { id: unitId }, select: { kind: true } });
    return u.kind === 'SPECIAL_GROUP' || u.kind === 'TOWNSHIP' || u.kind === 'DEPARTMENT' ? u.kind : 'DISTRICT';
  }

  const organisation = (): Promise<OrgUnit[]> => db.unit.findMany({ select: { id: true, name: true, kind: true, parentId: true }, orderBy: { id: 'asc' } });

  /** 第七条: the district answering for a township or a district special group (none for a ranked unit). */
  async function districtAbove(unitId: string): Promise<string | undefined> {
    const org = await organisation();
    const byId = new Map(org.map((u) => [u.id, u]));
    const u = byId.get(unitId);
    const d = u && districtOf(u, byId);
    return d === unitId ? undefined : d;
  }

  /** Officials with the roles in units of a kind; special groups are the city's only (第十六条（三）). */
  async function officialsOfKind(kind: string, roles: string[]): Promise<string[]> {
    if (kind !== 'SPECIAL_GROUP') return officialsWith({ unit: { kind: kind as never } }, roles);
    const org = await organisation();
    const byId = new Map(org.map((u) => [u.id, u]));
    return officialsWith({ unitId: { in: org.filter((u) => isCitySpecialGroup(u, byId)).map((u) => u.id) } }, roles);
  }

  async function recipients(a: CycleNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const extra = a.officialIds ?? [];
    const reformOffice = await unitOfficials(REFORM_OFFICE_ID, ['DIRECTOR', 'DEPUTY_DIRECTOR']);
    const visitingTeam = await unitOfficials(REFORM_OFFICE_ID, ['DEPUTY_DIRECTOR', 'INSPECTOR']);
    const responsible = a.unitId ? await unitOfficials(a.unitId, RESPONSIBLE[await kindOf(a.unitId)]) : [];
    const heads = a.unitId ? await unitOfficials(a.unitId, ['HEAD']) : [];
    switch (a.kind) {
      case 'DISPATCH':
      case 'REPORT_REMINDER':
        return { to: responsible, cc: [] };
      case 'REPORT_CHASE':
        return { to: [...responsible, ...heads], cc: [] };
      case 'INSPECTION':
        return { to: [...responsible, ...heads], cc: await unitOfficials(REFORM_OFFICE_ID, ['INSPECTOR']) };
      case 'ISSUE_LIST': {
        // 第七条: a township's or district special group's list is copied to the district answering for it.
        const district = a.unitId && (await districtAbove(a.unitId));
        return { to: [...heads, ...responsible, ...extra], cc: district ? await unitOfficials(district, RESPONSIBLE.DISTRICT) : [] };
      }
      case 'TEAM_RATING_CALL':
        // 第六条（三）(2): the districts' party and government heads rate the city's inspection teams.
        return { to: await officialsWith({ unit: { kind: 'DISTRICT' } }, ['HEAD']), cc: [] };
      case 'BRIEFING':
        // 第六条（四）(2): to the city leaders, the districts' heads and the departments' heads.
        return {
          to: [
            ...(await officialsWith({ unitId: LEADERSHIP_ID }, ['CITY_LEADER'])),
            ...(await officialsWith({ unit: { kind: 'DISTRICT' } }, ['HEAD'])),
            ...(await officialsWith({ unit: { kind: 'DEPARTMENT' } }, ['HEAD'])),
          ],
          cc: reformOffice,
        };
      case 'MEETING':
        return { to: extra, cc: reformOffice };
      case 'PROMOTION_MEETING':
        // 第六条（四）(3): the units invited, and the host district.
        return { to: await officialsWith({ unitId: { in: [...new Set([...(a.unitIds ?? []), ...(a.unitId ? [a.unitId] : [])])] } }, INVITED_ROLES), cc: reformOffice };
      case 'PUBLICITY':
        return { to: await unitOfficials(PROPAGANDA_ID, ['HEAD', 'LEADER_IN_CHARGE', 'LIAISON']), cc: reformOffice };
      case 'DIAGNOSIS_VISIT':
        return { to: [...heads, ...responsible], cc: visitingTeam };
      case 'DIAGNOSIS_CHASE':
        return { to: visitingTeam, cc: await unitOfficials(REFORM_OFFICE_ID, ['DIRECTOR']) };
      case 'DIAGNOSIS_REPORT':
        // 第六条（六）(2): to the city leaders concerned and the departments concerned.
        return {
          to: await officialsWith({ unitId: LEADERSHIP_ID }, ['CITY_LEADER']),
          cc: [...(await officialsWith({ unitId: { in: a.departmentIds ?? [] } }, ['HEAD'])), ...heads, ...reformOffice],
        };
    }
  }

  /**
   * 第十条（二）: the departments carrying reform tasks — those with an open ledger task (台账, 第五条) or an open
   * obligation of a superior document (they are usually its lead unit: 交办, drafting, delivery). Read from the
   * records the document family writes, so a department enters the month's cycle when it is given a task and
   * leaves it when it has none open; no flag on the organisation to keep up to date.
   */
  async function departmentsCarryingTasks(): Promise<Set<string>> {
    const [departments, tasks, obligations] = await Promise.all([
      db.unit.findMany({ where: { kind: 'DEPARTMENT' }, select: { id: true } }),
      db.ledgerTask.findMany({ where: { status: 'OPEN' }, select: { unitId: true }, distinct: ['unitId'] }),
      db.obligation.findMany({ where: { family: 'document', status: 'OPEN' }, select: { unitId: true }, distinct: ['unitId'] }),
    ]);
    const isDepartment = new Set(departments.map((u) => u.id));
    return new Set([...tasks, ...obligations].map((x) => x.unitId).filter((id) => isDepartment.has(id)));
  }

  return {
    /** The policies a new cycle runs under: the city's and the units' own (第二十一条). */
    async resolveCyclePolicy(): Promise<ScopedPolicies> {
      return resolvePolicies(db);
    },

    /**
     * The units to supervise (第七条: the districts and the city's special groups; below the districts, their
     * townships and own special groups) and the year's indicator set (default when none was loaded).
     */
    async loadCycleSetup(a: { year: number; departments?: boolean }): Promise<{ units: CycleUnit[]; subunits: Subunit[]; indicators: Indicator[] }> {
      const scope = cycleScope(await organisation(), a.departments ? await departmentsCarryingTasks() : undefined);
      const set = await db.cycleIndicatorSet.findUnique({ where: { year: a.year } });
      return { ...scope, indicators: set ? (set.body as unknown as Indicator[]) : DEFAULT_INDICATORS };
    },

    /**
     * What the system knows about each unit this month (第六条（三）: scores
     * computed from known facts): its document obligations due this month and
     * done on time, and its ledger tasks due by now and closed.
     */
    async officialNames(a: { officialIds: string[] }): Promise<Record<string, string>> {
      const rows = await db.official.findMany({ where: { id: { in: a.officialIds } }, select: { id: true, name: true, title: true } });
      return Object.fromEntries(rows.map((r) => [r.id, r.title ? `${r.title}${r.name}` : r.name]));
    },

    async gatherCycleFacts(a: FactsArgs): Promise<Record<string, UnitSystemFacts>> {
      const start = new Date(a.monthStart);
      const cutoff = new Date(Math.min(new Date(a.monthEnd).getTime(), new Date(a.asOf).getTime()));
      const obligations = await db.obligation.findMany({
        where: { family: 'document', unitId: { in: a.unitIds }, dueAt: { gte: start, lt: cutoff }, status: { not: 'CANCELLED' } },
        select: { unitId: true, dueAt: true, status: true, closedAt: true },
      });
      const tasks = await db.ledgerTask.findMany({
        where: {
          unitId: { in: a.unitIds },
          dueAt: { lt: cutoff },
          // Tasks due this month, and older ones still open or closed only this month.
          OR: [{ dueAt: { gte: start } }, { closedAt: null }, { closedAt: { gte: start } }],
        },
        select: { unitId: true, status: true },
      });
      const out: Record<string, UnitSystemFacts> = {};
      for (const id of a.unitIds) {
        const os = obligations.filter((o) => o.unitId === id);
        const ts = tasks.filter((t) => t.unitId === id);
        out[id] = {
          documents: { due: os.length, onTime: os.filter((o) => o.status === 'DONE' && o.closedAt && o.closedAt <= o.dueAt).length },
          ledger: { due: ts.length, closed: ts.filter((t) => t.status === 'CLOSED').length },
        };
      }
      return out;
    },

    /** Published rankings of the given months ("YYYY-MM"), for the annual figure, the three-in-a-row rule and improvement. */
    async cycleHistory(a: { months: string[] }): Promise<Record<string, Array<{ unitId: string; unitKind: UnitKind; total: number; rank: number }>>> {
      const rows = await db.cycleScore.findMany({ where: { cycleId: { in: a.months } }, orderBy: [{ cycleId: 'asc' }, { rank: 'asc' }] });
      const out: Record<string, Array<{ unitId: string; unitKind: UnitKind; total: number; rank: number }>> = {};
      for (const r of rows) (out[r.cycleId] ??= []).push({ unitId: r.unitId, unitKind: r.unitKind as UnitKind, total: r.total, rank: r.rank });
      return out;
    },

    /**
     * 第十四条（三）(6): the evaluations decided since the previous month's ranking (or, with none, since the previous
     * month began) up to `asOf`, read from the evaluation's record, for the month's briefing to announce.
     */
    async evaluationsToAnnounce(a: { month: string; asOf: string }): Promise<EvaluationAnnouncement[]> {
      const previous = await db.cycle.findFirst({ where: { id: { lt: a.month }, rankedAt: { not: null } }, orderBy: { id: 'desc' }, select: { rankedAt: true } });
      const since = previous?.rankedAt ?? monthStart(previousMonth(a.month));
      const asOf = new Date(a.asOf);
      const rows = await db.evaluation.findMany({ orderBy: { year: 'asc' }, select: { year: true, body: true } });
      const names = new Map((await db.unit.findMany({ select: { id: true, name: true } })).map((u) => [u.id, u.name]));
      const out: EvaluationAnnouncement[] = [];
      for (const r of rows) {
        const body = r.body as unknown as Pick<EvaluationState, 'decision' | 'report'>;
        const at = body.decision && new Date(body.decision.at);
        if (!at || !body.report || at <= since || at > asOf) continue;
        out.push({
          year: r.year,
          title: body.report.title,
          decidedAt: body.decision!.at,
          published: body.decision!.publish,
          results: [...body.report.results].sort((x, y) => y.score - x.score).map((x) => ({ unitName: names.get(x.unitId) ?? x.unitId, score: x.score, comment: x.comment })),
        });
      }
      return out;
    },

    /** Officials of the given units with the given roles (the meeting's attendees). */
    async officialsFor(a: { groups: Array<{ unitKind: string; roles: string[] }> }): Promise<string[]> {
      const out: string[] = [];
      for (const g of a.groups) out.push(...(await officialsOfKind(g.unitKind, g.roles)));
      return [...new Set(out)];
    },

    async sendCycleNotice(a: CycleNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const cycle = await db.cycle.findUniqueOrThrow({ where: { id: a.cycleId }, select: { year: true, month: true } });
      const unit = a.unitId ? await db.unit.findUnique({ where: { id: a.unitId }, select: { name: true } }) : null;
      let roadmap = a.context.roadmap;
      let ledgers = a.context.ledgers;
      if (a.kind === 'DISPATCH' && a.unitId) {
        // 第六条（一）: the year's roadmap and the unit's open ledgers, as they stand at the dispatch.
        const rows = await db.cycleRoadmapTask.findMany({ where: { year: cycle.year, unitId: a.unitId }, orderBy: { code: 'asc' } });
        roadmap ??= rows.map((r) => ({ code: r.code, title: r.title, milestones: r.milestones as Array<{ month?: number; target: string }> }));
        const open = await db.ledgerTask.findMany({ where: { unitId: a.unitId, status: 'OPEN' }, orderBy: { dueAt: 'asc' }, take: 50 });
        ledgers ??= open.map((t) => ({ id: t.id, title: t.title, dueAt: t.dueAt.toISOString() }));
      }
      let leaderName = a.context.leaderName;
      if (a.kind === 'ISSUE_LIST' && a.officialIds?.length && !leaderName) {
        leaderName = (await db.official.findUnique({ where: { id: a.officialIds[0] }, select: { name: true, title: true } }))?.name;
      }
      let attendees = a.context.attendees;
      if (a.kind === 'PROMOTION_MEETING' && a.unitIds && !attendees) {
        const invited = await db.unit.findMany({ where: { id: { in: a.unitIds } }, select: { id: true, name: true } });
        attendees = a.unitIds.map((id) => invited.find((u) => u.id === id)?.name ?? id);
      }
      const { title, body } = renderCycleNotice(a.kind, { ...a.context, roadmap, ledgers, leaderName, attendees, year: cycle.year, month: cycle.month, unitName: unit?.name });
      const { to, cc } = await recipients(a);
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'cycle',
        subjectId: a.cycleId,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.dueAt,
        to,
        cc,
        createdBy: a.createdBy,
      });
    },
  };
}
