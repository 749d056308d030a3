/**
 * Which instant a document's clocks count from (第五条) and what a late-registered backlog fires:
 * the anchors (workflows/document/anchors.ts), the duties of a backlog and of the new steps (lead
 * unit, ledger, districts), and the notices' words. Pure, fixed instants.
 */
import { renderDocumentNotice } from '../../activities/documentTexts';
import { addDuration, defaultPolicy, formatShanghai, Policy } from '../../common/policy';
import { assignmentClock, deadlineClock, receipt } from '../../workflows/document/anchors';
import { documentDuties } from '../../workflows/document/duties';
import type { CarriedState } from '../../workflows/document/messages';
import { documentObligations } from '../../workflows/document/obligations';

const p = defaultPolicy.document;
const issued = '2027-01-04T02:00:00.000Z'; // 4 January, 10:00 Shanghai
const received = '2027-01-06T01:00:00.000Z'; // 6 January, 09:00
const registered = '2027-03-15T01:00:00.000Z'; // imported ten weeks after receipt

function assigned(registeredAt: string): CarriedState {
  const dueFrom = deadlineClock({ superiorIssuedAt: issued }, p, received);
  const draftFrom = assignmentClock(received);
  return {
    state: 'ASSIGNED',
    leadUnitId: 'dept-health',
    registeredAt,
    receivedAt: received,
    assignedAt: registeredAt,
    draftFrom,
    dueFrom,
    draftDueAt: addDuration(new Date(received), p.chaseAfter).toISOString(),
    dueAt: addDuration(new Date(dueFrom.startedAt), p.assignmentDeadline).toISOString(),
    ledgerDueAt: addDuration(new Date(received), p.ledgerWithin).toISOString(),
    fired: [],
    followUps: 0,
    tasks: [],
    taskSeq: 0,
    revision: 1,
  };
}

