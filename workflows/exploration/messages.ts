// Input, steps and query of the yearly innovation-items workflow (第十二条),
// shared by the workflow, the API and the tests. No side effects.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { ExplorationItem, ExplorationPhase, ExplorationSetup, ItemKind, NewItem, TrackingRound } from './state';

export interface Actor {
  officialId: string;
  unitId: string;
}

export interface ExplorationCarried {
  phase: ExplorationPhase;
  /** When each phase opened and, for the timed ones, its deadline as set then. */
  phases: Partial<Record<ExplorationPhase, { startedAt: string; dueAt?: string }>>;
  setup: ExplorationSetup;
  items: ExplorationItem[];
  seq: number;
  rounds: TrackingRound[];
  /** Chases sent per obligation name (the reminders and chases are duties). */
  chases: Record<string, number>;
  approvedAt?: string;
  closedAt?: string;
  fired: string[];
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface ExplorationInput {
  version: 1;
  /** The year of the call, e.g. "2027". */
  year: string;
  policy: Policy;
  carried?: ExplorationCarried;
}

export interface ExplorationView extends Omit<ExplorationCarried, 'fired' | 'seq' | 'chases'> {
  year: string;
  /** Tracking ends with the year (Asia/Shanghai). */
  endsAt: string;
  policyVersion: string;
}

export interface SubmitItemArgs {
  actor: Actor;
  title: string;
  summary: string;
  kind: ItemKind;
  groupId: string;
}

export interface Decision {
  itemId: string;
  passed: boolean;
  comment?: string;
}

export interface ReviewArgs {
  actor: Actor;
  decisions: Decision[];
}

export interface GroupReviewArgs extends ReviewArgs {
  groupId: string;
}

export interface ProgressArgs {
  actor: Actor;
  round: number;
  reports: Array<{ itemId: string; text: string }>;
}

export interface CommentArgs {
  actor: Actor;
  round: number;
  text: string;
}

/** 第十二条(三) 调整补充完善: the office adds items to the tracking or withdraws some, with its reason. */
export interface AdjustItemsArgs {
  actor: Actor;
  add: NewItem[];
  withdraw: string[];
  reason: string;
}

export interface ClosePhaseArgs {
  actor: Actor;
  phase: ExplorationPhase;
  note?: string;
}

export const submitItemUpdate = defineUpdate<ExplorationView, [SubmitItemArgs]>('submitItem');
export const groupReviewUpdate = defineUpdate<ExplorationView, [GroupReviewArgs]>('groupReview');
export const officeReviewUpdate = defineUpdate<ExplorationView, [ReviewArgs]>('officeReview');
export const approveItemsUpdate = defineUpdate<ExplorationView, [ReviewArgs]>('approveItems');
export const reportProgressUpdate = defineUpdate<ExplorationView, [ProgressArgs]>('reportProgress');
export const commentRoundUpdate = defineUpdate<ExplorationView, [CommentArgs]>('commentRound');
export const adjustItemsUpdate = defineUpdate<ExplorationView, [AdjustItemsArgs]>('adjustItems');
export const closePhaseUpdate = defineUpdate<ExplorationView, [ClosePhaseArgs]>('closePhase');
export const explorationQuery = defineQuery<ExplorationView>('exploration');
/** Answers once the year's start (and its January notice) is recorded: the start route's answer. */
export const explorationReadyUpdate = defineUpdate<ExplorationView, []>('explorationReady');
