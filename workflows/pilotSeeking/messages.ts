// Input, steps and query of a quarter of seeking pilots (第十一条(一)–(四)),
// shared by the workflow, the API and the tests. No side effects.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Policy } from '../../common/policy';
import type { UnitPolicies } from '../../common/policy/scope';
import type { ContactReport, Lead, LedgerRow, SeekingLevel, SeekingPhase } from './state';

export interface Actor {
  officialId: string;
  unitId: string;
}

/** Who takes part in the quarter (read when it starts). */
export interface SeekingSetup {
  /** 第十一条(一): every district and the city departments concerned. */
  units: string[];
  /** Their names, for the bulletin's text. */
  names: Record<string, string>;
}

export interface SeekingCarried {
  phase: SeekingPhase;
  startedAt: string;
  setup: SeekingSetup;
  /** 第十一条(二): the leads' deadline, and when they were issued. */
  leadsDueAt: string;
  leadsIssuedAt?: string;
  leads: Lead[];
  /** Months of the quarter opened so far (1–3). */
  months: number;
  /** Each unit's report deadline of each opened month, `<month>:<unitId>` → ISO instant (第二十一条: its own policy). */
  reportsDueAt: Record<string, string>;
  reports: ContactReport[];
  rows: LedgerRow[];
  seq: number;
  bulletinDueAt?: string;
  bulletin?: { text: string; by: string; at: string };
  closedAt?: string;
  fired: string[];
  /** The revision of the latest recorded change (workflows/records.ts). */
  revision: number;
}

export interface SeekingInput {
  version: 1;
  /** The quarter, e.g. "2027-Q1". */
  quarter: string;
  policy: Policy;
  /** 第二十一条: a unit's report is due, reminded and chased under its own policy. */
  unitPolicies?: UnitPolicies;
  carried?: SeekingCarried;
}

export interface SeekingView extends Omit<SeekingCarried, 'fired' | 'seq'> {
  quarter: string;
  policyVersion: string;
}

export interface IssueLeadsArgs {
  actor: Actor;
  leads: Array<Omit<Lead, 'id'>>;
}

export interface ContactReportArgs {
  actor: Actor;
  month: number;
  contacts: string;
  learned: string;
  requests: string;
}

export interface AddRowArgs {
  actor: Actor;
  title: string;
  level: SeekingLevel;
  source: string;
  participantUnitIds: string[];
  leaderId: string;
  progress: string;
}

export interface UpdateRowArgs {
  actor: Actor;
  rowId: string;
  progress: string;
  leaderId?: string;
  participantUnitIds?: string[];
  /** Close the row: won (the office registers the pilot in the pilot family) or dropped (with the reason in `note`). */
  outcome?: 'WON' | 'DROPPED';
  note?: string;
}

export interface BulletinArgs {
  actor: Actor;
  note?: string;
}

export const issueLeadsUpdate = defineUpdate<SeekingView, [IssueLeadsArgs]>('issueSeekingLeads');
export const contactReportUpdate = defineUpdate<SeekingView, [ContactReportArgs]>('reportSeekingContact');
export const addRowUpdate = defineUpdate<SeekingView, [AddRowArgs]>('addSeekingRow');
export const updateRowUpdate = defineUpdate<SeekingView, [UpdateRowArgs]>('updateSeekingRow');
export const issueBulletinUpdate = defineUpdate<SeekingView, [BulletinArgs]>('issueSeekingBulletin');
export const seekingQuery = defineQuery<SeekingView>('pilotSeeking');
/** 第十一条(三): a closing quarter hands its open ledger rows to the next quarter, when that one already runs. */
export const rowsHandedOverSignal = defineSignal<[{ from: string; rows: LedgerRow[] }]>('seekingRowsHandedOver');
/** Answers once the quarter's start is recorded: the start route's answer. */
export const seekingReadyUpdate = defineUpdate<SeekingView, []>('pilotSeekingReady');
