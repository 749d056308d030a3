// Input, steps and query of a year's standing duties (第十五条(一)(二),
// 第十七条(二)), shared by the workflow, the API and the tests. No side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { Brochure, DutiesPhase, Medium, Piece, RegularTraining, Training, Week } from './state';

export interface Actor {
  officialId: string;
  unitId: string;
}

export interface DutiesCarried {
  phase: DutiesPhase;
  startedAt: string;
  /** The media the year runs with (the policy's list when it started). */
  media: Medium[];
  /** The weeks begun so far, in order. */
  weeks: Week[];
  pieces: Piece[];
  brochure: Brochure;
  training: Training;
  trainings: RegularTraining[];
  /** When the year's last chase is past: the workflow then closes the year. */
  closesAt: string;
  closedAt?: string;
  seq: number;
  fired: string[];
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface DutiesInput {
  version: 1;
  year: number;
  policy: Policy;
  carried?: DutiesCarried;
}

export interface DutiesView extends Omit<DutiesCarried, 'fired' | 'seq'> {
  year: number;
  policyVersion: string;
}

export interface PiecesArgs {
  actor: Actor;
  pieces: Array<{ mediumId: string; title: string; publishedOn: string; link?: string; issue?: string }>;
}

export interface BrochureArgs {
  actor: Actor;
  distributedOn: string;
  copies: number;
  places: string[];
  note?: string;
}

export interface TrainingPlanArgs {
  actor: Actor;
  university: string;
  title: string;
  startsOn: string;
  endsOn: string;
  participantUnitIds: string[];
}

export interface TrainingHeldArgs {
  actor: Actor;
  attendees: number;
  note?: string;
}

export interface RegularTrainingArgs {
  actor: Actor;
  title: string;
  heldOn: string;
  participantUnitIds: string[];
  note?: string;
}

export const reportPiecesUpdate = defineUpdate<DutiesView, [PiecesArgs]>('reportDutyPieces');
export const distributeBrochureUpdate = defineUpdate<DutiesView, [BrochureArgs]>('distributeDutyBrochure');
export const planTrainingUpdate = defineUpdate<DutiesView, [TrainingPlanArgs]>('planDutyTraining');
export const trainingHeldUpdate = defineUpdate<DutiesView, [TrainingHeldArgs]>('holdDutyTraining');
export const regularTrainingUpdate = defineUpdate<DutiesView, [RegularTrainingArgs]>('recordDutyTraining');
export const dutiesQuery = defineQuery<DutiesView>('standingDuties');
/** Answers once the year's start is recorded: the start route's answer. */
export const dutiesReadyUpdate = defineUpdate<DutiesView, []>('standingDutiesReady');
