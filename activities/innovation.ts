// Activities of the innovation family (第十四条): count ballots when a round
// closes, say who takes part, and issue notices (the records go through
// activities/records). Idempotent: notices are stored once per key and
// e-mailed once per recipient.
import type { Db } from '../common/db';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../common/org';
import { ROUND_VOTERS, SUBMITTER_KINDS, type Duty, type SelectionPhase, type UnitKind } from '../workflows/innovation/state';
import type { Mailer } from './mailer';
import { officialsOf } from './officials';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { renderRolloutNotice, renderSelectionNotice, type RolloutNoticeKind, type RolloutTerms, type SelectionNoticeKind } from './innovationTexts';

export interface CloseRoundArgs {
  selectionId: string;
  round: 'MUTUAL' | 'SECOND';
}

export interface SelectionNoticeArgs {
  selectionId: string;
  workflowId: string;
  kind: SelectionNoticeKind;
  step: string;
  phase: SelectionPhase;
  dueAt?: string;
  candidateIds?: string[];
  /** RETURNED: the main leader's comment. */
  comment?: string;
  explanation: NoticeExplanation;
}

export interface RolloutNoticeArgs {
  rolloutId: string;
  workflowId: string;
  kind: RolloutNoticeKind;
  step: string;
  duty?: Duty;
  title: string;
  leadUnitId: string;
  leaderInChargeId?: string;
  districtIds: string[];
  opinion: { docNumber: string; title: string };
  duties?: Duty[];
  /** SUMMARY: the reform office's summary document. */
  summary?: { docNumber?: string; title: string };
  /** The policy's deadlines in words, for the start notice (a district may run other values, 第二十一条). */
  terms?: RolloutTerms;
  asOf: string;
  explanation: NoticeExplanation;
  chase?: number;
  escalate?: boolean;
}

/** Roles that receive a unit's notices: district reform office directors and liaisons, department leaders in charge and liaisons. */
const CONTACT_ROLES = ['DIRECTOR', 'LIAISON', 'LEADER_IN_CHARGE'];

