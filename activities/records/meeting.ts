// The meeting family's rows (第三条, 第四条(一)): the superior meeting and the
// reform meetings judged against it.
import type { BodyMeeting, OwingUnit } from '../../workflows/meeting/messages';
import type { SuperiorMeetingState } from '../../workflows/meeting/state';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface MeetingChange {
  family: 'meeting';
  /** The superior meeting's own fields (small: always sent whole). */
  superior: { state: SuperiorMeetingState; dueAt: string; owing: OwingUnit[]; supersededById?: string };
  /** The body meetings this change recorded. */
  meetings?: BodyMeeting[];
}

export async function writeMeeting(tx: Tx, superiorMeetingId: string, revision: number, c: MeetingChange): Promise<void> {
  const s = c.superior;
  // The row is registered by the API before the workflow starts.
  await tx.superiorMeeting.updateMany({
    where: { id: superiorMeetingId, ...olderThan(revision) },
    data: { state: s.state, dueAt: date(s.dueAt), owing: json(s.owing), supersededById: s.supersededById ?? null, revision },
  });
  for (const m of c.meetings ?? []) {
    const data = { unitId: m.unitId, kind: m.kind, title: m.title, heldAt: new Date(m.heldAt), firstItem: m.firstItem, conveysId: m.conveys ?? null, conveyedLatest: m.conveyedLatest, recordedBy: m.recordedBy, revision };
    await writeIfNewer({
      update: () => tx.reformMeeting.updateMany({ where: { id: m.id, ...olderThan(revision) }, data }),
      create: () => tx.reformMeeting.createMany({ data: [{ id: m.id, superiorMeetingId, ...data }], skipDuplicates: true }),
    });
  }
}
