// The cycle workflow's input and messages, shared by the workflow, the API,
// the schedule and the tests. Importing this module has no side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { Subunit } from './scope';
import type { CyclePhase, CycleUnit, Indicator, RankedTeam, RankedUnit, ScoreEntry, Speakers, TeamRating } from './state';

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
  onTime: boolean;
  summary: string;
  items: ReportItem[];
}

export interface Issue {
  title: string;
  detail?: string;
}

export interface Inspection {
  id: string;
  unitId: string;
  teamName: string;
  leaderId: string;
  reformOfficeIds: string[];
  specialGroupId?: string;
  departmentIds: string[];
  issues: Issue[];
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
  reformOfficeIds: string[];
  specialGroupId?: string;
  departmentIds: string[];
  issues: Issue[];
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
export const cycleStateQuery = defineQuery<CycleView>('cycleState');
/** Answered once the month's start is recorded (its targets drawn, its row written): steps are accepted from then on. */
export const cycleReadyUpdate = defineUpdate<CycleView, []>('cycleReady');
