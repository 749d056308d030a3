// The meeting family's input and messages, shared by the workflow, the API and
// the tests. Importing this module has no side effects.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { Actor } from '../document/messages';
import type { MeetingKind, SuperiorLevel, SuperiorMeetingState } from './state';

export type { Actor };

/** One superior (central or provincial) leading-group meeting: the input of its workflow. Versioned. */
export interface MeetingWorkflowInputV1 {
  version: 1;
  superiorMeetingId: string;
  level: SuperiorLevel;
  title: string;
  heldAt: string;
  /** The bodies that owe a conveying meeting (第四条(一)), resolved by the API. */
  unitIds: string[];
  policy: Policy;
  /** Set only by continue-as-new. */
  carried?: MeetingCarried;
}
export type MeetingWorkflowInput = MeetingWorkflowInputV1;

/** A body's conveying duty: done by the first of its meetings whose first item conveyed this superior meeting. */
export interface OwingUnit {
  unitId: string;
  conveyedAt?: string;
  meetingId?: string;
}

/** A reform meeting a body held (第三条), judged against the latest superior meeting. */
export interface BodyMeeting {
  id: string;
  unitId: string;
  kind: MeetingKind;
  title: string;
  heldAt: string;
  /** 第一议题 as the body wrote it. */
  firstItem: string;
  /** The superior meeting the first item conveyed, if any. */
  conveys?: string;
  /** Whether the first item conveyed the latest superior meeting (this workflow's). */
  conveyedLatest: boolean;
  recordedBy: string;
}

export interface MeetingCarried {
  state: SuperiorMeetingState;
  registeredAt: string;
  dueAt: string;
  owing: OwingUnit[];
  meetings: BodyMeeting[];
  /** How many chases have gone out after the deadline. */
  chases: number;
  supersededBy?: { id: string; title: string };
  fired: string[];
  revision: number;
}

export interface MeetingView extends Omit<MeetingCarried, 'fired'> {
  superiorMeetingId: string;
  title: string;
  policyVersion: string;
}

/** A body's meeting as it records it: what the workflow then judges into a BodyMeeting. */
export type RecordMeetingArgs = Pick<BodyMeeting, 'unitId' | 'kind' | 'title' | 'heldAt' | 'firstItem' | 'conveys'> & {
  actor: Actor;
  /** Assigned by the API; the update id (Idempotency-Key) makes a repeated request one meeting. */
  meetingId: string;
};

export const recordMeetingUpdate = defineUpdate<MeetingView, [RecordMeetingArgs]>('recordMeeting');
/** Answers once the workflow's start is recorded (the API's registration waits for it). */
export const meetingReadyUpdate = defineUpdate<MeetingView, []>('meetingReady');
/** A newer superior meeting was registered: it takes over (第三条: the latest is conveyed). */
export const supersededSignal = defineSignal<[{ id: string; title: string }]>('superseded');
export const meetingStateQuery = defineQuery<MeetingView>('meetingState');
