// The row of a year of standing duties (第十五条(一)(二), 第十七条(二)): the
// weeks, the pieces, the brochure and the trainings, as the workflow decided them.
import type { DutiesRecord } from '../../workflows/standingDuties/workflow';
import { date, json, olderThan, writeIfNewer, type Tx } from './rows';

export interface DutiesChange {
  family: 'duties';
  duties: DutiesRecord;
}

export async function writeDuties(tx: Tx, year: string, workflowId: string, revision: number, c: DutiesChange): Promise<void> {
  const d = c.duties;
  const row = {
    workflowId,
    phase: d.phase,
    startedAt: new Date(d.startedAt),
    media: json(d.media),
    weeks: json(d.weeks),
    pieces: json(d.pieces),
    brochure: json(d.brochure),
    training: json(d.training),
    trainings: json(d.trainings),
    closesAt: new Date(d.closesAt),
    closedAt: date(d.closedAt),
    revision,
  };
  await writeIfNewer({
    update: () => tx.dutiesYear.updateMany({ where: { id: year, ...olderThan(revision) }, data: row }),
    create: () => tx.dutiesYear.createMany({ data: [{ id: year, ...row }], skipDuplicates: true }),
  });
}
