// The document workflow's input and messages, shared by the workflow, the
// API and the tests. Importing this module has no side effects.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { UnitPolicies } from '../../common/policy/scope';
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
  /** When the document reached the city (第五条). Absent: the workflow's start (registration) is the receipt. */
  receivedAt?: string;
  /** When the superior document was issued: the default anchor of the municipal document's month (第五条（三）). */
  superiorIssuedAt?: string;
  leadUnitId?: string;
  participantUnitIds: string[];
  /** The CENTRAL ↔ PROVINCIAL partner, when already known at arrival. */
  linkedDocNumber?: string;
  policy: Policy;
  /** 第二十一条: units' own versions; the document's deadlines run under its lead unit's. */
  unitPolicies?: UnitPolicies;
  /** Set only by continue-as-new. */
  carried?: CarriedState;
}
export type DocumentWorkflowInput = DocumentWorkflowInputV1;

/** The event a deadline counts from, named in every notice about it. */
export interface Clock {
  startEvent: string;
  startedAt: string;
}

/** A district the municipal document was issued to (印发到区县), and its acknowledgement. */
export interface DistrictReceipt {
  unitId: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

/** Everything the workflow must remember across continue-as-new. */
export interface CarriedState {
  state: DocumentState;
  /** When the workflow started (the document was registered): a duty due before it is a backlog, fired late. */
  registeredAt?: string;
  /** When the document reached the city (as registered, else `registeredAt`). */
  receivedAt?: string;
  /** PROVINCIAL without a lead unit: the reform office must name one by then. */
  leadDueAt?: string;
  leadAssignedAt?: string;
  /** When the 交办单 went out. */
  assignedAt?: string;
  /** What the draft's three weeks and the ledger's "第一时间" count from (the assignment, deemed at receipt when the lead was known). */
  draftFrom?: Clock;
  /** What the municipal document's month counts from (policy `deadlineAnchor`). */
  dueFrom?: Clock;
  /** 第四条（二）: the ledger is due by then. */
  ledgerDueAt?: string;
  ledgerOpenedAt?: string;
  draftDueAt?: string;
  dueAt?: string;
  draftSubmittedAt?: string;
  issuedAt?: string;
  leadUnitId?: string;
  responsibleIds?: string[];
  linkedDocNumber?: string;
  exemptReason?: string;
  /** 印发到区县: each district's receipt of the municipal document, due by `distributionDueAt`. */
  districts?: DistrictReceipt[];
  distributionDueAt?: string;
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
export interface AssignLeadArgs extends StepArgs {
  leadUnitId: string;
}
export interface DistributionAckArgs extends StepArgs {
  districtId: string;
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
export const assignLeadUpdate = defineUpdate<DocumentView, [AssignLeadArgs]>('assignLead');
export const acknowledgeDistributionUpdate = defineUpdate<DocumentView, [DistributionAckArgs]>('acknowledgeDistribution');
export const manualChaseUpdate = defineUpdate<DocumentView, [ManualChaseArgs]>('manualChase');

/** Sent to a CENTRAL document's workflow when its PROVINCIAL document arrives. */
export const linkedSignal = defineSignal<[{ docNumber: string }]>('linked');
export const stateQuery = defineQuery<DocumentView>('state');
