// One workflow per half year selects the innovation experiences (第十四条):
// call for candidates → mutual voting among districts and special groups →
// shortlist → second vote by districts and departments with the public vote →
// top N ordered by the public vote → opinions of the city leaders in charge
// and lead departments → the director's approval → one rollout child workflow
// per selected experience. Ballots are written to PostgreSQL by the API (high
// volume); the workflow counts them through an activity when a round closes.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activities, shouldContinueAsNew, type Alarm } from '../shared';
import type { SelectionNoticeKind } from '../../activities/innovationTexts';
import { addDuration, describeDuration, subtractDuration } from '../../common/policy/duration';
import { rolloutId, rolloutWorkflowId } from './ids';
import {
  approveSelectionUpdate,
  closeRoundUpdate,
  recordOpinionUpdate,
  selectionQuery,
  submitCandidateUpdate,
  type Actor,
  type ApproveArgs,
  type CandidateView,
  type RolloutInput,
  type SelectionCarried,
  type SelectionInput,
  type SelectionView,
} from './messages';
import { rolloutWorkflow } from './rollout';
import { FINAL_TIE_RULE, NEXT_PHASE, PHASE_LABELS, rankFinal, rankShortlist, type SelectionPhase } from './state';

const { recordSelection, closeSelectionRound, sendSelectionNotice, innovationDistricts } = activities;

const RULE = '第十四条';
const WINDOW: Record<string, 'callWindow' | 'mutualVoteWindow' | 'secondVoteWindow' | 'opinionWindow' | 'approvalWindow'> = {
  CALL: 'callWindow',
  MUTUAL_VOTE: 'mutualVoteWindow',
  SECOND_VOTE: 'secondVoteWindow',
  OPINIONS: 'opinionWindow',
  APPROVAL: 'approvalWindow',
};
const SHORTLIST_TIE_RULE = '按互评投票得票数排序；得票相同的，以申报时间在先者居前';


