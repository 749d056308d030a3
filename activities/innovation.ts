// Activities of the innovation family (第十四条): persist what the selection
// and rollout workflows decided, count ballots when a round closes, and issue
// notices. Each is idempotent: rows have business keys, notices are stored
// once per key and e-mailed once per recipient.
import type { Db } from '../common/db';
import { LEADERSHIP_ID, REFORM_OFFICE_ID } from '../common/org';
import { Prisma } from '../generated/prisma/client';
import type { CandidateView, RoundResult } from '../workflows/innovation/messages';
import { ROUND_VOTERS, SUBMITTER_KINDS, type Duty, type SelectionPhase, type UnitKind } from '../workflows/innovation/state';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { halfLabel, renderRolloutNotice, renderSelectionNotice, type RolloutNoticeKind, type RolloutTerms, type SelectionNoticeKind } from './innovationTexts';

interface EventSpec {
  key: string;
  step: string;
  actorId?: string;
  at: string;
  data?: Record<string, unknown>;
}

interface ObligationRow {
  key: string;
  title: string;
  unitId: string;
  officialId?: string;
  dueAt: string;
  status: 'OPEN' | 'DONE' | 'CANCELLED';
}

export interface RecordSelectionArgs {
  selectionId: string;
  workflowId: string;
  policyVersion: string;
  phase: SelectionPhase;
  phaseDueAt: string;
  candidates: CandidateView[];
  results: RoundResult[];
  approvedBy?: string;
  event?: EventSpec;
}

export interface CloseRoundArgs {
  selectionId: string;
  phase: 'MUTUAL_VOTE' | 'SECOND_VOTE';
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
  explanation: NoticeExplanation;
}

export interface RecordRolloutArgs {
  rolloutId: string;
  workflowId: string;
  meta: {
    selectionId: string;
    candidateId: string;
    title: string;
    leadUnitId: string;
    leaderInChargeId?: string;
    districtIds: string[];
    townshipApplies: boolean;
    startedAt: string;
    reportDueAt: string;
    summaryDueAt: string;
  };
  state: string;
  duties: Duty[];
  acceptedAt?: string;
  event?: EventSpec;
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
  /** The policy's deadlines in words, for the start notice (a district may run other values, 第二十一条). */
  terms?: RolloutTerms;
  asOf: string;
  explanation: NoticeExplanation;
  chase?: number;
  escalate?: boolean;
}

/** Roles that receive a unit's notices: district reform office directors and liaisons, department leaders in charge and liaisons. */
const CONTACT_ROLES = ['DIRECTOR', 'LIAISON', 'LEADER_IN_CHARGE'];
const VOTE_TITLES = { MUTUAL: '创新改革经验互评投票', SECOND: '创新改革经验投票（区县和部门）' } as const;

