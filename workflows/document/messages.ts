// The document workflow's input and messages, shared by the workflow, the
// API and the tests. Importing this module has no side effects.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { DocumentLevel, DocumentState } from './state';

/** The official completing a step, as established by the API from the bearer token. */
export interface Actor {
  officialId: string;
  unitId: string;
}

export interface LedgerTaskInput {
  title: string;
  unitId: string;
  ownerId: string;
  dueAt: string;
}

export interface LedgerTaskView extends LedgerTaskInput {
  id: string;
  status: 'OPEN' | 'CLOSED';
  closedAt?: string;
}

/** Versioned input: running workflows keep working when the shape grows. */
export interface DocumentWorkflowInputV1 {
  version: 1;
  documentId: string;
  docNumber: string;
  level: DocumentLevel;
  title: string;
  receivedAt: string;
  leadUnitId?: string;
  participantUnitIds: string[];
  /** The CENTRAL ↔ PROVINCIAL partner, when already known at arrival. */
  linkedDocNumber?: string;
  policy: Policy;
  /** Set only by continue-as-new. */
  carried?: CarriedState;
}
export type DocumentWorkflowInput = DocumentWorkflowInputV1;

/** Everything the workflow must remember across continue-as-new. */
export interface CarriedState {
  state: DocumentState;
  assignedAt?: string;
  draftDueAt?: string;
  dueAt?: string;
  draftSubmittedAt?: string;
  issuedAt?: string;
  leadUnitId?: string;
  responsibleIds?: string[];
  linkedDocNumber?: string;
  exemptReason?: string;
  fired: string[];
  followUps: number;
  tasks: LedgerTaskView[];
  taskSeq: number;
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface DocumentView extends Omit<CarriedState, 'fired' | 'taskSeq'> {
  docNumber: string;
  level: DocumentLevel;
  policyVersion: string;
  chased: boolean;
  ordered: boolean;
}

export interface StepArgs {
  actor: Actor;
  note?: string;
}
export interface ReviewArgs extends StepArgs {
  approved: boolean;
}
export interface OpenLedgerArgs extends StepArgs {
  leadLeaderId: string;
  draftingUnitId: string;
  timeline: Array<{ milestone: string; dueAt: string }>;
  tasks: LedgerTaskInput[];
}
export interface IssuanceArgs extends StepArgs {
  municipalDocNumber: string;
  municipalTitle: string;
  districtIds: string[];
}
export interface ExemptionArgs extends StepArgs {
  reason: string;
}
export interface TaskArgs extends StepArgs {
  taskId: string;
}
export interface ReassignArgs extends StepArgs {
  /** "document" for the lead unit's responsible officials, or a ledger task id. */
  target: string;
  toOfficialIds: string[];
}
export interface ManualChaseArgs extends StepArgs {
  /** "draft", "issuance" or a ledger task id. */
  obligation: string;
}

export const acknowledgeUpdate = defineUpdate<DocumentView, [StepArgs]>('acknowledge');
export const openLedgerUpdate = defineUpdate<DocumentView, [OpenLedgerArgs]>('openLedger');
export const submitDraftUpdate = defineUpdate<DocumentView, [StepArgs]>('submitDraft');
export const legalReviewUpdate = defineUpdate<DocumentView, [ReviewArgs]>('legalReview');
export const executiveMeetingUpdate = defineUpdate<DocumentView, [ReviewArgs]>('executiveMeeting');
export const adoptionUpdate = defineUpdate<DocumentView, [ReviewArgs]>('adoption');
export const issuanceUpdate = defineUpdate<DocumentView, [IssuanceArgs]>('issuance');
export const exemptionUpdate = defineUpdate<DocumentView, [ExemptionArgs]>('exemption');
export const addLedgerTaskUpdate = defineUpdate<DocumentView, [StepArgs & LedgerTaskInput]>('addLedgerTask');
export const ledgerProgressUpdate = defineUpdate<DocumentView, [TaskArgs]>('ledgerProgress');
export const closeLedgerTaskUpdate = defineUpdate<DocumentView, [TaskArgs]>('closeLedgerTask');
export const reassignUpdate = defineUpdate<DocumentView, [ReassignArgs]>('reassign');
export const manualChaseUpdate = defineUpdate<DocumentView, [ManualChaseArgs]>('manualChase');

/** Sent to a CENTRAL document's workflow when its PROVINCIAL document arrives. */
export const linkedSignal = defineSignal<[{ docNumber: string }]>('linked');
export const stateQuery = defineQuery<DocumentView>('state');
