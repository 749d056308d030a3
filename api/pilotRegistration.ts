// A pilot won (第十一条（五）) or a grassroots experience (第十三条) is registered
// once and its workflow started once: the reference is the business key, so a
// repeated registration finds the existing pilot and workflow.
import type { Client } from '@temporalio/client';
import type { Db } from '../common/db';
import { pilotWorkflowId } from '../common/ids';
import { resolvePolicy } from '../common/policy/resolve';
import { TASK_QUEUE } from '../common/taskQueues';
import type { Pilot } from '../generated/prisma/client';
import { pilotReadyUpdate, type PilotWorkflowInput } from '../workflows/pilot/messages';
import type { PilotLevel } from '../workflows/pilot/state';
import { pilotWorkflow } from '../workflows/pilot/workflow';
import { checkUnits } from './documentArrival';
import { ApiError } from './errors';
import type { PilotRegistration } from './schemas/pilots';
import { startOnce, viewWhenReady } from './steps';

export async function registerPilot(db: Db, client: Client, body: PilotRegistration, now = new Date()): Promise<{ pilot: Pilot; created: boolean }> {
  const leadUnitId = body.origin === 'WON' ? body.leadUnitId : body.unitId;
  let pilot = await db.pilot.findUnique({ where: { reference: body.reference } });
  let created = false;
  if (!pilot) {
    await checkUnits(db, [leadUnitId, ...(body.origin === 'WON' ? body.participantUnitIds : [])]);
    if (body.origin === 'WON') {
      if (!(await db.official.count({ where: { id: body.leaderId, active: true } }))) throw new ApiError('VALIDATION_FAILED', '牵头领导不存在', [{ path: ['leaderId'], message: 'unknown official' }]);
      if (new Date(body.dueAt) <= now) throw new ApiError('VALIDATION_FAILED', '完成时限须晚于当前时间', [{ path: ['dueAt'], message: 'must be in the future' }]);
    }
    // 第二十一条: the pilot runs under the policy of the unit that leads it (else the city's).
    const policy = await resolvePolicy(db, leadUnitId);
    const id = crypto.randomUUID();
    try {
      pilot = await db.pilot.create({
        data: {
          id,
          reference: body.reference,
          origin: body.origin,
          title: body.title,
          workflowId: pilotWorkflowId(id),
          state: 'REGISTERED',
          leadUnitId,
          policyVersion: policy.version,
          ...(body.origin === 'WON'
            ? { level: body.level, participantUnitIds: body.participantUnitIds, leaderId: body.leaderId, goals: body.goals, dueAt: new Date(body.dueAt), resultsUse: body.resultsUse }
            : { summary: body.summary, cityWide: body.cityWide, participantUnitIds: [] }),
        },
      });
      created = true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err;
      pilot = await db.pilot.findUniqueOrThrow({ where: { reference: body.reference } });
    }
  }
  // Start (or find) the workflow even for a known pilot: a previous registration may have stored the row and then lost Temporal.
  const input: PilotWorkflowInput = {
    version: 1,
    pilotId: pilot.id,
    origin: pilot.origin as PilotWorkflowInput['origin'],
    title: pilot.title,
    level: (pilot.level as PilotLevel | null) ?? undefined,
    leadUnitId: pilot.leadUnitId,
    participantUnitIds: pilot.participantUnitIds,
    plan: pilot.origin === 'WON' ? { leaderId: pilot.leaderId!, goals: pilot.goals!, dueAt: pilot.dueAt!.toISOString(), resultsUse: pilot.resultsUse! } : undefined,
    cityWide: pilot.cityWide,
    policy: await resolvePolicy(db, pilot.leadUnitId),
  };
  const { outcome, handle } = await startOnce(client, pilotWorkflow, { taskQueue: TASK_QUEUE, workflowId: pilot.workflowId, args: [input] });
  // Waits until the workflow has recorded the registration, so that the caller's read of the pilot shows
  // it running; without a worker within 10 s it shows the registered row, and the workflow records it later.
  if (outcome !== 'closed') await viewWhenReady(client, handle, pilotReadyUpdate);
  return { pilot, created };
}
