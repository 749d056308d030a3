// The pilot workflow's input and messages, shared by the workflow, the API and
// the tests. Importing this module has no side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { PilotLevel, PilotOrigin, PilotState } from './state';

/** The official completing a step, as established by the API from the bearer token. */
export interface Actor {
  officialId: string;
  unitId: string;
}

/** 第十一条（五）: the ledger of a pilot won — its leader, goals, time limit and use of results. */
export interface PilotPlan {
  /** 牵头领导: the official leading it. */
  leaderId: string;
  goals: string;
  /** 时限: the pilot is to be completed by then. */
  dueAt: string;
  /** 成果运用: how its results are to be used. */
  resultsUse: string;
}

/** Versioned input: running workflows keep working when the shape grows. */
export interface PilotWorkflowInputV1 {
  version: 1;
  pilotId: string;
  origin: PilotOrigin;
  title: string;
  /** WON: who granted it. */
  level?: PilotLevel;
  /** WON: the lead unit; EXPERIENCE: the unit whose experience it is. */
  leadUnitId: string;
  participantUnitIds: string[];
  /** WON only. */
  plan?: PilotPlan;
  /** EXPERIENCE: applies city-wide (第十三条: then reported to both the central and provincial offices). */
  cityWide?: boolean;
  policy: Policy;
  /** Set only by continue-as-new. */
  carried?: PilotCarried;
}
export type PilotWorkflowInput = PilotWorkflowInputV1;

export interface ProgressReport {
  /** The dispatch it answers (1, 2, …), or absent for a report between dispatches. */
  dispatch?: number;
  at: string;
  note: string;
  /** 第十一条（六）: a good practice worth summarising. */
  goodPractice?: string;
}

/** Everything the workflow must remember across continue-as-new. */
export interface PilotCarried {
  state: PilotState;
  startedAt: string;
  plan?: PilotPlan;
  /** The monthly dispatches sent so far (第十一条（六）): when, and when their progress report is due. */
  dispatches: Array<{ at: string; dueAt: string }>;
  progress: ProgressReport[];
  acceptanceRequestedAt?: string;
  /** The reform office's acceptance is due then (policy, from the request). */
  acceptanceDueAt?: string;
  acceptedAt?: string;
  /** The upward report is due then (policy, from the acceptance or the experience's registration). */
  upwardDueAt?: string;
  /** Failed acceptances so far. */
  rejections: number;
  reportedAt?: string;
  reportedTo?: PilotLevel[];
  fired: string[];
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface PilotView extends Omit<PilotCarried, 'fired'> {
  pilotId: string;
  origin: PilotOrigin;
  title: string;
  leadUnitId: string;
  policyVersion: string;
}

export interface StepArgs {
  actor: Actor;
  note?: string;
}
export interface ProgressArgs extends StepArgs {
  note: string;
  goodPractice?: string;
}
export interface RevisePlanArgs extends StepArgs {
  goals?: string;
  dueAt?: string;
}
export interface AcceptanceArgs extends StepArgs {
  approved: boolean;
}
export interface UpwardArgs extends StepArgs {
  to: PilotLevel[];
  summary: string;
}

export const reportProgressUpdate = defineUpdate<PilotView, [ProgressArgs]>('reportPilotProgress');
export const revisePlanUpdate = defineUpdate<PilotView, [RevisePlanArgs]>('revisePilotPlan');
export const requestAcceptanceUpdate = defineUpdate<PilotView, [StepArgs]>('requestPilotAcceptance');
export const acceptanceUpdate = defineUpdate<PilotView, [AcceptanceArgs]>('pilotAcceptance');
export const reportUpwardUpdate = defineUpdate<PilotView, [UpwardArgs]>('reportPilotUpward');
export const pilotQuery = defineQuery<PilotView>('pilotState');
/** Answers once the registration is recorded: the registration route's answer shows the pilot running. */
export const pilotReadyUpdate = defineUpdate<PilotView, []>('pilotReady');