export async function selectionWorkflow(input: SelectionInput): Promise<SelectionView> {
  const p = input.policy.innovation.selection;
  const workflowId = workflowInfo().workflowId;
  const startedAt = new Date();
  const s: SelectionCarried = input.carried ?? {
    phase: 'CALL',
    phaseStartedAt: startedAt.toISOString(),
    phaseDueAt: addDuration(startedAt, p.callWindow).toISOString(),
    candidates: [],
    seq: 0,
    results: [],
    fired: [],
    rolloutIds: [],
  };
  const fired = new Set(s.fired);
  /** Set synchronously by handlers; the main loop acts on them. */
  let closeRequested: { phase: SelectionPhase; actor: Actor; note?: string } | undefined;
  let approval: ApproveArgs | undefined;
  let closing = false;
  let approvalRecorded = false;
  let rev = 0;

  const view = (): SelectionView => {
    const { fired: _f, seq: _s, ...rest } = s;
    return { ...rest, selectionId: input.selectionId, policyVersion: input.policy.version };
  };
  const finalists = () => s.candidates.filter((c) => c.finalRank !== undefined).sort((a, b) => a.finalRank! - b.finalRank!);

  async function persist(event?: { step: string; actor?: Actor; data?: Record<string, unknown> }): Promise<void> {
    const update = currentUpdateInfo();
    await recordSelection({
      selectionId: input.selectionId,
      workflowId,
      policyVersion: input.policy.version,
      phase: s.phase,
      phaseDueAt: s.phaseDueAt,
      candidates: s.candidates,
      results: s.results,
      approvedBy: s.approvedBy,
      event: event && {
        key: `${workflowId}:${update?.id ?? event.step}`,
        step: event.step,
        actorId: event.actor?.officialId,
        at: new Date().toISOString(),
        data: event.data,
      },
    });
    upsertSearchAttributes({ DubanState: [s.phase] });
  }

  async function notify(kind: SelectionNoticeKind, step: string, offset: string): Promise<void> {
    await sendSelectionNotice({
      selectionId: input.selectionId,
      workflowId,
      kind,
      step,
      phase: s.phase,
      dueAt: s.phase === 'APPROVED' || s.phase === 'CANCELLED' ? undefined : s.phaseDueAt,
      candidateIds: s.phase === 'APPROVED' ? s.candidates.filter((c) => c.approved).map((c) => c.id) : undefined,
      explanation: { rule: RULE, startEvent: `${PHASE_LABELS[s.phase]}开始`, startedAt: s.phaseStartedAt, offset, dueAt: s.phaseDueAt },
    });
  }

  /** Opens the next phase with its deadline (policy) and tells those who must act. */
  async function enter(phase: SelectionPhase): Promise<void> {
    const now = new Date();
    s.phase = phase;
    s.phaseStartedAt = now.toISOString();
    const w = WINDOW[phase];
    if (w) s.phaseDueAt = addDuration(now, p[w]).toISOString();
    rev++;
    await persist({ step: `enter-${phase}` });
    const kind: SelectionNoticeKind | undefined =
      phase === 'MUTUAL_VOTE' || phase === 'SECOND_VOTE' ? 'VOTE_OPEN' : phase === 'OPINIONS' ? 'OPINION_REQUEST' : phase === 'APPROVAL' ? 'APPROVAL_REQUEST' : undefined;
    if (kind) await notify(kind, `open-${phase}`, w ? describeDuration(p[w]) : '即时');
  }

  /** Closes the current phase: counts a vote round, ranks, and moves on. */
  async function closePhase(): Promise<void> {
    closing = true;
    try {
      const phase = s.phase;
      if (phase === 'CALL' && s.candidates.length === 0) {
        s.phase = 'CANCELLED';
        rev++;
        await persist({ step: 'cancelled', data: { reason: '征集期内没有候选经验' } });
        return;
      }
      if (phase === 'MUTUAL_VOTE' || phase === 'SECOND_VOTE') {
        const round = phase === 'MUTUAL_VOTE' ? 'MUTUAL' : 'SECOND';
        const r = await closeSelectionRound({ selectionId: input.selectionId, phase, round });
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
          // 第十四条: the top 10 (policy) of the shortlist, ordered by the public vote.
          rankFinal(s.candidates.filter((c) => c.shortlistRank !== undefined), p.selectedCount).forEach((x, i) => {
            s.candidates.find((c) => c.id === x.id)!.finalRank = i + 1;
          });
        }
        s.results.push({ round, closedAt: new Date().toISOString(), ballots: r.ballots, counts: r.counts, tieRule: round === 'MUTUAL' ? SHORTLIST_TIE_RULE : FINAL_TIE_RULE });
      }
      const by = closeRequested?.phase === phase ? closeRequested : undefined;
      closeRequested = undefined;
      await persist({ step: `close-${phase}`, actor: by?.actor, data: { early: !!by, note: by?.note } });
      await enter(NEXT_PHASE[phase]!);
    } finally {
      closing = false;
    }
  }

  /** The director approved: the rollouts start as child workflows that outlive this one. */
  async function finishApproval(a: ApproveArgs): Promise<void> {
    const ids = a.candidateIds ?? finalists().map((c) => c.id);
    ids.forEach((id, i) => {
      const c = s.candidates.find((x) => x.id === id)!;
      c.approved = true;
      c.finalRank = i + 1;
      c.rolloutId = rolloutId(input.selectionId, i + 1);
    });
    for (const c of s.candidates) if (!ids.includes(c.id) && c.finalRank !== undefined) c.finalRank = undefined;
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
        if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
      }
      if (!s.rolloutIds.includes(c.rolloutId!)) s.rolloutIds.push(c.rolloutId!);
    }
    s.phase = 'APPROVED';
    s.phaseStartedAt = new Date().toISOString();
    rev++;
    await persist({ step: 'approved', actor: a.actor, data: { candidateIds: ids, opinionDocNumber: a.opinionDocNumber, opinionTitle: a.opinionTitle, note: a.note } });
    approvalRecorded = true;
    await notify('RESULT', 'result', '即时');
  }

  // ---- handlers --------------------------------------------------------------

  setHandler(selectionQuery, view);

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
      rev++;
      await persist({ step: 'submitCandidate', actor: a.actor, data: { candidateId: c.id, title: c.title } });
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
      rev++;
      await persist({ step: 'recordOpinion', actor: a.actor, data: { candidateId: a.candidateId, role: a.role, agree: a.agree, comment: a.comment } });
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

  setHandler(
    closeRoundUpdate,
    async (a) => {
      closeRequested = { phase: a.phase, actor: a.actor, note: a.note };
      rev++;
      // Answer once the next phase is recorded, so the caller reads it back from the database.
      await condition(() => s.phase !== a.phase && !closing);
      return view();
    },
    {
      validator: (a) => {
        if (!WINDOW[s.phase] || s.phase === 'APPROVAL') throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，没有可结束的轮次`);
        if (a.phase !== s.phase) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不是“${PHASE_LABELS[a.phase as SelectionPhase] ?? String(a.phase)}”`);
        if (closing || closeRequested) throw new Error('本轮正在结束');
      },
    },
  );

  setHandler(
    approveSelectionUpdate,
    async (a) => {
      approval = a;
      s.approvedBy = a.actor.officialId;
      rev++;
      await condition(() => s.phase === 'APPROVED' && approvalRecorded);
      return view();
    },
    {
      validator: (a) => {
        if (s.phase !== 'APPROVAL' || s.approvedBy) throw new Error(`当前阶段为“${PHASE_LABELS[s.phase]}”，不能审定`);
        if (a.candidateIds) {
          if (a.candidateIds.length === 0 || a.candidateIds.length > p.selectedCount) throw new Error(`审定名单应为1至${p.selectedCount}项`);
          if (new Set(a.candidateIds).size !== a.candidateIds.length) throw new Error('审定名单有重复');
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

  // ---- start -----------------------------------------------------------------

  if (!input.carried) {
    upsertSearchAttributes({ DubanFamily: ['selection'] });
    await persist({ step: 'call' });
    await notify('CALL', 'call', describeDuration(p.callWindow));
  }

  /** Reminders before the phase deadline, and the director chased after the approval deadline. */
  function alarms(): Alarm[] {
    const out: Alarm[] = [];
    const phase = s.phase;
    const due = new Date(s.phaseDueAt);
    const start = new Date(s.phaseStartedAt).getTime();
    const w = WINDOW[phase];
    if (!w) return out;
    p.remindBefore.forEach((before, i) => {
      const at = subtractDuration(due, before).getTime();
      if (at > start) {
        out.push({ key: `${phase}:reminder-${i}`, at, fire: () => notify('REMINDER', `${phase}:reminder-${i}`, `${describeDuration(p[w])}（提前${describeDuration(before)}提醒）`) });
      }
    });
    if (phase === 'APPROVAL') {
      out.push({ key: 'APPROVAL:chase', at: due.getTime(), fire: () => notify('CHASE', 'APPROVAL:chase', describeDuration(p[w])) });
    }
    return out.filter((a) => !fired.has(a.key));
  }

  const opinionsComplete = () =>
    finalists().every((c) => c.opinions.some((o) => o.role === 'LEADER') && c.opinions.some((o) => o.role === 'LEAD_DEPARTMENT'));

  for (;;) {
    if (s.phase === 'APPROVED' || s.phase === 'CANCELLED') break;
    if (!closeRequested && !approval && (shouldContinueAsNew())) {
      // A close or approval arriving meanwhile is handled first (its handler waits for the loop).
      await condition(() => allHandlersFinished() || !!closeRequested || !!approval);
      if (!closeRequested && !approval) await continueAsNew<typeof selectionWorkflow>({ ...input, carried: { ...s, fired: [...fired] } });
    }
    if (s.phase === 'APPROVAL' && approval) {
      await finishApproval(approval);
      continue;
    }
    const now = Date.now();
    const deadlinePassed = s.phase !== 'APPROVAL' && now >= new Date(s.phaseDueAt).getTime();
    // Opinions close early once every finalist has both a leader's and its lead department's opinion.
    if (closeRequested?.phase === s.phase || deadlinePassed || (s.phase === 'OPINIONS' && opinionsComplete())) {
      await closePhase();
      continue;
    }
    const pending = alarms();
    const ready = pending.filter((a) => a.at <= now);
    if (ready.length) {
      for (const a of ready) {
        fired.add(a.key);
        await a.fire();
      }
      continue;
    }
    const times = pending.map((a) => a.at);
    if (s.phase !== 'APPROVAL') times.push(new Date(s.phaseDueAt).getTime());
    const next = times.length ? Math.min(...times) : undefined;
    const seen = rev;
    if (next === undefined) await condition(() => rev !== seen);
    else await condition(() => rev !== seen, Math.max(next - Date.now(), 1));
  }
  await condition(allHandlersFinished);
  return view();
}
