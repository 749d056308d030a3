// Activities of the monthly 六个一 cycle (第六条–第八条, 第十条): read the
// year's setup and the facts scores rest on, persist what the workflow
// decided, render the briefing and issue the notices. Each is idempotent:
// rows are keyed by business identity and notices by workflowId:step.
import { resolvePolicy } from '../common/policy/resolve';
import type { Db } from '../common/db';
import type { Policy } from '../common/policy';
import { LEADERSHIP_ID, PROPAGANDA_ID, REFORM_OFFICE_ID } from '../common/org';
import { Prisma } from '../generated/prisma/client';
import type { CycleState, Ranking } from '../workflows/cycle/messages';
import { DEFAULT_INDICATORS, type CycleUnit, type Indicator, type UnitKind } from '../workflows/cycle/state';
import { renderBriefingHtml, renderCycleNotice, type BriefingContext, type CycleNoticeContext, type CycleNoticeKind } from './cycleTexts';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';

export interface CycleObligation {
  key: string;
  title: string;
  rule: string;
  unitId: string;
  officialId?: string;
  dueAt: string;
  status: 'OPEN' | 'DONE' | 'CANCELLED';
}

export interface RecordCycleArgs {
  cycleId: string;
  workflowId: string;
  year: number;
  month: number;
  policyVersion: string;
  /** The cycle's own fields (the Cycle row). */
  cycle: Pick<CycleState, 'phase' | 'seed' | 'targets' | 'startedAt' | 'reportDueAt' | 'scoringAt'> & { rankedAt?: string };
  /** Only the records this step changed: a month has hundreds, rewriting all on every step would be quadratic. */
  delta?: Partial<Pick<CycleState, 'reports' | 'inspections' | 'entries' | 'ratings' | 'diagnoses'>>;
  event?: { key: string; step: string; actorId?: string; at: string; data?: Record<string, unknown> };
  /** Every obligation of the cycle with its status; only the changed ones are written. */
  obligations: CycleObligation[];
}

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

export interface BriefingArgs extends Omit<BriefingContext, 'unitNames'> {
  cycleId: string;
  attendees: string[];
}

/** The officials addressed for a unit's own duties, by kind (第六条（一）、（二）). */
const RESPONSIBLE: Record<UnitKind, string[]> = {
  DISTRICT: ['DIRECTOR', 'DEPUTY_DIRECTOR'],
  SPECIAL_GROUP: ['LIAISON', 'DRAFTER'],
};