export function createInnovationActivities(db: Db, mailer: Mailer) {
  async function officialsWith(unitIds: string[], roles: string[]): Promise<string[]> {
    if (unitIds.length === 0) return [];
    const rows = await db.official.findMany({
      where: { unitId: { in: unitIds }, active: true, roles: { hasSome: roles as never } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.id);
  }
  const contacts = (unitIds: string[]) => officialsWith(unitIds, CONTACT_ROLES);
  const director = () => officialsWith([REFORM_OFFICE_ID], ['DIRECTOR']);
  const leaderInCharge = async (id?: string) => (id ? [id] : officialsWith([LEADERSHIP_ID], ['LEADER_IN_CHARGE']));
  async function unitsOfKind(kinds: UnitKind[]): Promise<string[]> {
    const rows = await db.unit.findMany({ where: { kind: { in: kinds } }, select: { id: true }, orderBy: { id: 'asc' } });
    return rows.map((r) => r.id);
  }
  async function unitNames(ids: string[]): Promise<Record<string, string>> {
    const rows = await db.unit.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async function writeEvent(tx: Prisma.TransactionClient, subjectType: string, subjectId: string, e?: EventSpec): Promise<void> {
    if (!e) return;
    const seen = await tx.workflowEvent.findUnique({ where: { key: e.key }, select: { id: true } });
    if (seen) return;
    await tx.workflowEvent.create({
      data: { key: e.key, workflowId: e.key.slice(0, e.key.lastIndexOf(':')), family: subjectType, subjectId, revision: 0, step: e.step, actorId: e.actorId ?? null, at: new Date(e.at), data: (e.data ?? {}) as Prisma.InputJsonValue },
    });
  }

  /** Writes the complete set of a workflow's current obligations; any other open one of it is cancelled. */
  async function writeObligations(tx: Prisma.TransactionClient, family: string, workflowId: string, subjectId: string, rule: string, rows: ObligationRow[]) {
    await tx.obligation.updateMany({
      where: { workflowId, status: 'OPEN', key: { notIn: rows.map((r) => r.key) } },
      data: { status: 'CANCELLED', closedAt: new Date() },
    });
    const existing = await tx.obligation.findMany({ where: { workflowId }, select: { key: true, status: true, closedAt: true } });
    const byKey = new Map(existing.map((e) => [e.key, e]));
    for (const o of rows) {
      const prev = byKey.get(o.key);
      // Unchanged rows are not rewritten (a rollout has dozens of duties).
      if (prev && prev.status === o.status && o.status !== 'OPEN') continue;
      const data = {
        title: o.title,
        rule,
        unitId: o.unitId,
        officialId: o.officialId ?? null,
        dueAt: new Date(o.dueAt),
        status: o.status,
        closedAt: o.status === 'OPEN' ? null : prev?.closedAt ?? new Date(),
      };
      await tx.obligation.upsert({ where: { key: o.key }, create: { key: o.key, workflowId, family, subjectId, ...data }, update: data });
    }
  }

  /** The selection's obligations in its current phase, with their status. */
  async function selectionObligations(a: RecordSelectionArgs): Promise<ObligationRow[]> {
    const round = a.phase === 'MUTUAL_VOTE' ? 'MUTUAL' : a.phase === 'SECOND_VOTE' ? 'SECOND' : undefined;
    if (round) {
      const units = await unitsOfKind(ROUND_VOTERS[round]);
      const voted = new Set(
        (await db.innovationBallot.findMany({ where: { selectionId: a.selectionId, round }, select: { voterKey: true } })).map((b) => b.voterKey),
      );
      return units.map((u) => ({ key: `${a.workflowId}:vote-${round}:${u}`, title: VOTE_TITLES[round], unitId: u, dueAt: a.phaseDueAt, status: voted.has(u) ? 'DONE' : 'OPEN' }));
    }
    if (a.phase === 'OPINIONS') {
      const fallback = (await leaderInCharge())[0];
      return a.candidates
        .filter((c) => c.finalRank !== undefined)
        .flatMap((c): ObligationRow[] => [
          { key: `${a.workflowId}:opinion:${c.id}:lead`, title: `对“${c.title}”提出意见（牵头部门）`, unitId: c.leadUnitId, dueAt: a.phaseDueAt, status: c.opinions.some((o) => o.role === 'LEAD_DEPARTMENT') ? 'DONE' : 'OPEN' },
          { key: `${a.workflowId}:opinion:${c.id}:leader`, title: `对“${c.title}”提出意见（市分管领导）`, unitId: LEADERSHIP_ID, officialId: c.leaderInChargeId ?? fallback, dueAt: a.phaseDueAt, status: c.opinions.some((o) => o.role === 'LEADER') ? 'DONE' : 'OPEN' },
        ]);
    }
    if (a.phase === 'APPROVAL' || a.phase === 'APPROVED') {
      const d = (await director())[0];
      return [{ key: `${a.workflowId}:approval`, title: `审定${halfLabel(a.selectionId)}创新改革经验推广名单`, unitId: REFORM_OFFICE_ID, officialId: d, dueAt: a.phaseDueAt, status: a.phase === 'APPROVED' ? 'DONE' : 'OPEN' }];
    }
    return [];
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
        return { to: await director(), cc: [] };
      }
      case 'OPINION_REQUEST': {
        const leaders = (await Promise.all(finalists.map((c) => leaderInCharge(c.leaderInChargeId ?? undefined)))).flat();
        return { to: [...new Set([...(await contacts(finalists.map((c) => c.leadUnitId))), ...leaders])], cc: await director() };
      }
      case 'APPROVAL_REQUEST':
      case 'CHASE':
        return { to: await director(), cc: [] };
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
    async recordSelection(a: RecordSelectionArgs): Promise<void> {
      const obligations = await selectionObligations(a);
      const rounds = Object.fromEntries(a.results.map((r) => [r.round, r]));
      await db.$transaction(async (tx) => {
        await tx.innovationSelection.upsert({
          where: { id: a.selectionId },
          create: { id: a.selectionId, workflowId: a.workflowId, phase: a.phase, phaseDueAt: new Date(a.phaseDueAt), rounds: rounds as unknown as Prisma.InputJsonValue, policyVersion: a.policyVersion },
          update: {
            phase: a.phase,
            phaseDueAt: new Date(a.phaseDueAt),
            rounds: rounds as unknown as Prisma.InputJsonValue,
            ...(a.phase === 'APPROVED' ? { approvedAt: new Date(), approvedBy: a.approvedBy ?? null } : {}),
          },
        });
        for (const c of a.candidates) {
          const data = {
            unitId: c.unitId,
            title: c.title,
            summary: c.summary,
            material: c.material as unknown as Prisma.InputJsonValue,
            leadUnitId: c.leadUnitId,
            leaderInChargeId: c.leaderInChargeId ?? null,
            townshipApplies: c.townshipApplies,
            submittedBy: c.submittedBy,
            submittedAt: new Date(c.submittedAt),
            mutualVotes: c.mutualVotes,
            secondVotes: c.secondVotes,
            publicVotes: c.publicVotes,
            shortlistRank: c.shortlistRank ?? null,
            finalRank: c.finalRank ?? null,
            approved: c.approved,
            opinions: c.opinions as unknown as Prisma.InputJsonValue,
            rolloutId: c.rolloutId ?? null,
          };
          await tx.innovationCandidate.upsert({ where: { id: c.id }, create: { id: c.id, selectionId: a.selectionId, ...data }, update: data });
        }
        await writeEvent(tx, 'selection', a.selectionId, a.event);
        await writeObligations(tx, 'selection', a.workflowId, a.selectionId, '第十四条', obligations);
      });
    },

    /**
     * Closes a voting round and counts it. The phase change takes the row lock
     * the vote routes share (FOR SHARE): every ballot either committed before
     * it, or sees the round closed. Counting is one GROUP BY, however many ballots.
     */
    async closeSelectionRound(a: CloseRoundArgs): Promise<{ ballots: Record<string, number>; counts: Record<string, Record<string, number>> }> {
      const closingPhase = `${a.phase}_CLOSING`;
      await db.innovationSelection.updateMany({ where: { id: a.selectionId, phase: { in: [a.phase, closingPhase] } }, data: { phase: closingPhase } });
      const rounds = a.round === 'MUTUAL' ? ['MUTUAL'] : ['SECOND', 'PUBLIC'];
      const rows = await db.$queryRaw<Array<{ round: string; candidateId: string; n: number }>>`
        SELECT b.round, c AS "candidateId", count(*)::int AS n
        FROM "InnovationBallot" b, unnest(b."candidateIds") AS c
        WHERE b."selectionId" = ${a.selectionId} AND b.round = ANY(${rounds})
        GROUP BY b.round, c`;
      const totals = await db.innovationBallot.groupBy({ by: ['round'], where: { selectionId: a.selectionId, round: { in: rounds } }, _count: true });
      const counts: Record<string, Record<string, number>> = Object.fromEntries(rounds.map((r) => [r, {}]));
      for (const r of rows) counts[r.round][r.candidateId] = r.n;
      const ballots = Object.fromEntries(rounds.map((r) => [r, totals.find((t) => t.round === r)?._count ?? 0]));
      return { ballots, counts };
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

    async recordRollout(a: RecordRolloutArgs): Promise<void> {
      const accepted = a.state === 'ACCEPTED';
      const obligations: ObligationRow[] = a.duties.map((d) => ({
        key: `${a.workflowId}:${d.name}`,
        title: d.title,
        unitId: d.unitId,
        officialId: d.kind === 'LEAD_PLAN' && d.submittedAt ? a.meta.leaderInChargeId : undefined,
        dueAt: d.dueAt,
        status: d.doneAt ? 'DONE' : accepted ? 'CANCELLED' : 'OPEN',
      }));
      await db.$transaction(async (tx) => {
        const data = {
          selectionId: a.meta.selectionId,
          candidateId: a.meta.candidateId,
          workflowId: a.workflowId,
          title: a.meta.title,
          leadUnitId: a.meta.leadUnitId,
          leaderInChargeId: a.meta.leaderInChargeId ?? null,
          districtIds: a.meta.districtIds,
          townshipApplies: a.meta.townshipApplies,
          state: a.state,
          board: { duties: a.duties } as unknown as Prisma.InputJsonValue,
          reportDueAt: new Date(a.meta.reportDueAt),
          summaryDueAt: new Date(a.meta.summaryDueAt),
          startedAt: new Date(a.meta.startedAt),
          acceptedAt: a.acceptedAt ? new Date(a.acceptedAt) : null,
        };
        await tx.innovationRollout.upsert({ where: { id: a.rolloutId }, create: { id: a.rolloutId, ...data }, update: data });
        await writeEvent(tx, 'rollout', a.rolloutId, a.event);
        await writeObligations(tx, 'rollout', a.workflowId, a.rolloutId, '第十四条', obligations);
      }, { timeout: 30_000 });
    },

    async sendRolloutNotice(a: RolloutNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const names = await unitNames([a.leadUnitId, ...a.districtIds, ...(a.duty ? [a.duty.unitId] : []), REFORM_OFFICE_ID]);
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
