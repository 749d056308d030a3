// One workflow per half year selects the innovation experiences (第十四条):
// call for candidates → mutual voting among districts and special groups →
// shortlist → second vote by districts and departments with the public vote →
// top N chosen by the two votes combined (policy weights), ordered by the
// public vote → opinions of the city leaders in charge and lead departments →
// the director reviews the list and submits it to the main city leaders →
// their agreement starts one rollout child workflow per selected experience
// (a leader who disagrees returns the list to the director). Ballots are written to PostgreSQL by the API (high
// volume); the workflow counts them through an activity when a round closes.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  continueAsNew,
  currentUpdateInfo,
  condition,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SelectionNoticeKind } from '../../activities/innovationTexts';
import { deadlineAfter, describeDeadline } from '../../common/policy/calendar';
import { handleCalendarChanges, pending, type MovedDeadline } from '../calendar';
import { pickUnitPolicies } from '../../common/policy/scope';
import { runDuties } from '../duties';
import { Revisions } from '../records';
import { activities } from '../shared';
import { PHASE_WINDOW, selectionTimed, type SelectionTimed } from './duties';
import { rolloutId, rolloutWorkflowId, selectionWorkflowId, shanghaiHalf } from './ids';
import {
  agreeSelectionUpdate,
  approveSelectionUpdate,
  ballotCastUpdate,
  closeRoundUpdate,
  recordOpinionUpdate,
  selectionQuery,
  selectionReadyUpdate,
  submitCandidateUpdate,
  type Actor,
  type CandidateView,
  type RolloutInput,
  type SelectionCarried,
  type SelectionInput,
  type SelectionView,
  type SubmissionView,
} from './messages';
import { leadersAnswer, selectionObligations } from './obligations';
import { rolloutWorkflow } from './rollout';
import { combinedScore, finalRule, NEXT_PHASE, PHASE_LABELS, rankFinal, rankShortlist, type SelectionPhase } from './state';
import { scheduledAt, startPeriodOnce } from '../schedule';

const { recordChange, closeSelectionRound, sendSelectionNotice, innovationDistricts, selectionParticipants, resolveCyclePolicy } = activities;

const RULE = '第十四条';
const SHORTLIST_TIE_RULE = '按互评投票得票数排序；得票相同的，以申报时间在先者居前';

