// The innovation family's rows (第十四条): the half-year selection with its
// candidates, and each experience's rollout with its board of duties.
import type { AgreementView, CandidateView, RoundResult, SubmissionView } from '../../workflows/innovation/messages';
import type { Duty } from '../../workflows/innovation/state';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface SelectionChange {
  family: 'selection';
  /** The selection's own fields (always sent whole). `phase` ends in _CLOSING while a round is being counted. */
  selection: {
    policyVersion: string;
    phase: string;
    phaseDueAt?: string;
    results: RoundResult[];
    approvedBy?: string;
    approvedAt?: string;
    /** The director's submission to the main city leaders, and their answers to it (第十四条). */
    submission?: SubmissionView;
    agreements?: AgreementView[];
  };
  /** The candidates this change touched. */
  candidates?: CandidateView[];
}

export interface RolloutChange {
  family: 'rollout';
  /** The rollout's fields and its board of duties (always sent whole: a few dozen duties). */
  rollout: {
    selectionId: string;
    candidateId: string;
    title: string;
    leadUnitId: string;
    leaderInChargeId?: string;
    districtIds: string[];
    townshipApplies: boolean;
    state: string;
    duties: Duty[];
    startedAt: string;
    reportDueAt: string;
    summaryDueAt: string;
    acceptedAt?: string;
  };
}

export async function writeSelection(tx: Tx, selectionId: string, workflowId: string, revision: number, c: SelectionChange): Promise<void> {
  const s = c.selection;
  const row = {
    workflowId,
    phase: s.phase,
    phaseDueAt: date(s.phaseDueAt),
    rounds: json(Object.fromEntries(s.results.map((r) => [r.round, r]))),
    policyVersion: s.policyVersion,
    approvedBy: s.approvedBy ?? null,
    approvedAt: date(s.approvedAt),
    submittedBy: s.submission?.by ?? null,
    submittedAt: date(s.submission?.at),
    agreements: json(s.agreements ?? []),
    revision,
  };
  await writeIfNewer({
    update: () => tx.innovationSelection.updateMany({ where: { id: selectionId, ...olderThan(revision) }, data: row }),
    create: () => tx.innovationSelection.createMany({ data: [{ id: selectionId, ...row }], skipDuplicates: true }),
  });
  for (const cand of c.candidates ?? []) {
    const data = {
      unitId: cand.unitId,
      title: cand.title,
      summary: cand.summary,
      material: json(cand.material),
      leadUnitId: cand.leadUnitId,
      leaderInChargeId: cand.leaderInChargeId ?? null,
      townshipApplies: cand.townshipApplies,
      submittedBy: cand.submittedBy,
      submittedAt: new Date(cand.submittedAt),
      mutualVotes: cand.mutualVotes,
      secondVotes: cand.secondVotes,
      publicVotes: cand.publicVotes,
      combinedScore: cand.combinedScore ?? null,
      shortlistRank: cand.shortlistRank ?? null,
      finalRank: cand.finalRank ?? null,
      approved: cand.approved,
      opinions: json(cand.opinions),
      rolloutId: cand.rolloutId ?? null,
      revision,
    };
    await writeIfNewer({
      update: () => tx.innovationCandidate.updateMany({ where: { id: cand.id, ...olderThan(revision) }, data }),
      create: () => tx.innovationCandidate.createMany({ data: [{ id: cand.id, selectionId, ...data }], skipDuplicates: true }),
    });
  }
}

export async function writeRollout(tx: Tx, rolloutId: string, workflowId: string, revision: number, c: RolloutChange): Promise<void> {
  const r = c.rollout;
  const row = {
    selectionId: r.selectionId,
    candidateId: r.candidateId,
    workflowId,
    title: r.title,
    leadUnitId: r.leadUnitId,
    leaderInChargeId: r.leaderInChargeId ?? null,
    districtIds: r.districtIds,
    townshipApplies: r.townshipApplies,
    state: r.state,
    board: json({ duties: r.duties }),
    reportDueAt: new Date(r.reportDueAt),
    summaryDueAt: new Date(r.summaryDueAt),
    startedAt: new Date(r.startedAt),
    acceptedAt: date(r.acceptedAt),
    revision,
  };
  await writeIfNewer({
    update: () => tx.innovationRollout.updateMany({ where: { id: rolloutId, ...olderThan(revision) }, data: row }),
    create: () => tx.innovationRollout.createMany({ data: [{ id: rolloutId, ...row }], skipDuplicates: true }),
  });
}
