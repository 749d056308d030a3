/**
 * The pure rules of the yearly innovation items (第十二条): a review is one
 * sheet covering every item before it; the duties the year owes at each phase;
 * the office's adjustments during tracking (第十二条(三)).
 */
import { defaultPolicy } from '../../common/policy';
import { addRepeated } from '../../common/policy/duration';
import { explorationTimed, roundDue } from '../../workflows/exploration/duties';
import type { ExplorationCarried } from '../../workflows/exploration/messages';
import { explorationObligations } from '../../workflows/exploration/obligations';
import { adjustmentRefusal, reviewRefusal, trackedIn, unitsTrackedIn, type ExplorationItem } from '../../workflows/exploration/state';
import { yearEnd } from '../../workflows/exploration/workflow';

const p = defaultPolicy.exploration;
const item = (id: string, unitId: string, groupId: string, extra: Partial<ExplorationItem> = {}): ExplorationItem => ({
  id,
  unitId,
  groupId,
  title: id,
  summary: 'summary',
  kind: 'ACHIEVEMENT',
  submittedBy: `${unitId}-liaison`,
  submittedAt: '2027-01-06T02:00:00.000Z',
  progress: [],
  ...extra,
});
const year = (extra: Partial<ExplorationCarried>): ExplorationCarried => ({
  phase: 'CALL',
  phases: { CALL: { startedAt: '2027-01-05T01:00:00.000Z', dueAt: '2027-02-05T01:00:00.000Z' } },
  setup: { submitters: ['district-a', 'dept-b'], groups: ['sg-x', 'sg-y'], directorId: 'ro-director' },
  items: [],
  seq: 0,
  rounds: [],
  chases: {},
  fired: [],
  revision: 0,
  ...extra,
});

