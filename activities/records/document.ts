// The document family's rows (第四条, 第五条): the Document and its 台账 tasks.
import type { LedgerTaskView } from '../../workflows/document/messages';
import type { DocumentState } from '../../workflows/document/state';
import { date, olderThan, writeIfNewer, type Tx } from './rows';

export interface DocumentChange {
  family: 'document';
  /** The document's own fields (small: always sent whole). */
  document: { state: DocumentState; dueAt?: string; leadUnitId?: string; linkedDocNumber?: string; exemptReason?: string; districtIds?: string[] };
  /** The ledger tasks this change touched. */
  tasks?: LedgerTaskView[];
}

export async function writeDocument(tx: Tx, documentId: string, revision: number, c: DocumentChange): Promise<void> {
  const d = c.document;
  // The row is registered by the API before the workflow starts.
  await tx.document.updateMany({
    where: { id: documentId, ...olderThan(revision) },
    data: { state: d.state, dueAt: date(d.dueAt), leadUnitId: d.leadUnitId ?? null, linkedDocNumber: d.linkedDocNumber ?? null, exemptReason: d.exemptReason ?? null, districtIds: d.districtIds ?? [], revision },
  });
  for (const t of c.tasks ?? []) {
    const data = { title: t.title, unitId: t.unitId, ownerId: t.ownerId, dueAt: new Date(t.dueAt), status: t.status, closedAt: date(t.closedAt), revision };
    await writeIfNewer({
      update: () => tx.ledgerTask.updateMany({ where: { id: t.id, ...olderThan(revision) }, data }),
      create: () => tx.ledgerTask.createMany({ data: [{ id: t.id, documentId, ...data }], skipDuplicates: true }),
    });
  }
}
