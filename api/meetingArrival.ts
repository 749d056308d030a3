// A central or provincial leading-group meeting is registered (第四条(一)):
// store it once, start its workflow once, and hand the "latest" role over —
// every older superior meeting still running is told a newer one took over
// (第三条: the first agenda item conveys the latest). Repeating a registration
// repeats the hand-over, so a registration interrupted half-way completes.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../common/db';
import { superiorMeetingWorkflowId } from '../common/ids';
import { resolvePolicy } from '../common/policy/resolve';
import { TASK_QUEUE } from '../common/taskQueues';
import type { SuperiorMeeting } from '../generated/prisma/client';
import { supersededSignal, type MeetingWorkflowInput } from '../workflows/meeting/messages';
import { meetingWorkflow } from '../workflows/meeting/workflow';
import { ApiError } from './errors';
import type { SuperiorMeetingArrival } from './schemas/meetings';
import { startOnce } from './steps';

export async function registerSuperiorMeeting(db: Db, client: Client, a: SuperiorMeetingArrival): Promise<{ meeting: SuperiorMeeting; created: boolean }> {
  const heldAt = new Date(a.heldAt);
  const workflowId = superiorMeetingWorkflowId(a.level, heldAt);
  const policy = await resolvePolicy(db);
  let meeting = await db.superiorMeeting.findUnique({ where: { workflowId } });
  let created = false;
  if (!meeting) {
    const unitIds = a.unitIds ? [...new Set(a.unitIds)].sort() : (await db.unit.findMany({ where: { kind: { in: policy.meeting.owingUnitKinds } }, select: { id: true }, orderBy: { id: 'asc' } })).map((u) => u.id);
    const known = await db.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true } });
    const missing = unitIds.filter((id) => !known.some((k) => k.id === id));
    if (missing.length) throw new ApiError('VALIDATION_FAILED', '单位不存在', missing.map((id) => ({ path: ['unitIds'], message: `unknown unit ${id}` })));
    if (heldAt.getTime() > Date.now()) throw new ApiError('VALIDATION_FAILED', '上级会议尚未召开', [{ path: ['heldAt'], message: 'in the future' }]);
    try {
      meeting = await db.superiorMeeting.create({ data: { level: a.level, title: a.title, heldAt, workflowId, state: 'REGISTERED', unitIds, policyVersion: policy.version } });
      created = true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err;
      meeting = await db.superiorMeeting.findUniqueOrThrow({ where: { workflowId } });
    }
  }
  const input: MeetingWorkflowInput = { version: 1, superiorMeetingId: meeting.id, level: meeting.level, title: meeting.title, heldAt: meeting.heldAt.toISOString(), unitIds: meeting.unitIds, policy };
  await startOnce(client, meetingWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
  await handOver(db, client);
  return { meeting, created };
}

/** Tells every superior meeting older than the latest, and still running, that the latest took over. */
async function handOver(db: Db, client: Client): Promise<void> {
  const all = await db.superiorMeeting.findMany({ orderBy: [{ heldAt: 'desc' }, { id: 'asc' }], select: { id: true, title: true, workflowId: true, state: true } });
  const [latest, ...older] = all;
  for (const m of older.filter((o) => o.state !== 'SUPERSEDED')) {
    await client.workflow
      .getHandle(m.workflowId)
      .signal(supersededSignal, { id: latest.id, title: latest.title })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
}
