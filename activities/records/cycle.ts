// The 六个一 cycle's rows (第六条): the Cycle, and the month's reports,
// inspections, score entries, team ratings and diagnoses — only those a change
// touched, so a step costs the same on the month's first day and its last.
// The ranking and the briefing are published once: written once.
import type { CycleState, Diagnosis, Inspection, ProgressReport, PromotionMeeting, Ranking, UpwardRecommendation } from '../../workflows/cycle/messages';
import type { ScoreEntry, TeamRating } from '../../workflows/cycle/state';
import { renderBriefingHtml, type BriefingContext } from '../cycleTexts';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface CycleChange {
  family: 'cycle';
  /** The cycle's own fields (always sent whole). */
  cycle: Pick<CycleState, 'phase' | 'seed' | 'targets' | 'startedAt' | 'reportDueAt' | 'scoringAt'> & { year: number; month: number; policyVersion: string; quarter?: boolean };
  reports?: ProgressReport[];
  inspections?: Inspection[];
  entries?: ScoreEntry[];
  ratings?: TeamRating[];
  diagnoses?: Diagnosis[];
  /** 第六条（四）(3): on-site promotion meetings (written once each). */
  promotionMeetings?: PromotionMeeting[];
  /** 第六条（五）(3): highlights recommended upward (written once each). */
  upwardRecommendations?: UpwardRecommendation[];
  /** The published ranking (一月一排名). */
  ranking?: Ranking;
  /** The 督导情况通报 (一月一通报), rendered here with the units' names. */
  briefing?: Omit<BriefingContext, 'unitNames'> & { attendees: string[] };
}

export async function writeCycle(tx: Tx, cycleId: string, workflowId: string, revision: number, c: CycleChange): Promise<void> {
  const f = c.cycle;
  const cycle = {
    workflowId,
    year: f.year,
    month: f.month,
    phase: f.phase,
    seed: f.seed,
    targetUnitIds: f.targets,
    policyVersion: f.policyVersion,
    quarter: f.quarter ?? false,
    startedAt: new Date(f.startedAt),
    reportDueAt: new Date(f.reportDueAt),
    scoringAt: new Date(f.scoringAt),
    revision,
  };
  await writeIfNewer({
    update: () => tx.cycle.updateMany({ where: { id: cycleId, ...olderThan(revision) }, data: cycle }),
    create: () => tx.cycle.createMany({ data: [{ id: cycleId, ...cycle }], skipDuplicates: true }),
  });
  for (const r of c.reports ?? []) {
    const data = { submittedBy: r.submittedBy, submittedAt: new Date(r.submittedAt), dueAt: new Date(r.dueAt ?? f.reportDueAt), onTime: r.onTime, summary: r.summary, items: json(r.items), revision };
    await writeIfNewer({
      update: () => tx.cycleReport.updateMany({ where: { cycleId, unitId: r.unitId, ...olderThan(revision) }, data }),
      create: () => tx.cycleReport.createMany({ data: [{ cycleId, unitId: r.unitId, ...data }], skipDuplicates: true }),
    });
  }
  for (const i of c.inspections ?? []) {
    const data = {
      cycleId,
      unitId: i.unitId,
      teamName: i.teamName,
      leaderId: i.leaderId,
      peerUnitId: i.peerUnitId ?? null,
      reformOfficeIds: i.reformOfficeIds,
      specialGroupId: i.specialGroupId ?? null,
      departmentIds: i.departmentIds,
      issues: json(i.issues),
      opinions: json(i.opinions ?? []),
      createdBy: i.createdBy,
      createdAt: new Date(i.createdAt),
      unitSignedBy: i.unitSignedBy ?? null,
      unitSignedAt: date(i.unitSignedAt),
      leaderSignedBy: i.leaderSignedBy ?? null,
      leaderSignedAt: date(i.leaderSignedAt),
      revision,
    };
    await writeIfNewer({
      update: () => tx.cycleInspection.updateMany({ where: { id: i.id, ...olderThan(revision) }, data }),
      create: () => tx.cycleInspection.createMany({ data: [{ id: i.id, ...data }], skipDuplicates: true }),
    });
  }
  // Score entries are never changed once entered (an override is a new entry).
  if (c.entries?.length) {
    await tx.cycleScoreEntry.createMany({
      data: c.entries.map((e) => ({ id: e.id, cycleId, unitId: e.unitId, indicatorCode: e.indicatorCode, value: e.value, override: e.override, reason: e.reason ?? null, enteredBy: e.enteredBy, enteredAt: new Date(e.enteredAt), revision })),
      skipDuplicates: true,
    });
  }
  for (const r of c.ratings ?? []) {
    const data = { raterId: r.raterId, fairMethod: r.fairMethod, fairOrder: r.fairOrder, thorough: r.thorough, clean: r.clean, comment: r.comment ?? null, at: new Date(r.at), revision };
    await writeIfNewer({
      update: () => tx.cycleTeamRating.updateMany({ where: { cycleId, raterUnitId: r.raterUnitId, teamName: r.teamName, ...olderThan(revision) }, data }),
      create: () => tx.cycleTeamRating.createMany({ data: [{ cycleId, raterUnitId: r.raterUnitId, teamName: r.teamName, ...data }], skipDuplicates: true }),
    });
  }
  for (const d of c.diagnoses ?? []) {
    const data = { visitAt: new Date(d.visitAt), dueAt: new Date(d.dueAt), report: d.report ?? null, filedBy: d.filedBy ?? null, filedAt: date(d.filedAt), revision };
    await writeIfNewer({
      update: () => tx.cycleDiagnosis.updateMany({ where: { cycleId, unitId: d.unitId, ...olderThan(revision) }, data }),
      create: () => tx.cycleDiagnosis.createMany({ data: [{ cycleId, unitId: d.unitId, ...data }], skipDuplicates: true }),
    });
  }
  // A promotion meeting is never changed once recorded.
  if (c.promotionMeetings?.length) {
    await tx.cyclePromotionMeeting.createMany({
      data: c.promotionMeetings.map((m) => ({ id: m.id, cycleId, heldAt: new Date(m.heldAt), districtId: m.districtId, shown: m.shown, attendeeUnitIds: m.attendeeUnitIds, recordedBy: m.recordedBy, recordedAt: new Date(m.recordedAt), revision })),
      skipDuplicates: true,
    });
  }
  if (c.upwardRecommendations?.length) {
    await tx.cycleUpwardRecommendation.createMany({
      data: c.upwardRecommendations.map((u) => ({ ...u, cycleId, sentAt: new Date(u.sentAt), recordedAt: new Date(u.recordedAt), revision })),
      skipDuplicates: true,
    });
  }
  if (c.ranking) await writeRanking(tx, cycleId, f, revision, c.ranking);
  if (c.briefing) await writeBriefing(tx, cycleId, c.briefing);
}