export async function selectionWorkflow(input: SelectionInput): Promise<SelectionView> {
  const p = input.policy.innovation.selection;
  const workflowId = workflowInfo().workflowId;
  const startedAt = new Date();
  // 第十四条: each round closes at the end of a day on the policy's calendar, counted from the round's start.
  const roundDeadline = (w: NonNullable<(typeof PHASE_WINDOW)[SelectionPhase]>, from: Date | string) => deadlineAfter(from, p[w], input.policy.calendar);
  const callDue = roundDeadline('callWindow', startedAt).at;
  const s: SelectionCarried = input.carried ?? {
    phase: 'CALL',
    phaseStartedAt: startedAt.toISOString(),
    phaseDueAt: callDue,
    phaseDue: { CALL: callDue },
    candidates: [],
    seq: 0,
    results: [],
    votes: {},
    participants: {},
    fired: [],
    rolloutIds: [],
    revision: 0,
  };
  const fired = new Set(s.fired);
  const revisions = new Revisions(s.revision);
  const carried = (): SelectionCarried => ({ ...s, fired: [...fired], revision: revisions.revision });
  /** Set synchronously by handlers; the duty loop acts on them. */
  let closeRequested: { phase: SelectionPhase; actor: Actor; note?: string } | undefined;
  let closing = false;
  let approvalRecorded = false;
  /** The phase whose opening is recorded: a closed round answers once the next one is. */
  let recordedPhase = s.phase;
  /** Set once the selection's start is recorded (a continued run started long ago). */
  let startRecorded = !!input.carried;

  const view = (): SelectionView => {
    const { fired: _f, seq: _s, ...rest } = carried();
    return { ...rest, selectionId: input.selectionId, policyVersion: input.policy.version };
  };
  const finalists = () => s.candidates.filter((c) => c.finalRank !== undefined).sort((a, b) => a.finalRank! - b.finalRank!);

  /**
   * Records the current state as the next revision, with the step that led
   * to it and the candidates it touched. Call where the state changed, before
   * any await. While a round is being counted the database's phase says so,
   * and the vote routes refuse ballots.
   */
  function record(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }, candidates: CandidateView[] = []): Promise<void> {
    const update = currentUpdateInfo();
    upsertSearchAttributes({ DubanState: [s.phase] });
    return recordChange({
      family: 'selection',
      workflowId,
      subjectId: input.selectionId,
      revision: revisions.next(),
      at: new Date().toISOString(),
      selection: {
        policyVersion: input.policy.version,
        phase: closing ? `${s.phase}_CLOSING` : s.phase,
        phaseDueAt: s.phaseDueAt,
        results: s.results,
        approvedBy: s.approvedBy,
        approvedAt: s.approvedAt,
        submission: s.submission,
        agreements: s.agreements ?? [],
      },
      candidates: JSON.parse(JSON.stringify(candidates)) as CandidateView[],
      event: event && { key: `${workflowId}:${update?.id ?? event.step}`, step: event.step, actorId: event.actor?.officialId, data: event.data },
      obligations: revisions.obligations(selectionObligations(s, workflowId, input.selectionId)),
    });
  }

  async function notify(kind: SelectionNoticeKind, step: string, offset: string, comment?: string): Promise<void> {
    await sendSelectionNotice({
      selectionId: input.selectionId,
      workflowId,
      kind,
      step,
      phase: s.phase,
      dueAt: s.phase === 'APPROVED' || s.phase === 'CANCELLED' ? undefined : s.phaseDueAt,
      candidateIds: s.phase === 'APPROVED' ? s.candidates.filter((c) => c.approved).map((c) => c.id) : undefined,
      comment,
      explanation: { rule: RULE, startEvent: `${PHASE_LABELS[s.phase]}开始`, startedAt: s.phaseStartedAt, offset, dueAt: s.phaseDueAt },
    });
  }

  /** Moves to a phase with its deadline (policy). Synchronous: a step's handler calls it before its first await. */
  function setPhase(phase: SelectionPhase): void {
    const now = new Date();
    s.phase = phase;
    s.phaseStartedAt = now.toISOString();
    const w = PHASE_WINDOW[phase];
    if (w) s.phaseDueAt = s.phaseDue[phase] = roundDeadline(w, now).at;
  }

  /** Opens the next phase and tells those who must act. */
  async function enter(phase: SelectionPhase, closed: CandidateView[]): Promise<void> {
    setPhase(phase);
    const w = PHASE_WINDOW[phase];
    const round = phase === 'MUTUAL_VOTE' ? 'MUTUAL' : phase === 'SECOND_VOTE' ? 'SECOND' : undefined;
    // 第十四条: the round's voting units each owe a ballot.
    if (round) s.votes[round] = { dueAt: s.phaseDueAt, voters: [...(await votersOf(round))], voted: [], closed: false };
    await record({ step: `enter-${phase}` }, closed);
    recordedPhase = phase;
    const kind: SelectionNoticeKind | undefined =
      phase === 'MUTUAL_VOTE' || phase === 'SECOND_VOTE' ? 'VOTE_OPEN' : phase === 'OPINIONS' ? 'OPINION_REQUEST' : phase === 'APPROVAL' ? 'APPROVAL_REQUEST' : undefined;
    if (kind) await notify(kind, `open-${phase}`, w ? describeDeadline(p[w], roundDeadline(w, s.phaseStartedAt)) : '即时');
  }

  let participants: Awaited<ReturnType<typeof selectionParticipants>> | undefined;
  async function votersOf(round: 'MUTUAL' | 'SECOND'): Promise<string[]> {
    participants ??= await selectionParticipants();
    return participants.voters[round];
  }

  /** Closes the current phase: counts a vote round, ranks, and moves on. */
  async function closePhase(): Promise<void> {
    const phase = s.phase;
    const by = closeRequested?.phase === phase ? closeRequested : undefined;
    closeRequested = undefined;
    if (phase === 'CALL' && s.candidates.length === 0) {
      s.phase = 'CANCELLED';
      await record({ step: 'cancelled', data: { reason: '征集期内没有候选经验' } });
      recordedPhase = s.phase;
      return;
    }
    // Until the next phase opens, the database says the phase is closing: the vote routes refuse ballots.
    closing = true;
    if (phase === 'MUTUAL_VOTE' || phase === 'SECOND_VOTE') {
      const round = phase === 'MUTUAL_VOTE' ? 'MUTUAL' : 'SECOND';
      await record(); // closing is recorded before the ballots are counted
      const r = await closeSelectionRound({ selectionId: input.selectionId, round });
      const count = (ballotRound: string, id: string) => r.counts[ballotRound]?.[id] ?? 0;
      if (round === 'MUTUAL') {
        for (const c of s.candidates) c.mutualVotes = count('MUTUAL', c.id);
        // 第十四条: a shortlist of 20 (policy) by the mutual vote.
        rankShortlist(s.candidates, p.shortlistSize).forEach((x, i) => {
          s.candidates.find((c) => c.id === x.id)!.shortlistRank = i + 1;
        });
      } else {
        for (const c of s.candidates) {
          c.secondVotes = count('SECOND', c.id);
          c.publicVotes = count('PUBLIC', c.id);
        }
        // 第十四条: the top 10 (policy) of the shortlist chosen by the two votes combined, ordered by the public vote.
        const ballots = { SECOND: r.ballots.SECOND ?? 0, PUBLIC: r.ballots.PUBLIC ?? 0 };
        const shortlist = s.candidates.filter((c) => c.shortlistRank !== undefined);
        for (const c of shortlist) c.combinedScore = combinedScore(c, p.finalCombination, ballots);
        rankFinal(shortlist, p.selectedCount, p.finalCombination, ballots).forEach((x, i) => {
          s.candidates.find((c) => c.id === x.id)!.finalRank = i + 1;
        });
      }
      const votes = s.votes[round]!;
      votes.voted = [...new Set([...votes.voted, ...r.voters])];
      votes.closed = true;
      s.results.push({ round, closedAt: new Date().toISOString(), ballots: r.ballots, counts: r.counts, tieRule: round === 'MUTUAL' ? SHORTLIST_TIE_RULE : finalRule(p.finalCombination) });
    }
    const next = NEXT_PHASE[phase]!;
    if (next === 'OPINIONS' || next === 'APPROVAL') {
      participants ??= await selectionParticipants();
      s.participants = { leaderInChargeId: participants.leaderInChargeId, directorId: participants.directorId, mainLeaderIds: participants.mainLeaderIds };
    }
    await record({ step: `close-${phase}`, actor: by?.actor, data: { early: !!by, note: by?.note } });
    closing = false;
    await enter(next, phase === 'MUTUAL_VOTE' || phase === 'SECOND_VOTE' ? s.candidates : []);
  }

  /** The main city leaders agreed to the submitted list: the rollouts start as child workflows that outlive this one. */
  async function finishApproval(a: SubmissionView): Promise<void> {
    const ids = a.candidateIds;
    ids.forEach((id, i) => {
      const c = s.candidates.find((x) => x.id === id)!;
      c.approved = true;
      c.rolloutId = rolloutId(input.selectionId, i + 1);
    });
    s.batchOpinion = { docNumber: a.opinionDocNumber, title: a.opinionTitle };
    const districtIds = await innovationDistricts();
    for (const id of ids) {
      const c = s.candidates.find((x) => x.id === id)!;
      const child: RolloutInput = {
        version: 1,
        rolloutId: c.rolloutId!,
        selectionId: input.selectionId,
        candidateId: c.id,
        title: c.title,
        leadUnitId: c.leadUnitId,
        leaderInChargeId: c.leaderInChargeId,
        districtIds,
        townshipApplies: c.townshipApplies,
        opinion: s.batchOpinion,
        policy: input.policy,
        unitPolicies: pickUnitPolicies(input.unitPolicies, [c.leadUnitId, ...districtIds]),
      };
      try {
        await startChild(rolloutWorkflow, {
          workflowId: rolloutWorkflowId(c.rolloutId!),
          args: [child],
          // Rollouts run for months after the selection has finished.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      } catch (err) {
        // Already started (a retried approval): the rollout is running, which is what we want.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      if (!s.rolloutIds.includes(c.rolloutId!)) s.rolloutIds.push(c.rolloutId!);
    }
    s.phase = 'APPROVED';
    s.phaseStartedAt = s.approvedAt = new Date().toISOString();
    // The official whose agreement completed the main leaders' answers.
    s.approvedBy = s.agreements?.at(-1)?.by;
    await record({ step: 'approved', data: { candidateIds: ids, opinionDocNumber: a.opinionDocNumber, opinionTitle: a.opinionTitle } }, s.candidates);
    approvalRecorded = true;
    await notify('RESULT', 'result', '即时');
  }

  // ---- handlers --------------------------------------------------------------

  setHandler(selectionQuery, view);
  setHandler(selectionReadyUpdate, async () => {
    await condition(() => startRecorded);
    return view();
  });

  setHandler(
    submitCandidateUpdate,
    async (a) => {
      s.seq += 1;
      const c: CandidateView = {
        id: `${input.selectionId}-c${String(s.seq).padStart(3, '0')}`,
        unitId: a.actor.unitId,
        title: a.title,
        summary: a.summary,
        material: a.material,
        leadUnitId: a.leadUnitId,
        leaderInChargeId: a.leaderInChargeId,
        townshipApplies: a.townshipApplies,
        submittedBy: a.actor.officialId,
        submittedAt: new Date().toISOString(),
        mutualVotes: 0,
        secondVotes: 0,
        publicVotes: 0,
        approved: false,
        opinions: [],
      };
      s.candidates.push(c);
      await record({ step: 'submitCandidate', actor: a.actor, data: { candidateId: c.id, title: c.title } }, [c]);
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'CALL' || closing) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，征集已截止`);
        const mine = s.candidates.filter((c) => c.unitId === a.actor.unitId).length;
        if (mine >= p.maxCandidatesPerUnit) throw new Error(`每个单位最多申报${p.maxCandidatesPerUnit}项创新改革经验`);
      },
    },
  );

  setHandler(
    recordOpinionUpdate,
    async (a) => {
      const c = s.candidates.find((x) => x.id === a.candidateId)!;
      c.opinions.push({ by: a.actor.officialId, unitId: a.actor.unitId, role: a.role, agree: a.agree, comment: a.comment, at: new Date().toISOString() });
      await record({ step: 'recordOpinion', actor: a.actor, data: { candidateId: a.candidateId, role: a.role, agree: a.agree, comment: a.comment } }, [c]);
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'OPINIONS' || closing) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不在征求意见期内`);
        const c = s.candidates.find((x) => x.id === a.candidateId);
        if (!c || c.finalRank === undefined) throw new Error(`候选经验 ${a.candidateId} 未入选，无需提出意见`);
        if (c.opinions.some((o) => o.by === a.actor.officialId)) throw new Error('您已对该经验提出意见');
      },
    },
  );

  setHandler(ballotCastUpdate, async ({ round, unitId }) => {
    // A round already closed counted the ballot from the database.
    const votes = s.votes[round];
    if (!votes || votes.closed || votes.voted.includes(unitId) || !votes.voters.includes(unitId)) return;
    votes.voted.push(unitId);
    await record();
  });

  setHandler(
    closeRoundUpdate,
    async (a) => {
      closeRequested = { phase: a.phase, actor: a.actor, note: a.note };
      await record({ step: 'closeRound', actor: a.actor, data: { phase: a.phase, note: a.note } });
      // Answer once the next phase is recorded, so the caller reads it back from the database.
      await condition(() => recordedPhase !== a.phase && !closing);
      return view();
    },
    {
      validator: (a) => {
        if (!PHASE_WINDOW[s.phase] || s.phase === 'APPROVAL') throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，没有可结束的轮次`);
        if (a.phase !== s.phase) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不是“${PHASE_LABELS[a.phase as SelectionPhase] ?? String(a.phase)}”`);
        if (closing || closeRequested) throw new Error('本轮正在结束');
      },
    },
  );

  setHandler(
    approveSelectionUpdate,
    async (a) => {
      // 第十四条: the director reviews the final list and submits it to the main city leaders.
      const ids = a.candidateIds ?? finalists().map((c) => c.id);
      ids.forEach((id, i) => {
        s.candidates.find((x) => x.id === id)!.finalRank = i + 1;
      });
      for (const c of s.candidates) if (!ids.includes(c.id)) c.finalRank = undefined;
      s.submissions = (s.submissions ?? 0) + 1;
      s.submission = { by: a.actor.officialId, at: new Date().toISOString(), candidateIds: ids, opinionDocNumber: a.opinionDocNumber, opinionTitle: a.opinionTitle, note: a.note };
      s.agreements = [];
      setPhase('LEADERS');
      await record({ step: 'approveSelection', actor: a.actor, data: { candidateIds: ids, opinionTitle: a.opinionTitle, note: a.note } }, s.candidates);
      recordedPhase = 'LEADERS';
      await notify('LEADERS_REQUEST', `open-LEADERS-${s.submissions}`, describeDeadline(p.leadersWindow, roundDeadline('leadersWindow', s.phaseStartedAt)));
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'APPROVAL') throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不能审核报送`);
        if (!s.participants.mainLeaderIds?.length) throw new Error('未设置市主要领导（市委深改组主要负责人），无法报送');
        if (a.candidateIds) {
          if (a.candidateIds.length === 0 || a.candidateIds.length > p.selectedCount) throw new Error(`推广名单应为1至${p.selectedCount}项`);
          if (new Set(a.candidateIds).size !== a.candidateIds.length) throw new Error('推广名单有重复');
          for (const id of a.candidateIds) {
            const c = s.candidates.find((x) => x.id === id);
            if (!c || c.shortlistRank === undefined) throw new Error(`候选经验 ${id} 不在入围名单中`);
          }
        } else if (finalists().length === 0) {
          throw new Error('没有入选经验');
        }
      },
    },
  );

  setHandler(
    agreeSelectionUpdate,
    async (a) => {
      s.agreements = [...(s.agreements ?? []), { by: a.actor.officialId, agree: a.agree, comment: a.comment, at: new Date().toISOString() }];
      const answer = leadersAnswer(s);
      if (answer === 'RETURNED') {
        // A main leader disagrees: the list goes back to the director, to be revised and submitted again.
        setPhase('APPROVAL');
        await record({ step: 'agreeSelection', actor: a.actor, data: { agree: a.agree, comment: a.comment } });
        recordedPhase = 'APPROVAL';
        await notify('RETURNED', `returned-${s.submissions ?? 0}`, describeDeadline(p.approvalWindow, roundDeadline('approvalWindow', s.phaseStartedAt)), a.comment);
        return view();
      }
      await record({ step: 'agreeSelection', actor: a.actor, data: { agree: a.agree, comment: a.comment } });
      // The last agreement: answer once the rollouts have started and the approval is recorded.
      if (answer === 'AGREED') await condition(() => approvalRecorded);
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'LEADERS') throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，没有待同意的推广名单`);
        if (!s.participants.mainLeaderIds?.includes(a.actor.officialId)) throw new Error('推广名单报市主要领导同意');
        if (s.agreements?.some((x) => x.by === a.actor.officialId)) throw new Error('您已对本次报送的推广名单提出意见');
      },
    },
  );

  // A new calendar moves the open round's deadline if it is not yet reached.
  handleCalendarChanges(
    input.policy,
    () => {
      const moved: MovedDeadline[] = [];
      const w = PHASE_WINDOW[s.phase];
      if (!w) return moved;
      const due = pending(s.phaseDueAt, Date.now(), () => roundDeadline(w, s.phaseStartedAt).at, s.phase, moved);
      if (!due) return moved;
      s.phaseDueAt = s.phaseDue[s.phase] = due;
      const round = s.phase === 'MUTUAL_VOTE' ? s.votes.MUTUAL : s.phase === 'SECOND_VOTE' ? s.votes.SECOND : undefined;
      if (round) round.dueAt = due;
      return moved;
    },
    (event) => record(event),
  );

  // ---- start -----------------------------------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['selection'] });
    await record({ step: 'call' });
    startRecorded = true;
    await notify('CALL', 'call', describeDeadline(p.callWindow, roundDeadline('callWindow', s.phaseStartedAt)));
  }

  // ---- timed duties ------------------------------------------------------------

  await runDuties<SelectionTimed>({
    due: () => selectionTimed(s, p, closeRequested?.phase === s.phase),
    fired,
    revision: () => revisions.revision,
    finished: () => s.phase === 'APPROVED' || s.phase === 'CANCELLED',
    continueAsNew: () => continueAsNew<typeof selectionWorkflow>({ ...input, carried: carried() }),
    async fire(t) {
      if (t.approve) return finishApproval(s.submission!);
      if (t.close) return closePhase();
      if (t.notice) await notify(t.notice.kind, t.key, t.notice.offset);
    },
  });
  return view();
}

/**
 * What the half-yearly Temporal Schedule starts (第十四条 每半年, worker/schedules.ts):
 * the half year's selection under its business id ("selection:2027-H1") with the
 * policies in force. A half year already started — running or finished, by
 * hand or by an earlier firing — is left alone.
 */
export async function selectionScheduleWorkflow(): Promise<{ selectionId: string; started: boolean }> {
  // The schedule's nominal time decides the half year, not a late start.
  const selectionId = shanghaiHalf(scheduledAt());
  // The policies in force, the city's and the units' own (第二十一条: handed on to the rollouts), as the cycle's starter resolves them.
  const { policy, unitPolicies } = await resolveCyclePolicy();
  return { selectionId, started: await startPeriodOnce(selectionWorkflow, selectionWorkflowId(selectionId), { version: 1, selectionId, policy, unitPolicies }) };
}
