// A superior document arrives (webhook or bulk import): register it once and
// start its workflow once. The workflow id is derived from the document
// number, so a repeated arrival finds the existing document and workflow.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../common/db';
import { documentWorkflowId } from '../common/ids';
import { TASK_QUEUE } from '../common/taskQueues';
import type { Document } from '../generated/prisma/client';
import { linkedSignal, type DocumentWorkflowInput } from '../workflows/document/messages';
import { documentWorkflow } from '../workflows/document/workflow';
import { ApiError } from './errors';
import { resolvePolicies } from '../common/policy/resolve';
import { unitPolicy } from '../common/policy/scope';
import type { DocumentArrival } from './schemas/documents';
import { startOnce } from './steps';

export interface ArrivalResult {
  document: Document;
  created: boolean;
}

/** 400 unless every unit exists (shared by the routes that name units). */
export async function checkUnits(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.unit.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) {
    throw new ApiError('VALIDATION_FAILED', '单位不存在', missing.map((id) => ({ path: ['unit'], message: `unknown unit ${id}` })));
  }
}

export async function registerDocument(db: Db, client: Client, a: DocumentArrival): Promise<ArrivalResult> {
  const workflowId = documentWorkflowId(a.docNumber);
  const { policy, unitPolicies } = await resolvePolicies(db);
  let document = await db.document.findUnique({ where: { docNumber: a.docNumber.trim() } });
  let created = false;
  if (!document) {
    await checkUnits(db, [...(a.leadUnitId ? [a.leadUnitId] : []), ...a.participantUnitIds]);
    if (a.implementsDocNumber && a.level !== 'PROVINCIAL') {
      throw new ApiError('VALIDATION_FAILED', '只有省级文件可以关联其贯彻的中央文件', [{ path: ['implementsDocNumber'], message: 'only for PROVINCIAL documents' }]);
    }
    // A CENTRAL document whose PROVINCIAL one arrived first is linked at once.
    const partner =
      a.level === 'CENTRAL'
        ? await db.document.findFirst({ where: { linkedDocNumber: a.docNumber.trim(), level: 'PROVINCIAL' }, select: { docNumber: true } })
        : null;
    try {
      document = await db.document.create({
        data: {
          docNumber: a.docNumber.trim(),
          level: a.level,
          title: a.title,
          issuedAt: new Date(a.issuedAt),
          receivedAt: a.receivedAt ? new Date(a.receivedAt) : new Date(),
          workflowId,
          state: 'RECEIVED',
          leadUnitId: a.leadUnitId ?? null,
          participantUnitIds: a.participantUnitIds,
          linkedDocNumber: a.implementsDocNumber ?? partner?.docNumber ?? null,
          policyVersion: unitPolicy({ policy, unitPolicies }, a.leadUnitId).version,
        },
      });
      created = true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err;
      document = await db.document.findUniqueOrThrow({ where: { docNumber: a.docNumber.trim() } });
    }
  }
  // Start (or find) the workflow even for a known document: a previous
  // arrival may have stored the row and then lost Temporal.
  const input: DocumentWorkflowInput = {
    version: 1,
    documentId: document.id,
    docNumber: document.docNumber,
    level: document.level,
    title: document.title,
    // The stated receipt; a document registered as it arrives is received when its workflow starts
    // (the API's clock and the workflow's are one in production; a restart of a stored row keeps its own).
    receivedAt: !created || a.receivedAt ? document.receivedAt.toISOString() : undefined,
    superiorIssuedAt: document.issuedAt.toISOString(),
    leadUnitId: document.leadUnitId ?? undefined,
    participantUnitIds: document.participantUnitIds,
    linkedDocNumber: document.level === 'CENTRAL' ? document.linkedDocNumber ?? undefined : undefined,
    policy,
    unitPolicies,
  };
  // Running already, or closed (the document was handled already): nothing to start.
  await startOnce(client, documentWorkflow, { taskQueue: TASK_QUEUE, workflowId, args: [input] });
  if (created && document.level === 'PROVINCIAL' && document.linkedDocNumber) {
    // Tell the CENTRAL document's workflow, if it is running, that its provincial document is here.
    await client.workflow
      .getHandle(documentWorkflowId(document.linkedDocNumber))
      .signal(linkedSignal, { docNumber: document.docNumber })
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
  return { document, created };
}
