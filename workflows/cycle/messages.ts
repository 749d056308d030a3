// The cycle workflow's input and messages, shared by the workflow, the API,
// the schedule and the tests. Importing this module has no side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { Subunit } from './scope';
import type { UnitPolicies } from '../../common/policy/scope';
import type { ContentArea, CyclePhase, CycleUnit, Indicator, RankedTeam, RankedUnit, ScoreEntry, Speakers, TeamRating } from './state';

/** The official acting, as established by the API from the bearer token. */
export interface Actor {
  officialId: string;
  unitId: string;
}

/** Versioned input: running workflows keep working when the shape grows. */
export interface CycleWorkflowInputV1 {
  version: 1;
  /** "YYYY-MM" on the Shanghai calendar. */
  month: string;
  policy: Policy;
  /** 第二十一条: units' own versions; a unit's report is due, reminded and chased under its own. */
  unitPolicies?: UnitPolicies;
  /** The inspection draw's seed; drawn inside the workflow (deterministically) when absent. */
  seed?: string;
  /** Who started it by hand (absent when the schedule did). */
  startedBy?: string;
  /** Set only by continue-as-new. */
  carried?: CycleState;
}
export type CycleWorkflowInput = CycleWorkflowInputV1;

export interface ReportItem {
  taskCode: string;
  progress: string;
  status: 'ON_TRACK' | 'DELAYED' | 'DONE';
}

export interface ProgressReport {
  unitId: string;
  submittedBy: string;
  submittedAt: string;
  /** The unit's due date it was judged against (absent in reports from before 第二十一条 ran: the month's). */
  dueAt?: string;
  onTime: boolean;
  summary: string;
  items: ReportItem[];
}

export interface Issue {
  title: string;
  detail?: string;
  /** 第八条: the content area the item belongs to (required at the API; absent in months recorded before). */
  area?: ContentArea;
}

/** 第十条（三）: an opinion or suggestion heard from the grassroots during an inspection, and where. */
export interface GrassrootsOpinion {
  /** The unit heard (a township, village, enterprise… often not in the organisation). */
  unit: string;
  text: string;
}

/** 第六条（四）(3): an on-site promotion meeting (现场推进会) in an advanced district, held "适时" (no timer). */
export interface PromotionMeeting {
  id: string;
  heldAt: string;
  /** The host district (one of the month's districts). */
  districtId: string;
  /** What was shown on site. */
  shown: string;
  /** The units invited. */
  attendeeUnitIds: string[];
  recordedBy: string;
  recordedAt: string;
}

/** 第六条（五）(3): a highlight of the city or of districts recommended upward (积极向上推介), through which channel, to whom. */
export interface UpwardRecommendation {
  id: string;
  /** The districts whose work it presents; empty: the city's own. */
  unitIds: string[];
  highlight: string;
  /** The channel (改革简报、信息专报、媒体…). */
  channel: string;
  /** The superior body it went to. */
  recipient: string;
  sentAt: string;
  recordedBy: string;
  recordedAt: string;
}

export interface Inspection {
  id: string;
  unitId: string;
  teamName: string;
  leaderId: string;
  /** 第十条（一）: a mutual inspection (互督互查) — the peer district or city special group inspecting; absent: top-down (以上督下). */
  peerUnitId?: string;
  reformOfficeIds: string[];
  specialGroupId?: string;
  departmentIds: string[];
  issues: Issue[];
  /** 第十条（三）: grassroots opinions heard (absent in months recorded before). */
  opinions?: GrassrootsOpinion[];
  createdBy: string;
  createdAt: string;
  unitSignedBy?: string;
  unitSignedAt?: string;
  leaderSignedBy?: string;
  leaderSignedAt?: string;
}

export interface Diagnosis {
  unitId: string;
  visitAt: string;
  dueAt: string;
  report?: string;
  filedBy?: string;
  filedAt?: string;
}

export interface Ranking {
  rankedAt: string;
  districts: RankedUnit[];
  specialGroups: RankedUnit[];
  /** 第十条（二）: the departments carrying reform tasks, ranked on their own indicators (absent in months before). */
  departments?: RankedUnit[];
  /** The departments' tie rule (their own tie-break indicators). */
  departmentTieRule?: string;
  tieRule: string;
  speakers: Speakers;
  improved: Array<{ unitId: string; from: number; to: number }>;
  annual: Record<string, { monthsCounted: number; average: number; figure?: number }>;
  teams?: RankedTeam[];
}