export function createInnovationActivities(db: Db, mailer: Mailer) {
  const officialsWith = (unitIds: string[], roles: string[]) => officialsOf(db, unitIds, roles);
  const contacts = (unitIds: string[]) => officialsWith(unitIds, CONTACT_ROLES);
  const director = () => officialsWith([REFORM_OFFICE_ID], ['DIRECTOR']);
  /** 第十四条 市主要领导: the heads of the city's leading group. */
  const mainLeaders = () => officialsWith([LEADERSHIP_ID], ['HEAD']);
  const leaderInCharge = async (id?: string) => (id ? [id] : officialsWith([LEADERSHIP_ID], ['LEADER_IN_CHARGE']));
  async function unitsOfKind(kinds: UnitKind[]): Promise<string[]> {
    const rows = await db.unit.findMany({ where: { kind: { in: kinds } }, select: { id: true }, orderBy: { id: 'asc' } });
    return rows.map((r) => r.id);
  }
  async function unitNames(ids: string[]): Promise<Record<string, string>> {
    const rows = await db.unit.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async function selectionRecipients(a: SelectionNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const candidates = await db.innovationCandidate.findMany({ where: { selectionId: a.selectionId } });
    const finalists = candidates.filter((c) => c.finalRank !== null);
    switch (a.kind) {
      case 'CALL':
        return { to: await contacts(await unitsOfKind(SUBMITTER_KINDS)), cc: await director() };
      case 'VOTE_OPEN':
        return { to: await contacts(await unitsOfKind(ROUND_VOTERS[a.phase === 'MUTUAL_VOTE' ? 'MUTUAL' : 'SECOND'])), cc: [] };
      case 'REMINDER': {
        if (a.phase === 'CALL') {
          const submitted = new Set(candidates.map((c) => c.unitId));
          return { to: await contacts((await unitsOfKind(SUBMITTER_KINDS)).filter((u) => !submitted.has(u))), cc: [] };
        }
        if (a.phase === 'MUTUAL_VOTE' || a.phase === 'SECOND_VOTE') {
          const round = a.phase === 'MUTUAL_VOTE' ? 'MUTUAL' : 'SECOND';
          const voted = new Set((await db.innovationBallot.findMany({ where: { selectionId: a.selectionId, round }, select: { voterKey: true } })).map((b) => b.voterKey));
          return { to: await contacts((await unitsOfKind(ROUND_VOTERS[round])).filter((u) => !voted.has(u))), cc: [] };
        }
        if (a.phase === 'OPINIONS') {
          const has = (c: (typeof finalists)[number], role: string) => (c.opinions as Array<{ role: string }>).some((o) => o.role === role);
          const leads = await contacts(finalists.filter((c) => !has(c, 'LEAD_DEPARTMENT')).map((c) => c.leadUnitId));
          const leaders = (await Promise.all(finalists.filter((c) => !has(c, 'LEADER')).map((c) => leaderInCharge(c.leaderInChargeId ?? undefined)))).flat();
          return { to: [...new Set([...leads, ...leaders])], cc: [] };
        }
        if (a.phase === 'LEADERS') {
          const sel = await db.innovationSelection.findUnique({ where: { id: a.selectionId }, select: { agreements: true } });
          const answered = new Set(((sel?.agreements ?? []) as Array<{ by: string }>).map((x) => x.by));
          return { to: (await mainLeaders()).filter((id) => !answered.has(id)), cc: [] };
        }
        return { to: await director(), cc: [] };
      }
      case 'OPINION_REQUEST': {
        const leaders = (await Promise.all(finalists.map((c) => leaderInCharge(c.leaderInChargeId ?? undefined)))).flat();
        return { to: [...new Set([...(await contacts(finalists.map((c) => c.leadUnitId))), ...leaders])], cc: await director() };
      }
      case 'APPROVAL_REQUEST':
      case 'RETURNED':
        return { to: await director(), cc: [] };
      case 'LEADERS_REQUEST':
        return { to: await mainLeaders(), cc: await director() };
      case 'CHASE':
        return a.phase === 'LEADERS' ? { to: await mainLeaders(), cc: await director() } : { to: await director(), cc: [] };
      case 'RESULT': {
        const approved = candidates.filter((c) => c.approved);
        return { to: await contacts([...(await unitsOfKind(SUBMITTER_KINDS)), ...approved.map((c) => c.leadUnitId)]), cc: await director() };
      }
    }
  }

  async function rolloutRecipients(a: RolloutNoticeArgs): Promise<{ to: string[]; cc: string[] }> {
    const d = a.duty;
    const cc: string[] = [];
    if (a.escalate && d) cc.push(...(await officialsWith([d.unitId], ['HEAD'])), ...(await director()));
    switch (a.kind) {
      case 'START':
        return { to: [...(await contacts([a.leadUnitId])), ...(await leaderInCharge(a.leaderInChargeId)), ...(await contacts(a.districtIds))], cc: await director() };
      case 'SUMMARY':
        // 第十四条: the acceptance summary goes to the director and is circulated city-wide.
        return {
          to: [...new Set([...(await director()), ...(await contacts(await unitsOfKind(['DISTRICT', 'DEPARTMENT', 'SPECIAL_GROUP'])))])],
          cc: await leaderInCharge(a.leaderInChargeId),
        };
      case 'BULLETIN':
        return {
          to: [...(await contacts([a.leadUnitId])), ...(await officialsWith(a.districtIds, ['DIRECTOR']))],
          cc: [...(await director()), ...(await leaderInCharge(a.leaderInChargeId))],
        };
      default: {
        if (!d) return { to: await director(), cc };
        // A filed plan waits for its approver: the approver is the one reminded and chased.
        if (d.kind === 'LEAD_PLAN' && d.submittedAt) return { to: await leaderInCharge(a.leaderInChargeId), cc };
        if (d.kind === 'DISTRICT_PLAN' && d.submittedAt) return { to: await officialsWith([d.unitId], ['DIRECTOR']), cc };
        const to = await contacts([d.unitId]);
        if (d.kind === 'MEETING') to.push(...(await leaderInCharge(a.leaderInChargeId)));
        if (d.unitId === REFORM_OFFICE_ID) return { to: await officialsWith([REFORM_OFFICE_ID], ['DIRECTOR', 'LIAISON']), cc };
        return { to, cc };
      }
    }
  }

  return {
    /**
     * Counts a closed voting round. The workflow has recorded the round as
     * closing first (the vote routes then refuse ballots; the phase change
     * waited for every ballot in flight): counting is one GROUP BY, however
     * many ballots. Also says which units voted (their obligations are met).
     */
    async closeSelectionRound(a: CloseRoundArgs): Promise<{ ballots: Record<string, number>; counts: Record<string, Record<string, number>>; voters: string[] }> {
      const rounds = a.round === 'MUTUAL' ? ['MUTUAL'] : ['SECOND', 'PUBLIC'];
      const rows = await db.$queryRaw<Array<{ round: string; candidateId: string; n: number }>>`
        SELECT b.round, c AS "candidateId", count(*)::int AS n
        FROM "InnovationBallot" b, unnest(b."candidateIds") AS c
        WHERE b."selectionId" = ${a.selectionId} AND b.round = ANY(${rounds})
        GROUP BY b.round, c`;
      const totals = await db.innovationBallot.groupBy({ by: ['round'], where: { selectionId: a.selectionId, round: { in: rounds } }, _count: true });
      const voters = await db.innovationBallot.findMany({ where: { selectionId: a.selectionId, round: a.round, voterUnitId: { not: null } }, select: { voterUnitId: true } });
      const counts: Record<string, Record<string, number>> = Object.fromEntries(rounds.map((r) => [r, {}]));
      for (const r of rows) counts[r.round][r.candidateId] = r.n;
      const ballots = Object.fromEntries(rounds.map((r) => [r, totals.find((t) => t.round === r)?._count ?? 0]));
      return { ballots, counts, voters: voters.map((v) => v.voterUnitId!) };
    },

    /** Who takes part in a selection (第十四条): the voting units of each official round, the default leader in charge, the director. */
    async selectionParticipants(): Promise<{ voters: Record<'MUTUAL' | 'SECOND', string[]>; leaderInChargeId?: string; directorId?: string; mainLeaderIds: string[] }> {
      return {
        voters: { MUTUAL: await unitsOfKind(ROUND_VOTERS.MUTUAL), SECOND: await unitsOfKind(ROUND_VOTERS.SECOND) },
        leaderInChargeId: (await leaderInCharge())[0],
        directorId: (await director())[0],
        mainLeaderIds: await mainLeaders(),
      };
    },

    async sendSelectionNotice(a: SelectionNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const all = await db.innovationCandidate.findMany({ where: { selectionId: a.selectionId } });
      const listed =
        a.kind === 'RESULT'
          ? all.filter((c) => c.approved).sort((x, y) => (x.finalRank ?? 0) - (y.finalRank ?? 0))
          : a.phase === 'SECOND_VOTE'
            ? all.filter((c) => c.shortlistRank !== null).sort((x, y) => x.shortlistRank! - y.shortlistRank!)
            : all.filter((c) => c.finalRank !== null).sort((x, y) => x.finalRank! - y.finalRank!);
      const names = await unitNames(listed.flatMap((c) => [c.unitId, c.leadUnitId]));
      const { title, body } = renderSelectionNotice(a.kind, {
        selectionId: a.selectionId,
        phase: a.phase,
        dueAt: a.dueAt,
        candidates: listed.map((c) => ({ rank: c.finalRank ?? c.shortlistRank ?? undefined, title: c.title, unitName: names[c.unitId] ?? c.unitId, leadUnitName: names[c.leadUnitId] ?? c.leadUnitId })),
        comment: a.comment,
      });
      const { to, cc } = await selectionRecipients(a);
      // A reminder when everyone has acted already has nobody to remind.
      if (to.length === 0) return { noticeId: '', delivery: { sent: 0, skipped: 0, failed: 0 } };
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'selection',
        subjectId: a.selectionId,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.dueAt,
        to,
        cc,
      });
    },

    /** The districts a rollout covers (第十四条: every district). */
    async innovationDistricts(): Promise<string[]> {
      return unitsOfKind(['DISTRICT']);
    },

    async sendRolloutNotice(a: RolloutNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const names = await unitNames([a.leadUnitId, ...a.districtIds, ...(a.duty ? [a.duty.unitId] : []), ...(a.duties ?? []).map((d) => d.unitId), REFORM_OFFICE_ID]);
      const { title, body } = renderRolloutNotice(a.kind, {
        title: a.title,
        leadUnitName: names[a.leadUnitId] ?? a.leadUnitId,
        opinion: a.opinion,
        duty: a.duty,
        dutyUnitName: a.duty ? names[a.duty.unitId] : undefined,
        chase: a.chase,
        unitNames: names,
        duties: a.duties,
        districtIds: a.districtIds,
        terms: a.terms,
        asOf: a.asOf,
        summary: a.summary,
      });
      const { to, cc } = await rolloutRecipients(a);
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'rollout',
        subjectId: a.rolloutId,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.duty?.dueAt,
        to,
        cc,
      });
    },
  };
}
