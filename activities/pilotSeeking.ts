// Activities of seeking pilots (第十一条(一)–(四)): who takes part, the ledger
// rows still open from earlier quarters, the policies in force, and the
// notices (the records go through activities/records). Idempotent: notices are
// stored once per key and e-mailed once per recipient.
import type { Db } from '../common/db';
import { REFORM_OFFICE_ID } from '../common/org';
import { resolvePolicies } from '../common/policy/resolve';
import type { ScopedPolicies } from '../common/policy/scope';
import type { SeekingSetup } from '../workflows/pilotSeeking/messages';
import { previousQuarter, type Lead, type LedgerRow, type RowStatus, type SeekingLevel } from '../workflows/pilotSeeking/state';
import { pilotSeekingWorkflowId } from '../common/ids';
import type { Mailer } from './mailer';
import { issueNotice, type DeliveryResult, type NoticeExplanation } from './notices';
import { officialsOf } from './officials';
import { renderSeekingNotice, type SeekingNoticeKind } from './pilotSeekingTexts';

export interface SeekingNoticeArgs {
  quarter: string;
  workflowId: string;
  kind: SeekingNoticeKind;
  step: string;
  /** The units addressed (the reform office for its own obligations). */
  unitIds: string[];
  /** The obligation a reminder or chase is about. */
  owed?: { title: string; unitId: string; dueAt: string };
  leads?: Lead[];
  bulletin?: string;
  createdBy?: string;
  explanation: NoticeExplanation;
}

/** Who receives a unit's notices: district reform offices, department liaisons and leaders in charge. */
const CONTACT_ROLES = ['DIRECTOR', 'LIAISON', 'LEADER_IN_CHARGE'];

export function createPilotSeekingActivities(db: Db, mailer: Mailer) {
  return {
    /** 第十一条(一): every district and the city departments concerned; the ledger rows the previous quarter leaves open. */
    async pilotSeekingSetup(quarter: string): Promise<{ setup: SeekingSetup; rows: LedgerRow[] }> {
      const units = await db.unit.findMany({ where: { kind: { in: ['DISTRICT', 'DEPARTMENT'] } }, select: { id: true, name: true }, orderBy: { id: 'asc' } });
      // The previous quarter's open rows, once it has closed (its record is then final); while it still
      // runs it hands them over by signal as it closes (workflows/pilotSeeking/workflow.ts → handOver).
      // The chain runs quarter by quarter (a quarter never started can be started by hand, as a catch-up).
      const previousId = pilotSeekingWorkflowId(previousQuarter(quarter));
      const closed = await db.pilotSeekingQuarter.findFirst({ where: { workflowId: previousId, phase: 'CLOSED' }, select: { id: true } });
      const open = closed ? await db.pilotSeekingRow.findMany({ where: { status: 'OPEN', workflowId: previousId }, orderBy: { id: 'asc' } }) : [];
      return {
        setup: { units: units.map((u) => u.id), names: Object.fromEntries(units.map((u) => [u.id, u.name])) },
        rows: open.map((r) => ({
          id: r.id,
          unitId: r.unitId,
          title: r.title,
          level: r.level as SeekingLevel,
          source: r.source,
          participantUnitIds: r.participantUnitIds,
          ...(r.leaderId ? { leaderId: r.leaderId } : {}),
          progress: r.progress,
          status: r.status as RowStatus,
          ...(r.leadId ? { leadId: r.leadId } : {}),
          openedIn: r.openedIn,
          updatedAt: r.updatedAt.toISOString(),
        })),
      };
    },

    /** The policies a new quarter runs under: the city's and the units' own (第二十一条). */
    async resolveSeekingPolicies(): Promise<ScopedPolicies> {
      return resolvePolicies(db);
    },

    async sendSeekingNotice(a: SeekingNoticeArgs): Promise<{ noticeId: string; delivery: DeliveryResult }> {
      const units = await db.unit.findMany({ select: { id: true, name: true } });
      const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
      const office = a.unitIds.includes(REFORM_OFFICE_ID);
      const { title, body } = renderSeekingNotice(a.kind, {
        quarter: a.quarter,
        addressee: a.kind === 'BULLETIN' ? '各区县、市直有关部门' : a.unitIds.map(name).join('、'),
        leads: a.leads?.map((l) => ({ ...l, leadUnitName: name(l.leadUnitId), participantNames: l.participantUnitIds.map(name), mine: a.unitIds.includes(l.leadUnitId) })),
        owed: a.owed,
        dueAt: a.explanation.dueAt,
        bulletin: a.bulletin,
      });
      const to = office ? await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR', 'DEPUTY_DIRECTOR', 'LIAISON']) : await officialsOf(db, a.unitIds, CONTACT_ROLES);
      // A chase goes to the unit's head as well; the bulletin to the office's director.
      const cc = a.kind === 'CHASE' && !office ? await officialsOf(db, a.unitIds, ['HEAD']) : a.kind === 'BULLETIN' ? await officialsOf(db, [REFORM_OFFICE_ID], ['DIRECTOR']) : [];
      return issueNotice(db, mailer, {
        workflowId: a.workflowId,
        step: a.step,
        kind: a.kind,
        subjectType: 'pilotSeeking',
        subjectId: a.quarter,
        title,
        body,
        explanation: a.explanation,
        dueAt: a.owed?.dueAt ?? a.explanation.dueAt,
        to,
        cc,
        createdBy: a.createdBy,
      });
    },
  };
}
