// Inputs and messages of the innovation selection and rollout workflows,
// shared by the workflows, the API and the tests. No side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { UnitPolicies } from '../../common/policy/scope';
import type { AcceptancePeriod, Duty, RolloutState, SelectionPhase } from './state';

export interface Actor {
  officialId: string;
  unitId: string;
}

// ---- selection ---------------------------------------------------------------

export interface MaterialItem {
  name: string;
  url?: string;
  text?: string;
}

export interface CandidateView {
  id: string;
  unitId: string;
  title: string;
  summary: string;
  material: MaterialItem[];
  leadUnitId: string;
  leaderInChargeId?: string;
  townshipApplies: boolean;
  submittedBy: string;
  submittedAt: string;
  mutualVotes: number;
  secondVotes: number;
  publicVotes: number;
  /** 第十四条: the weighted combination of the second-round and public votes that chose the final list. */
  combinedScore?: number;
  shortlistRank?: number;
  finalRank?: number;
  approved: boolean;
  opinions: OpinionView[];
  rolloutId?: string;
}

export interface OpinionView {
  by: string;
  unitId: string;
  role: 'LEADER' | 'LEAD_DEPARTMENT';
  agree: boolean;
  comment?: string;
  at: string;
}

/** A main city leader's answer to the submitted list (第十四条). */
export interface AgreementView {
  by: string;
  agree: boolean;
  comment?: string;
  at: string;
}

/** The director's submission of the final list to the main city leaders. */
export interface SubmissionView {
  by: string;
  at: string;
  candidateIds: string[];
  opinionDocNumber: string;
  opinionTitle: string;
  note?: string;
}

/** What a closed round produced: kept so the result can be explained. */
export interface RoundResult {
  round: 'MUTUAL' | 'SECOND';
  closedAt: string;
  ballots: Record<string, number>; // per ballot round (MUTUAL | SECOND | PUBLIC)
  counts: Record<string, Record<string, number>>; // round → candidate → votes
  tieRule: string;
}

/** An official voting round's electorate: who must vote by when, who has. */
export interface VoteObligations {
  dueAt: string;
  voters: string[];
  voted: string[];
  closed: boolean;
}