describe('innovation items (第十二条)', () => {
  it('a review sheet covers every item before it, once, and nothing else', () => {
    const items = [item('I-1', 'district-a', 'sg-x'), item('I-2', 'dept-b', 'sg-x')];
    expect(reviewRefusal(items, [{ itemId: 'I-1' }, { itemId: 'I-2' }], '初审')).toBeUndefined();
    expect(reviewRefusal(items, [{ itemId: 'I-1' }], '初审')).toContain('尚缺：I-2');
    expect(reviewRefusal(items, [{ itemId: 'I-1' }, { itemId: 'I-1' }, { itemId: 'I-2' }], '初审')).toBe('同一事项只能有一个意见');
    expect(reviewRefusal(items, [{ itemId: 'I-1' }, { itemId: 'I-2' }, { itemId: 'I-9' }], '初审')).toBe('I-9不在初审范围内');
  });

  it('the year ends at 24:00 on 31 December, Beijing time', () => {
    expect(yearEnd('2027')).toBe('2027-12-31T16:00:00.000Z');
  });

  it('monthly rounds count from the approval without drifting (31 January → 28 February → 31 March)', () => {
    const approvedAt = '2027-01-31T02:00:00.000Z';
    expect(roundDue(approvedAt, p, 1, defaultPolicy.calendar).reportsDueAt).toBe(addRepeated(new Date(approvedAt), p.reportEvery, 1).toISOString());
    expect(roundDue(approvedAt, p, 1, defaultPolicy.calendar).reportsDueAt).toBe('2027-02-28T02:00:00.000Z');
    expect(roundDue(approvedAt, p, 2, defaultPolicy.calendar).reportsDueAt).toBe('2027-03-31T02:00:00.000Z');
  });

  it('during the call: one reminder to all, the close at the deadline; submissions are owed until then, released after', () => {
    const s = year({ items: [item('I-1', 'district-a', 'sg-x')] });
    const due = explorationTimed(s, p, yearEnd('2027'), false, defaultPolicy.calendar);
    expect(due.map((d) => d.key)).toEqual(['close-CALL', 'call:reminder-0']);
    expect(due[0].at).toBe(Date.parse('2027-02-05T01:00:00.000Z'));
    const obligations = explorationObligations(s, 'exploration:2027');
    expect(obligations.map((o) => [o.key, o.status])).toEqual([
      ['exploration:2027:submit:district-a', 'DONE'],
      ['exploration:2027:submit:dept-b', 'OPEN'],
    ]);
    const closed = explorationObligations({ ...s, phase: 'GROUP_REVIEW', phases: { ...s.phases, GROUP_REVIEW: { startedAt: '2027-02-05T01:00:00.000Z', dueAt: '2027-02-19T01:00:00.000Z' } } }, 'exploration:2027');
    expect(closed.find((o) => o.key.endsWith('submit:dept-b'))).toMatchObject({ status: 'CANCELLED', reason: '提报已截止，未提报事项' });
    expect(closed.find((o) => o.key.endsWith('group-review:sg-x'))).toMatchObject({ status: 'OPEN', unitId: 'sg-x' });
  });

  it('the group review moves on once every group has signed; a late group is chased up to the policy limit', () => {
    const phases = { CALL: { startedAt: '2027-01-05T01:00:00.000Z', dueAt: '2027-02-05T01:00:00.000Z' }, GROUP_REVIEW: { startedAt: '2027-02-05T01:00:00.000Z', dueAt: '2027-02-19T01:00:00.000Z' } };
    const signed = { passed: true, by: 'sg-x-leader', at: '2027-02-10T01:00:00.000Z' };
    const waiting = year({ phase: 'GROUP_REVIEW', phases, items: [item('I-1', 'district-a', 'sg-x', { groupReview: signed }), item('I-2', 'dept-b', 'sg-y')] });
    const keys = explorationTimed(waiting, p, yearEnd('2027'), false, defaultPolicy.calendar).map((d) => d.key);
    expect(keys).not.toContain('close-GROUP_REVIEW');
    expect(keys).toContain('group-review:sg-y:chase-1');
    expect(keys).not.toContain('group-review:sg-x:chase-1');
    const chasedOut = explorationTimed({ ...waiting, chases: { 'group-review:sg-y': p.maxChases } }, p, yearEnd('2027'), false, defaultPolicy.calendar).map((d) => d.key);
    expect(chasedOut.filter((k) => k.includes('chase'))).toEqual([]);
    const all = year({ phase: 'GROUP_REVIEW', phases, items: [item('I-1', 'district-a', 'sg-x', { groupReview: signed }), item('I-2', 'dept-b', 'sg-y', { groupReview: signed })] });
    expect(explorationTimed(all, p, yearEnd('2027'), false, defaultPolicy.calendar)[0]).toMatchObject({ key: 'close-GROUP_REVIEW', at: 0 });
  });

  it('tracking: the next round opens when a round falls due; the year closes after the last round within it', () => {
    const approval = { passed: true, by: 'ro-director', at: '2027-10-01T01:00:00.000Z' };
    const base = year({ phase: 'TRACKING', approvedAt: '2027-10-01T01:00:00.000Z', items: [item('I-1', 'district-a', 'sg-x', { approval })] });
    const [r1, r2] = [1, 2].map((round) => ({ round, ...roundDue(base.approvedAt!, p, round, defaultPolicy.calendar) }));
    expect(explorationTimed({ ...base, rounds: [r1] }, p, yearEnd('2027'), false, defaultPolicy.calendar).find((d) => d.kind === 'OPEN_ROUND')).toMatchObject({ key: 'round-2', at: Date.parse(r1.reportsDueAt) });
    // Round 3 would fall on 1 January: past the year, so the year closes at its end instead.
    const timed = explorationTimed({ ...base, rounds: [r1, r2] }, p, yearEnd('2027'), false, defaultPolicy.calendar);
    expect(timed.find((d) => d.kind === 'OPEN_ROUND')).toBeUndefined();
    expect(timed.find((d) => d.kind === 'CLOSE_YEAR')?.at).toBe(Date.parse(yearEnd('2027')));
    // A last comment due after the year's end keeps the year open until then.
    const late = explorationTimed({ ...base, rounds: [r1, r2] }, p, '2027-12-05T00:00:00.000Z', false, defaultPolicy.calendar).find((d) => d.kind === 'CLOSE_YEAR');
    expect(late?.at).toBe(Date.parse(r2.commentDueAt));
  });

  describe('第十二条(三) adjustments during tracking', () => {
    const approval = { passed: true, by: 'ro-director', at: '2027-03-01T02:00:00.000Z' };
    const adj = (round: number) => ({ round, reason: '调整', by: 'ro-deputy', at: '2027-04-02T02:00:00.000Z' });
    const a1 = item('I-1', 'district-a', 'sg-x', { approval });
    const b2 = item('I-2', 'dept-b', 'sg-y', { approval });
    const rejected = item('I-3', 'dept-b', 'sg-y', { approval: { ...approval, passed: false } });

    it('an item is tracked from the round it was added, until the round it was withdrawn', () => {
      const added = item('I-4', 'district-a', 'sg-x', { approval, added: adj(3) });
      const withdrawn = item('I-5', 'dept-b', 'sg-y', { approval, withdrawn: adj(2) });
      expect([1, 2, 3].map((r) => trackedIn(added, r))).toEqual([false, false, true]);
      expect([1, 2, 3].map((r) => trackedIn(withdrawn, r))).toEqual([true, false, false]);
      expect(trackedIn(rejected, 1)).toBe(false);
      expect(unitsTrackedIn([a1, withdrawn, added], 2)).toEqual(['district-a']);
      expect(unitsTrackedIn([a1, withdrawn, added], 1)).toEqual(['dept-b', 'district-a']);
    });

    it('refuses an empty adjustment, a unit or group outside the year, a duplicate title, and withdrawing what is not tracked', () => {
      const s = year({ phase: 'TRACKING', items: [a1, b2, rejected] });
      const add = (extra: object = {}) => ({ unitId: 'district-a', title: '新事项', summary: 'summary', kind: 'PROPOSAL' as const, groupId: 'sg-x', ...extra });
      expect(adjustmentRefusal(s.items, s.setup, 1, [add()], ['I-2'])).toBeUndefined();
      expect(adjustmentRefusal(s.items, s.setup, 1, [], [])).toBe('调整须补充或撤销至少一个事项');
      expect(adjustmentRefusal(s.items, s.setup, 1, [add({ unitId: 'sg-x' })], [])).toBe('“sg-x”不是区县或市直有关部门');
      expect(adjustmentRefusal(s.items, s.setup, 1, [add({ groupId: 'district-a' })], [])).toBe('“district-a”不是市专项小组');
      expect(adjustmentRefusal(s.items, s.setup, 1, [add({ title: 'I-1' })], [])).toBe('该单位已有同名事项：I-1');
      expect(adjustmentRefusal(s.items, s.setup, 1, [add(), add()], [])).toBe('补充的事项有重复');
      expect(adjustmentRefusal(s.items, s.setup, 1, [], ['I-3'])).toBe('I-3不是经审定的事项');
      expect(adjustmentRefusal(s.items, s.setup, 1, [], ['I-9'])).toBe('I-9不是经审定的事项');
      expect(adjustmentRefusal([a1, { ...b2, withdrawn: adj(1) }], s.setup, 1, [], ['I-2'])).toBe('I-2已撤销');
      expect(adjustmentRefusal(s.items, s.setup, 1, [], ['I-1', 'I-1'])).toBe('撤销的事项有重复');
    });

    it("a round's report is owed by the units tracked as it opened; a unit whose items were all withdrawn during it owes it no more", () => {
      const round = { round: 1, units: ['district-a', 'dept-b'], ...roundDue('2027-03-01T02:00:00.000Z', p, 1, defaultPolicy.calendar) };
      const s = year({ phase: 'TRACKING', approvedAt: '2027-03-01T02:00:00.000Z', items: [a1, { ...b2, withdrawn: adj(1) }, item('I-4', 'dept-c', 'sg-x', { approval, added: adj(2) })], rounds: [round] });
      const owed = Object.fromEntries(explorationObligations(s, 'w').filter((o) => o.key.startsWith('w:progress-')).map((o) => [o.key, [o.status, o.reason]]));
      expect(owed).toEqual({ 'w:progress-1:district-a': ['OPEN', undefined], 'w:progress-1:dept-b': ['CANCELLED', '事项已调整撤销，无需报送'] });
      // Nothing to remind or chase for the released unit; the added item's unit owes nothing before its round.
      const timed = explorationTimed(s, p, yearEnd('2027'), false, defaultPolicy.calendar).map((t) => t.key);
      expect(timed.filter((k) => k.includes('dept-b') || k.includes('dept-c'))).toEqual([]);
      expect(timed).toContain('progress-1:district-a:chase-1');
    });
  });
});
