// The annual evaluation's input and messages, shared by the workflow, the API
// and the tests. Importing this module has no side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { DepartmentScore, EvaluationPhase, EvaluationPlan, EvaluationReport, Experience, FollowUp, Finding, ReportResult, SelfScore, Visit } from './state';

/** The official completing a step, as established by the API from the bearer token. */
export interface Actor {
  officialId: string;
  unitId: string;
}

/** Versioned input: running workflows keep working when the shape grows. */
export interface EvaluationWorkflowInputV1 {
  version: 1;
  /** The year the evaluation runs in (its March); it evaluates the year before. */
  year: number;
  policy: Policy;
  /** The site-visit draw's seed; drawn inside the workflow (deterministically) when absent. */
  seed?: string;
  startedBy?: string;
  /** Set only by continue-as-new. */
  carried?: EvaluationState;
}
export type EvaluationWorkflowInput = EvaluationWorkflowInputV1;

/** Everything the workflow must remember across continue-as-new. */
export interface EvaluationState {
  phase: EvaluationPhase;
  seed: string;
  startedAt: string;
  planDueAt: string;
  /** Last year's innovation experiences, read at the start (第十四条（三）). */
  experiences: Experience[];
  plan?: EvaluationPlan;
  plannedAt?: string;
  selfScores: SelfScore[];
  departmentScores: DepartmentScore[];
  visits: Visit[];
  report?: EvaluationReport;
  review?: { approved: boolean; note?: string; by: string; at: string };
  decision?: { publish: boolean; channels: string[]; note?: string; by: string; at: string };
  followUps: FollowUp[];
  fired: string[];
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface EvaluationView extends Omit<EvaluationState, 'fired'> {
  year: number;
  policyVersion: string;
  districts: string[];
  departments: string[];
}

export interface StepArgs {
  actor: Actor;
  note?: string;
}
export interface PlanArgs extends StepArgs {
  plan: EvaluationPlan;
}
export interface SelfScoreArgs extends StepArgs {
  unitId: string;
  scores: Record<string, number>;
  chosen: string[];
}
export interface DepartmentScoreArgs extends StepArgs {
  unitId: string;
  scores: Record<string, Record<string, number>>;
  material: string;
}
export interface ReportArgs extends StepArgs {
  title: string;
  summary: string;
  results: ReportResult[];
  findings: Finding[];
}
export interface ReviewArgs extends StepArgs {
  approved: boolean;
}
export interface DecisionArgs extends StepArgs {
  publish: boolean;
  channels: string[];
}
export interface FollowUpArgs extends StepArgs {
  followUpId: string;
  outcome: string;
}

export const submitPlanUpdate = defineUpdate<EvaluationView, [PlanArgs]>('submitPlan');
export const submitSelfScoreUpdate = defineUpdate<EvaluationView, [SelfScoreArgs]>('submitSelfScore');
export const submitDepartmentScoreUpdate = defineUpdate<EvaluationView, [DepartmentScoreArgs]>('submitDepartmentScore');
export const submitEvaluationReportUpdate = defineUpdate<EvaluationView, [ReportArgs]>('submitEvaluationReport');
export const reviewEvaluationReportUpdate = defineUpdate<EvaluationView, [ReviewArgs]>('reviewEvaluationReport');
export const recordDecisionUpdate = defineUpdate<EvaluationView, [DecisionArgs]>('recordDecision');
export const closeFollowUpUpdate = defineUpdate<EvaluationView, [FollowUpArgs]>('closeFollowUp');
/** Answers once the start (the experiences read, the first record written) is recorded. */
export const evaluationReadyUpdate = defineUpdate<EvaluationView, []>('evaluationReady');
export const evaluationQuery = defineQuery<EvaluationView>('evaluation');