export interface SelectionCarried {
  phase: SelectionPhase;
  phaseStartedAt: string;
  phaseDueAt: string;
  /** Each phase's deadline as it was set when the phase opened. */
  phaseDue: Partial<Record<SelectionPhase, string>>;
  candidates: CandidateView[];
  seq: number;
  results: RoundResult[];
  /** Who owes a ballot in each official round. */
  votes: Partial<Record<'MUTUAL' | 'SECOND', VoteObligations>>;
  /** Who is asked when a candidate names nobody: the default leader in charge; the director; the main city leaders. */
  participants: { leaderInChargeId?: string; directorId?: string; mainLeaderIds?: string[] };
  fired: string[];
  rolloutIds: string[];
  /** The director's submission to the main city leaders (the latest; a returned list is submitted again). */
  submission?: SubmissionView;
  /** How many times the director has submitted the list (keys each round's reminders and chases). */
  submissions?: number;
  /** The main city leaders' answers to the current submission. */
  agreements?: AgreementView[];
  /** Set once the main city leaders have agreed: the director who submitted and the time of the agreement. */
  approvedBy?: string;
  approvedAt?: string;
  batchOpinion?: { docNumber: string; title: string };
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface SelectionInputV1 {
  version: 1;
  selectionId: string; // "2026-H2"
  policy: Policy;
  /** 第二十一条: units' own versions, handed on to the rollouts (each district's and lead department's duties). */
  unitPolicies?: UnitPolicies;
  carried?: SelectionCarried;
}
export type SelectionInput = SelectionInputV1;

export interface SelectionView extends Omit<SelectionCarried, 'fired' | 'seq'> {
  selectionId: string;
  policyVersion: string;
}

export interface SubmitCandidateArgs {
  actor: Actor;
  title: string;
  summary: string;
  material: MaterialItem[];
  leadUnitId: string;
  leaderInChargeId?: string;
  townshipApplies: boolean;
}
export interface OpinionArgs {
  actor: Actor;
  candidateId: string;
  role: OpinionView['role'];
  agree: boolean;
  comment?: string;
}
/** The director reviews the list and submits it to the main city leaders (第十四条). */
export interface ApproveArgs {
  actor: Actor;
  /** The final list in order; defaults to the ranked top N. */
  candidateIds?: string[];
  /** The reform office's 实施意见 for the batch (第十四条 rollout step 1). */
  opinionDocNumber: string;
  opinionTitle: string;
  note?: string;
}
/** A main city leader agrees to the submitted list, or returns it to the director. */
export interface AgreementArgs {
  actor: Actor;
  agree: boolean;
  comment?: string;
}
export interface CloseRoundArgs {
  actor: Actor;
  phase: SelectionPhase;
  note?: string;
}

export const submitCandidateUpdate = defineUpdate<SelectionView, [SubmitCandidateArgs]>('submitCandidate');
export const recordOpinionUpdate = defineUpdate<SelectionView, [OpinionArgs]>('recordOpinion');
export const approveSelectionUpdate = defineUpdate<SelectionView, [ApproveArgs]>('approveSelection');
export const agreeSelectionUpdate = defineUpdate<SelectionView, [AgreementArgs]>('agreeSelection');
export const closeRoundUpdate = defineUpdate<SelectionView, [CloseRoundArgs]>('closeRound');
export const selectionQuery = defineQuery<SelectionView>('selection');
/** Answered once the selection's start (the call) is recorded. */
export const selectionReadyUpdate = defineUpdate<SelectionView, []>('selectionReady');
/** Sent by the vote route once a unit's official ballot is stored: its obligation to vote is met (answered once recorded). */
export const ballotCastUpdate = defineUpdate<void, [{ round: 'MUTUAL' | 'SECOND'; unitId: string }]>('ballotCast');

// ---- rollout -----------------------------------------------------------------

export interface RolloutCarried {
  state: RolloutState;
  startedAt: string;
  duties: Duty[];
  fired: string[];
  bulletins: number;
  problemSeq: number;
  meetingAt?: string;
  acceptedAt?: string;
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface RolloutInputV1 {
  version: 1;
  rolloutId: string; // "2026-H2-01"
  selectionId: string;
  candidateId: string;
  title: string;
  leadUnitId: string;
  leaderInChargeId?: string;
  districtIds: string[];
  townshipApplies: boolean;
  /** The reform office's 实施意见 that starts the clocks. */
  opinion: { docNumber: string; title: string };
  policy: Policy;
  /** 第二十一条: the own versions of the lead department and districts; their duties run under them. */
  unitPolicies?: UnitPolicies;
  carried?: RolloutCarried;
}
export type RolloutInput = RolloutInputV1;

export interface RolloutView {
  rolloutId: string;
  title: string;
  state: RolloutState;
  startedAt: string;
  acceptance: AcceptancePeriod;
  duties: Duty[];
  bulletins: number;
  policyVersion: string;
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface RolloutStepArgs {
  actor: Actor;
  note?: string;
}
export interface DocumentArgs extends RolloutStepArgs {
  docNumber?: string;
  title: string;
}
export interface ApprovalArgs extends RolloutStepArgs {
  approved: boolean;
}
export interface DistrictArgs extends RolloutStepArgs {
  districtId: string;
}
export interface DistrictPlanArgs extends DistrictArgs {
  opinionTitle: string;
  planTitle: string;
}
export interface TownshipArgs extends DistrictArgs {
  townshipIds: string[];
}
export interface MeetingArgs extends RolloutStepArgs {
  /** A district's own deployment meeting; without it, the city's. */
  districtId?: string;
  heldAt: string;
  place?: string;
}
export interface ProblemsArgs extends RolloutStepArgs {
  problems: Array<{ unitId: string; description: string }>;
}
export interface RectificationArgs extends RolloutStepArgs {
  dutyName: string;
  plan: string;
}
export interface AcceptanceReportArgs extends RolloutStepArgs {
  unitId: string;
  report: string;
}

/** The reform office's summary with its verdict on each unit that reported (第十四条 acceptance). */
export interface SummaryArgs extends DocumentArgs {
  verdicts: Array<{ unitId: string; passed: boolean; comment?: string }>;
}

export const submitLeadPlanUpdate = defineUpdate<RolloutView, [DocumentArgs]>('submitLeadPlan');
export const approveLeadPlanUpdate = defineUpdate<RolloutView, [ApprovalArgs]>('approveLeadPlan');
export const recordMeetingUpdate = defineUpdate<RolloutView, [MeetingArgs]>('recordMeeting');
export const submitDistrictPlanUpdate = defineUpdate<RolloutView, [DistrictPlanArgs]>('submitDistrictPlan');
export const approveDistrictPlanUpdate = defineUpdate<RolloutView, [DistrictArgs & ApprovalArgs]>('approveDistrictPlan');
export const reportTownshipsUpdate = defineUpdate<RolloutView, [TownshipArgs]>('reportTownships');
export const recordProblemsUpdate = defineUpdate<RolloutView, [ProblemsArgs]>('recordProblems');
export const submitRectificationUpdate = defineUpdate<RolloutView, [RectificationArgs]>('submitRectification');
export const submitAcceptanceReportUpdate = defineUpdate<RolloutView, [AcceptanceReportArgs]>('submitAcceptanceReport');
export const submitSummaryUpdate = defineUpdate<RolloutView, [SummaryArgs]>('submitSummary');
export const rolloutQuery = defineQuery<RolloutView>('rollout');