export function createCycleActivities(db: Db, mailer: Mailer) {
  async function officialsWith(where: Prisma.OfficialWhereInput, roles: string[]): Promise<string[]> {
    const rows = await db.official.findMany({
      where: { ...where, active: true, roles: { hasSome: roles as never } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.id);
  }

  async function unitOfficials(unitId: string, roles: string[]): Promise<string[]> {
    return officialsWith({ unitId }, roles);
  }

  async function kindOf(unitId: string): Promise<UnitKind> {
    const u = await db.unit.findUniqueOrThrow({ where: { id: unitId }, select: { kind: true } });
    return u.kind === 'SPECIAL_GROUP' ? 'SPECIAL_GROUP' : 'DISTRICT';
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
      case 'ISSUE_LIST':
        return { to: [...heads, ...responsible, ...extra], cc: [] };
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

  return {
    /** The policy a new cycle runs under (the newest stored city policy, else the defaults). */
    async resolveCyclePolicy(): Promise<{ policy: Policy }> {
      return { policy: await resolvePolicy(db) };
    },

    /** The units to supervise and the year's indicator set (default when none was loaded). */
    async loadCycleSetup(a: { year: number }): Promise<{ units: CycleUnit[]; indicators: Indicator[] }> {
      const units = await db.unit.findMany({ where: { kind: { in: ['DISTRICT', 'SPECIAL_GROUP'] } }, orderBy: { id: 'asc' } });
      const set = await db.cycleIndicatorSet.findUnique({ where: { year: a.year } });
      return {
        units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind as UnitKind })),
        indicators: set ? (set.body as unknown as Indicator[]) : DEFAULT_INDICATORS,
      };
    },

    async recordCycle(a: RecordCycleArgs): Promise<void> {
      const s = { reports: [], inspections: [], entries: [], ratings: [], diagnoses: [], ...a.delta, ...a.cycle };
      await db.$transaction(async (tx) => {
        if (a.event) {
          const seen = await tx.workflowEvent.findUnique({ where: { key: a.event.key }, select: { id: true } });
          if (!seen) {
            await tx.workflowEvent.create({
              data: { key: a.event.key, workflowId: a.workflowId, family: 'cycle', subjectId: a.cycleId, revision: 0, step: a.event.step, actorId: a.event.actorId ?? null, at: new Date(a.event.at), data: (a.event.data ?? {}) as Prisma.InputJsonValue },
            });
          }
        }
        const cycle = {
          workflowId: a.workflowId,
          year: a.year,
          month: a.month,
          phase: s.phase,
          seed: s.seed,
          targetUnitIds: s.targets,
          policyVersion: a.policyVersion,
          startedAt: new Date(s.startedAt),
          reportDueAt: new Date(s.reportDueAt),
          scoringAt: new Date(s.scoringAt),
          rankedAt: s.rankedAt ? new Date(s.rankedAt) : null,
        };
        await tx.cycle.upsert({ where: { id: a.cycleId }, create: { id: a.cycleId, ...cycle }, update: cycle });
        for (const r of s.reports) {
          const data = { submittedBy: r.submittedBy, submittedAt: new Date(r.submittedAt), dueAt: new Date(s.reportDueAt), onTime: r.onTime, summary: r.summary, items: r.items as unknown as Prisma.InputJsonValue };
          await tx.cycleReport.upsert({ where: { cycleId_unitId: { cycleId: a.cycleId, unitId: r.unitId } }, create: { cycleId: a.cycleId, unitId: r.unitId, ...data }, update: data });
        }
        for (const i of s.inspections) {
          const data = {
            cycleId: a.cycleId,
            unitId: i.unitId,
            teamName: i.teamName,
            leaderId: i.leaderId,
            reformOfficeIds: i.reformOfficeIds,
            specialGroupId: i.specialGroupId ?? null,
            departmentIds: i.departmentIds,
            issues: i.issues as unknown as Prisma.InputJsonValue,
            createdBy: i.createdBy,
            createdAt: new Date(i.createdAt),
            unitSignedBy: i.unitSignedBy ?? null,
            unitSignedAt: i.unitSignedAt ? new Date(i.unitSignedAt) : null,
            leaderSignedBy: i.leaderSignedBy ?? null,
            leaderSignedAt: i.leaderSignedAt ? new Date(i.leaderSignedAt) : null,
          };
          await tx.cycleInspection.upsert({ where: { id: i.id }, create: { id: i.id, ...data }, update: data });
        }
        for (const e of s.entries) {
          const data = { cycleId: a.cycleId, unitId: e.unitId, indicatorCode: e.indicatorCode, value: e.value, override: e.override, reason: e.reason ?? null, enteredBy: e.enteredBy, enteredAt: new Date(e.enteredAt) };
          await tx.cycleScoreEntry.upsert({ where: { id: e.id }, create: { id: e.id, ...data }, update: {} });
        }
        for (const r of s.ratings) {
          const data = { raterId: r.raterId, fairMethod: r.fairMethod, fairOrder: r.fairOrder, thorough: r.thorough, clean: r.clean, comment: r.comment ?? null, at: new Date(r.at) };
          await tx.cycleTeamRating.upsert({
            where: { cycleId_raterUnitId_teamName: { cycleId: a.cycleId, raterUnitId: r.raterUnitId, teamName: r.teamName } },
            create: { cycleId: a.cycleId, raterUnitId: r.raterUnitId, teamName: r.teamName, ...data },
            update: data,
          });
        }
        for (const d of s.diagnoses) {
          const data = { visitAt: new Date(d.visitAt), dueAt: new Date(d.dueAt), report: d.report ?? null, filedBy: d.filedBy ?? null, filedAt: d.filedAt ? new Date(d.filedAt) : null };
          await tx.cycleDiagnosis.upsert({ where: { cycleId_unitId: { cycleId: a.cycleId, unitId: d.unitId } }, create: { cycleId: a.cycleId, unitId: d.unitId, ...data }, update: data });
        }
        const existing = new Map(
          (await tx.obligation.findMany({ where: { workflowId: a.workflowId }, select: { key: true, status: true, dueAt: true, closedAt: true } })).map((o) => [o.key, o]),
        );
        for (const o of a.obligations) {
          const before = existing.get(o.key);
          if (before && before.status === o.status && before.dueAt.toISOString() === new Date(o.dueAt).toISOString()) continue;
          const closedAt = o.status === 'OPEN' ? null : (before?.closedAt ?? new Date());
          const data = { title: o.title, rule: o.rule, unitId: o.unitId, officialId: o.officialId ?? null, dueAt: new Date(o.dueAt), status: o.status, closedAt };
          await tx.obligation.upsert({
            where: { key: o.key },
            create: { key: o.key, workflowId: a.workflowId, family: 'cycle', subjectId: a.cycleId, ...data },
            update: data,
          });
        }
      });
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

    async recordRanking(a: { cycleId: string; year: number; month: number; ranking: Ranking }): Promise<void> {
      await db.$transaction(async (tx) => {
        for (const u of [...a.ranking.districts, ...a.ranking.specialGroups]) {
          const annual = a.ranking.annual[u.unitId];
          const data = {
            year: a.year,
            month: a.month,
            unitKind: u.kind,
            total: u.total,
            rank: u.rank,
            items: u.items as unknown as Prisma.InputJsonValue,
            tieNote: u.tieNote ?? null,
            monthsCounted: annual?.monthsCounted ?? 1,
            annualAverage: annual?.average ?? u.total,
            annualFigure: annual?.figure ?? null,
          };
          await tx.cycleScore.upsert({ where: { cycleId_unitId: { cycleId: a.cycleId, unitId: u.unitId } }, create: { cycleId: a.cycleId, unitId: u.unitId, ...data }, update: data });
        }
        await tx.cycle.update({
          where: { id: a.cycleId },
          data: { rankedAt: new Date(a.ranking.rankedAt), teamRanking: a.ranking.teams ? (a.ranking.teams as unknown as Prisma.InputJsonValue) : Prisma.DbNull },
        });
      });
    },

    /** Renders and stores the month's printable 督导情况通报. */
    async writeBriefing(a: BriefingArgs): Promise<void> {
      const units = await db.unit.findMany({ select: { id: true, name: true } });
      const unitNames = Object.fromEntries(units.map((u) => [u.id, u.name]));
      const html = renderBriefingHtml({ ...a, unitNames });
      await db.cycle.update({
        where: { id: a.cycleId },
        data: {
          briefingHtml: html,
          briefing: { speakers: a.speakers, tieRule: a.tieRule, attendees: a.attendees, meetingAt: a.meetingAt, highlights: a.highlights, problems: a.problems, improved: a.improved } as unknown as Prisma.InputJsonValue,
        },
      });
    },

    /** Officials of the given units with the given roles (the meeting's attendees). */
    async officialsFor(a: { groups: Array<{ unitKind: string; roles: string[] }> }): Promise<string[]> {
      const out: string[] = [];
      for (const g of a.groups) out.push(...(await officialsWith({ unit: { kind: g.unitKind as never } }, g.roles)));
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
      const { title, body } = renderCycleNotice(a.kind, { ...a.context, roadmap, ledgers, leaderName, year: cycle.year, month: cycle.month, unitName: unit?.name });
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