describe('document clocks (第五条)', () => {
  it('the month counts from the superior document’s issuance by default, from receipt when the policy says so', () => {
    expect(deadlineClock({ superiorIssuedAt: issued }, p, received)).toEqual({ startEvent: '省级改革文件印发', startedAt: issued });
    expect(deadlineClock({ superiorIssuedAt: issued }, { deadlineAnchor: 'RECEIPT' }, received)).toEqual({ startEvent: '省级改革文件到市', startedAt: received });
    // A workflow started before the issuance was passed on counts from receipt.
    expect(deadlineClock({}, p, received).startedAt).toBe(received);
    // A stored policy without the new fields takes the rule's defaults.
    const { deadlineAnchor: _a, leadAssignmentWithin: _l, ledgerWithin: _w, distributionAckWithin: _d, ...old } = p;
    expect(Policy.parse({ ...defaultPolicy, document: old }).document).toMatchObject({ deadlineAnchor: 'SUPERIOR_ISSUANCE', leadAssignmentWithin: { days: 2 } });
    expect(() => Policy.parse({ ...defaultPolicy, document: { ...p, deadlineAnchor: 'REGISTRATION' } })).toThrow();
  });

  it('receipt is the stated arrival, else the registration; the three weeks from receipt, or from the naming of a missing lead', () => {
    expect(receipt({ receivedAt: received }, registered)).toBe(received);
    expect(receipt({}, registered)).toBe(registered);
    expect(assignmentClock(received)).toEqual({ startEvent: '省级改革文件到市', startedAt: received });
    expect(assignmentClock(received, registered)).toEqual({ startEvent: '市委改革办确定牵头部门并下发交办单', startedAt: registered });
  });

  it('a backlog fires at once what was due, no reminder of a passed deadline, and only the latest follow-up due', () => {
    const s = assigned(registered);
    const due = documentDuties(s, p, 0).filter((d) => d.at <= new Date(registered).getTime());
    // The order was due 4 February: follow-ups 11 Feb … 11 Mar (the 5th) had passed by 15 March.
    expect(due.map((d) => d.key)).toEqual(['ledger-chase', 'chase', 'order', 'order-follow-up-5']);
    expect(formatShanghai(new Date(due[3].at))).toBe('2027年3月11日 10:00');
    expect(due[3]).toMatchObject({ followUps: 5, notices: [{ escalate: true }] });
    expect(documentDuties(s, p, 0).some((d) => d.key.startsWith('reminder'))).toBe(false);
    // Registered as it arrived, the same document is reminded before each deadline and followed up from the first week.
    const onTime = documentDuties(assigned(received), p, 0).map((d) => d.key);
    expect(onTime).toEqual(['ledger-chase', 'reminder-draft-0', 'chase', 'reminder-deadline-0', 'order', 'order-follow-up-1']);
  });

  it('the lead unit named by the reform office: its own deadline and 催办, its obligation', () => {
    const waiting: CarriedState = {
      state: 'AWAITING_LEAD',
      registeredAt: received,
      receivedAt: received,
      dueFrom: deadlineClock({ superiorIssuedAt: issued }, p, received),
      dueAt: addDuration(new Date(issued), p.assignmentDeadline).toISOString(),
      leadDueAt: addDuration(new Date(received), p.leadAssignmentWithin).toISOString(),
      fired: [],
      followUps: 0,
      tasks: [],
      taskSeq: 0,
      revision: 1,
    };
    const duties = documentDuties(waiting, p, 0);
    expect(duties.map((d) => [d.key, formatShanghai(new Date(d.at))])).toEqual([['lead-chase', '2027年1月8日 09:00']]);
    expect(documentObligations(waiting, 'wf')).toEqual([{ key: 'wf:lead', title: '确定牵头部门并下发交办单', rule: '第五条', unitId: 'reform-office', dueAt: waiting.leadDueAt, status: 'OPEN' }]);
    const named = documentObligations({ ...waiting, state: 'ASSIGNED', leadUnitId: 'dept-health', leadAssignedAt: registered, assignedAt: registered, draftDueAt: registered, ledgerDueAt: registered }, 'wf');
    expect(named.map((o) => [o.key, o.status, o.unitId])).toEqual([
      ['wf:lead', 'DONE', 'reform-office'],
      ['wf:ledger', 'OPEN', 'dept-health'],
      ['wf:draft', 'OPEN', 'dept-health'],
      ['wf:issuance', 'OPEN', 'dept-health'],
    ]);
    expect(documentObligations({ ...waiting, state: 'EXEMPT', exemptReason: '直接适用' }, 'wf')[0]).toMatchObject({ status: 'CANCELLED' });
  });

  it('印发到区县: a notice to each district at issuance, one 催办 of those that have not acknowledged', () => {
    const issuedAt = '2027-02-01T02:00:00.000Z';
    const s: CarriedState = {
      ...assigned(received),
      state: 'ISSUED',
      ledgerOpenedAt: received,
      draftSubmittedAt: received,
      issuedAt,
      distributionDueAt: addDuration(new Date(issuedAt), p.distributionAckWithin).toISOString(),
      districts: [{ unitId: 'district-a', acknowledgedAt: '2027-02-02T00:00:00.000Z', acknowledgedBy: 'a' }, { unitId: 'district-b' }],
    };
    const duties = documentDuties(s, p, 0);
    expect(duties.find((d) => d.key === 'distribution')!.notices.map((n) => [n.kind, n.districtId])).toEqual([
      ['DISTRIBUTION', 'district-a'],
      ['DISTRIBUTION', 'district-b'],
    ]);
    const chase = duties.find((d) => d.key === 'distribution-chase')!;
    expect(formatShanghai(new Date(chase.at))).toBe('2027年2月6日 10:00');
    expect(chase.notices.map((n) => [n.step, n.districtId])).toEqual([['distribution-chase:district-b', 'district-b']]);
    expect(documentObligations(s, 'wf').filter((o) => o.key.includes('distribution')).map((o) => [o.unitId, o.status])).toEqual([
      ['district-a', 'DONE'],
      ['district-b', 'OPEN'],
    ]);
  });

  it('the 交办单 names what its month counts from; a late notice says since when', () => {
    const c = { docNumber: '鲁发〔2027〕1号', docTitle: '测试', leadUnitName: '市卫生健康委', dueAt: '2027-02-04T02:00:00.000Z' };
    const assignment = renderDocumentNotice('ASSIGNMENT', { ...c, from: { startEvent: '省级改革文件印发', startedAt: issued, offset: '1个月' } });
    expect(assignment.body).toContain('务必于2027年2月4日 10:00前（自省级改革文件印发之时2027年1月4日 10:00起1个月内）制定出台');
    const late = renderDocumentNotice('CHASE', { ...c, late: { dueSince: '2027-01-27T01:00:00.000Z', registeredAt: registered } });
    expect(late.body).toContain('本通知应于2027年1月27日 09:00发出；该文件于2027年3月15日 09:00才登记入督办系统，现予补发');
    expect(late.body.endsWith('市委全面深化改革领导小组办公室')).toBe(true);
    expect(renderDocumentNotice('CHASE', c).body).not.toContain('补发');
  });
});