/** Everything the workflow remembers (and carries across continue-as-new). */
export interface CycleState {
  phase: CyclePhase;
  startedAt: string;
  reportDueAt: string;
  scoringAt: string;
  seed: string;
  units: CycleUnit[];
  /** 第七条: townships and district special groups an inspection of their district may reach. */
  subunits: Subunit[];
  indicators: Indicator[];
  targets: string[];
  reports: ProgressReport[];
  inspections: Inspection[];
  entries: ScoreEntry[];
  ratings: TeamRating[];
  ranking?: Ranking;
  diagnoses: Diagnosis[];
  /** 第六条（四）(3): on-site promotion meetings recorded this month (absent in states carried from before). */
  promotionMeetings?: PromotionMeeting[];
  /** 第六条（五）(3): highlights recommended upward this month (absent in states carried from before). */
  upwardRecommendations?: UpwardRecommendation[];
  /** The reform office closed scoring early (published the ranking before scoringAt). */
  closeRequested?: { by: string; at: string };
  fired: string[];
  seq: number;
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface CycleView extends Omit<CycleState, 'fired' | 'seq'> {
  month: string;
  policyVersion: string;
  quarter: boolean;
}

export interface ReportArgs {
  actor: Actor;
  unitId: string;
  summary: string;
  items: ReportItem[];
}
export interface InspectionArgs {
  actor: Actor;
  unitId: string;
  teamName: string;
  leaderId: string;
  /** 第十条（一）: the peer unit inspecting (互督互查); absent for the reform office's own inspections. */
  peerUnitId?: string;
  reformOfficeIds: string[];
  specialGroupId?: string;
  departmentIds: string[];
  issues: Issue[];
  opinions?: GrassrootsOpinion[];
}
export interface SignArgs {
  actor: Actor;
  inspectionId: string;
  /** UNIT: the inspected unit's responsible official; LEADER: the inspection team leader. */
  party: 'UNIT' | 'LEADER';
}
export interface ScoreArgs {
  actor: Actor;
  unitId: string;
  indicatorCode: string;
  value: number;
  override: boolean;
  reason?: string;
}
export interface TeamRatingArgs {
  actor: Actor;
  teamName: string;
  fairMethod: number;
  fairOrder: number;
  thorough: number;
  clean: number;
  comment?: string;
}
export interface DiagnosisArgs {
  actor: Actor;
  unitId: string;
  report: string;
}
export interface PromotionMeetingArgs {
  actor: Actor;
  heldAt: string;
  districtId: string;
  shown: string;
  attendeeUnitIds: string[];
}
export interface UpwardArgs {
  actor: Actor;
  unitIds: string[];
  highlight: string;
  channel: string;
  recipient: string;
  sentAt: string;
}
export interface CloseArgs {
  actor: Actor;
  note?: string;
}

export const submitReportUpdate = defineUpdate<CycleView, [ReportArgs]>('submitReport');
export const createInspectionUpdate = defineUpdate<CycleView, [InspectionArgs]>('createInspection');
export const signInspectionUpdate = defineUpdate<CycleView, [SignArgs]>('signInspection');
export const enterScoreUpdate = defineUpdate<CycleView, [ScoreArgs]>('enterScore');
export const rateTeamUpdate = defineUpdate<CycleView, [TeamRatingArgs]>('rateTeam');
export const closeScoringUpdate = defineUpdate<CycleView, [CloseArgs]>('closeScoring');
export const fileDiagnosisUpdate = defineUpdate<CycleView, [DiagnosisArgs]>('fileDiagnosis');
export const recordPromotionMeetingUpdate = defineUpdate<CycleView, [PromotionMeetingArgs]>('recordPromotionMeeting');
export const recommendUpwardUpdate = defineUpdate<CycleView, [UpwardArgs]>('recommendUpward');
export const cycleStateQuery = defineQuery<CycleView>('cycleState');
/** Answered once the month's start is recorded (its targets drawn, its row written): steps are accepted from then on. */
export const cycleReadyUpdate = defineUpdate<CycleView, []>('cycleReady');