/** 一月一排名: each unit's published score and rank (once per month). */
async function writeRanking(tx: Tx, cycleId: string, f: CycleChange['cycle'], revision: number, ranking: Ranking): Promise<void> {
  await tx.cycleScore.createMany({
    // 第十条（二）: the departments' rows carry their kind: their ranking is read apart.
    data: [...ranking.districts, ...ranking.specialGroups, ...(ranking.departments ?? [])].map((u) => {
      const annual = ranking.annual[u.unitId];
      return {
        cycleId,
        unitId: u.unitId,
        year: f.year,
        month: f.month,
        unitKind: u.kind,
        total: u.total,
        rank: u.rank,
        items: json(u.items),
        tieNote: u.tieNote ?? null,
        monthsCounted: annual?.monthsCounted ?? 1,
        annualAverage: annual?.average ?? u.total,
        annualFigure: annual?.figure ?? null,
        revision,
      };
    }),
    skipDuplicates: true,
  });
  await tx.cycle.updateMany({
    where: { id: cycleId, rankedAt: null },
    data: { rankedAt: new Date(ranking.rankedAt), teamRanking: ranking.teams ? json(ranking.teams) : undefined },
  });
}

/** 一月一通报: the printable briefing (once per month). */
async function writeBriefing(tx: Tx, cycleId: string, b: NonNullable<CycleChange['briefing']>): Promise<void> {
  const units = await tx.unit.findMany({ select: { id: true, name: true } });
  const html = renderBriefingHtml({ ...b, unitNames: Object.fromEntries(units.map((u) => [u.id, u.name])) });
  await tx.cycle.updateMany({
    where: { id: cycleId, briefingHtml: null },
    data: {
      briefingHtml: html,
      briefing: json({
        speakers: b.speakers,
        tieRule: b.tieRule,
        attendees: b.attendees,
        meetingAt: b.meetingAt,
        highlights: b.highlights,
        problems: b.problems,
        improved: b.improved,
        areas: b.areas,
        opinions: b.opinions,
        mutual: b.mutual,
        departmentTieRule: b.departmentTieRule,
        evaluations: b.evaluations,
      }),
    },
  });
}
