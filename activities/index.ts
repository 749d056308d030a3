// All activities, built from their dependencies (the samples' dependency-
// injection idiom). Workflows import only the type of createActivities.
import type { Db } from '../common/db';
import { createDocumentActivities } from './document';
import { createDutiesActivities } from './duties';
import { createInnovationActivities } from './innovation';
import { createCycleActivities } from './cycle';
import { createExplorationActivities } from './exploration';
import { createEvaluationActivities } from './evaluation';
import type { Mailer } from './mailer';
import { createMeetingActivities } from './meeting';
import { createPilotActivities } from './pilot';
import { createPilotSeekingActivities } from './pilotSeeking';
import { createRecordActivities } from './records';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
}

export function createActivities({ db, mailer }: ActivityDeps) {
  return {
    ...createRecordActivities(db),
    ...createDocumentActivities(db, mailer),
    ...createInnovationActivities(db, mailer),
    ...createCycleActivities(db, mailer),
    ...createExplorationActivities(db, mailer),
    ...createMeetingActivities(db, mailer),
    ...createEvaluationActivities(db, mailer),
    ...createPilotActivities(db, mailer),
    ...createPilotSeekingActivities(db, mailer),
    ...createDutiesActivities(db, mailer),
  };
}
