// Response bodies of the routes the console reads (zod, for the OpenAPI
// document only: the console's client types are generated from it, so a
// changed answer breaks the console's build instead of its pages). Instants are
// ISO strings, as express serialises Dates. Objects are open: a route may say
// more than is listed here.
import { z } from 'zod';
// Names components with .openapi(), which exists once zod is extended there.
import '../openapi';
import { CONTENT_AREAS } from '../../workflows/cycle/state';

const instant = z.string();
const light = z.enum(['GREEN', 'YELLOW', 'RED']);
/** One success answer with its JSON body. */
export const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

/** `responses` for describe(): the 200 answer (201 for creating routes). */
export const answers = (schema: z.ZodType, status: 200 | 201 = 200) => ({ [status]: ok(schema) });

export const NoticeExplanation = z.object({
  rule: z.string(),
  startEvent: z.string(),
  startedAt: instant,
  offset: z.string(),
  dueAt: instant.optional(),
});

export const Obligation = z.object({
  id: z.string(),
  key: z.string(),
  workflowId: z.string(),
  family: z.string(),
  subjectId: z.string(),
  title: z.string(),
  rule: z.string(),
  unitId: z.string(),
  officialId: z.string().nullable(),
  dueAt: instant,
  status: z.string(),
  light,
});

// ---- documents

export const DocumentNotice = z.object({
  id: z.string(),
  kind: z.string(),
  rule: z.string(),
  title: z.string(),
  body: z.string(),
  explanation: NoticeExplanation,
  dueAt: instant.nullable(),
  status: z.string(),
  createdBy: z.string().nullable(),
  createdAt: instant,
  recipients: z.array(
    z.object({
      officialId: z.string(),
      name: z.string(),
      unitName: z.string(),
      email: z.string().optional().openapi({ description: 'Administrators only' }),
      role: z.string(),
      status: z.string(),
      sentAt: instant.nullable(),
      error: z.string().nullable().optional().openapi({ description: "The mail server's answer to a failed delivery: administrators only" }),
      acknowledgedAt: instant.nullable(),
    }),
  ),
});

export const LedgerTask = z.object({
  id: z.string(),
  title: z.string(),
  unitId: z.string(),
  ownerId: z.string(),
  dueAt: instant,
  status: z.string(),
  progress: z.unknown(),
  closedAt: instant.nullable(),
});

export const DocumentDetail = z
  .object({
    id: z.string(),
    docNumber: z.string(),
    level: z.enum(['CENTRAL', 'PROVINCIAL']),
    title: z.string(),
    issuedAt: instant,
    receivedAt: instant,
    workflowId: z.string(),
    state: z.string(),
    leadUnitId: z.string().nullable(),
    participantUnitIds: z.array(z.string()),
    linkedDocNumber: z.string().nullable(),
    dueAt: instant.nullable(),
    exemptReason: z.string().nullable(),
    /** 印发到区县: the districts the municipal document went to (each acknowledges it). */
    districtIds: z.array(z.string()),
    policyVersion: z.string(),
    events: z.array(z.object({ id: z.string(), step: z.string(), actorId: z.string().nullable(), at: instant, data: z.unknown() })),
    ledgerTasks: z.array(LedgerTask),
    notices: z.array(DocumentNotice),
    obligations: z.array(Obligation),
  })
  .openapi('DocumentDetail');

export const DocumentArrived = z.object({ created: z.boolean(), document: DocumentDetail });

// ---- meetings (第三条 第一议题, 第四条(一))

export const SuperiorMeetingDetail = z
  .object({
    id: z.string(),
    level: z.enum(['CENTRAL', 'PROVINCIAL']),
    title: z.string(),
    heldAt: instant,
    registeredAt: instant,
    workflowId: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    dueAt: instant.nullable(),
    unitIds: z.array(z.string()),
    owing: z.array(z.object({ unitId: z.string(), conveyedAt: instant.optional(), meetingId: z.string().optional() })),
    supersededById: z.string().nullable(),
    policyVersion: z.string(),
    meetings: z.array(
      z.object({ id: z.string(), unitId: z.string(), kind: z.string(), title: z.string(), heldAt: instant, firstItem: z.string(), conveysId: z.string().nullable(), conveyedLatest: z.boolean(), recordedBy: z.string() }),
    ),
    events: z.array(z.object({ id: z.string(), step: z.string(), actorId: z.string().nullable(), at: instant, data: z.unknown() })),
    notices: z.array(z.object({ id: z.string(), kind: z.string(), rule: z.string(), title: z.string(), body: z.string(), createdAt: instant, recipients: z.array(z.object({ officialId: z.string(), role: z.string(), status: z.string() })) })),
    obligations: z.array(Obligation),
  })
  .openapi('SuperiorMeetingDetail');

export const SuperiorMeetingArrived = z.object({ created: z.boolean(), meeting: SuperiorMeetingDetail });

export const SuperiorMeetingList = z.object({
  items: z.array(z.object({ id: z.string(), level: z.enum(['CENTRAL', 'PROVINCIAL']), title: z.string(), heldAt: instant, state: z.string(), stateLabel: z.string(), dueAt: instant.nullable() })),
});

export const NoticeAcknowledged = z.object({ noticeId: z.string(), acknowledgedAt: instant.nullable() });

export const Inbox = z.object({
  nextCursor: z.string().nullable(),
  items: z.array(
    z.object({
      id: z.string(),
      role: z.string(),
      delivery: z.string(),
      sentAt: instant.nullable(),
      acknowledgedAt: instant.nullable(),
      notice: z.object({
        id: z.string(),
        kind: z.string(),
        title: z.string(),
        body: z.string(),
        rule: z.string(),
        dueAt: instant.nullable(),
        subjectType: z.string(),
        subjectId: z.string(),
        explanation: NoticeExplanation,
        createdAt: instant,
      }),
    }),
  ),
});

// ---- the monthly cycle

const CycleSummaryFields = {
  id: z.string(),
  workflowId: z.string(),
  phase: z.string(),
  phaseLabel: z.string(),
  startedAt: instant,
  reportDueAt: instant,
  scoringAt: instant,
  rankedAt: instant.nullable(),
  policyVersion: z.string(),
};
export const CycleList = z.object({ items: z.array(z.object(CycleSummaryFields)) });

export const CycleInspection = z.object({
  id: z.string(),
  unitId: z.string(),
  teamName: z.string(),
  leaderId: z.string(),
  peerUnitId: z.string().nullable().openapi({ description: '第十条（一）: the peer district or city special group of a mutual inspection (互督互查); null: the reform office inspected' }),
  reformOfficeIds: z.array(z.string()),
  specialGroupId: z.string().nullable(),
  departmentIds: z.array(z.string()),
  issues: z
    .array(z.object({ title: z.string(), detail: z.string().optional(), area: z.enum(CONTENT_AREAS).optional().openapi({ description: '第八条: the content area (absent on items recorded before areas were named)' }) }))
    .optional()
    .openapi({ description: 'The issue list: for the inspected unit, the inspecting team, the reform office and city leaders only (README, "Who sees what")' }),
  opinions: z
    .array(z.object({ unit: z.string(), text: z.string() }))
    .optional()
    .openapi({ description: '第十条（三）: grassroots opinions heard during the inspection; shown with the issue list, to the same readers' }),
  createdAt: instant,
  unitSignedBy: z.string().nullable(),
  unitSignedAt: instant.nullable(),
  leaderSignedBy: z.string().nullable(),
  leaderSignedAt: instant.nullable(),
});
export const CycleReport = z.object({
  id: z.string(),
  unitId: z.string(),
  submittedBy: z.string(),
  submittedAt: instant,
  dueAt: instant,
  onTime: z.boolean(),
  summary: z.string(),
  items: z.array(z.object({ taskCode: z.string(), progress: z.string(), status: z.string() })),
});
export const CycleDiagnosis = z.object({
  id: z.string(),
  unitId: z.string(),
  visitAt: instant,
  dueAt: instant,
  report: z.string().nullable().optional().openapi({ description: 'The diagnosis report (null until filed): for the diagnosed unit, the reform office and city leaders only' }),
  filedBy: z.string().nullable(),
  filedAt: instant.nullable(),
});
/** 第六条（四）(3): an on-site promotion meeting. */
export const CyclePromotionMeeting = z.object({
  id: z.string(),
  heldAt: instant,
  districtId: z.string(),
  shown: z.string(),
  attendeeUnitIds: z.array(z.string()),
  recordedBy: z.string(),
  recordedAt: instant,
});
/** 第六条（五）(3): a highlight recommended upward. */
export const CycleUpwardRecommendation = z.object({
  id: z.string(),
  unitIds: z.array(z.string()),
  highlight: z.string(),
  channel: z.string(),
  recipient: z.string(),
  sentAt: instant,
  recordedBy: z.string(),
  recordedAt: instant,
});
export const CycleDetail = z
  .object({
    ...CycleSummaryFields,
    year: z.number(),
    month: z.number(),
    /** One of the policy's quarter months: the district heads rate the inspection teams (第六条（三）(2)). */
    quarter: z.boolean(),
    targetUnitIds: z.array(z.string()),
    briefingAvailable: z.boolean(),
    reports: z.array(CycleReport),
    inspections: z.array(CycleInspection),
    diagnoses: z.array(CycleDiagnosis),
    promotionMeetings: z.array(CyclePromotionMeeting),
    upwardRecommendations: z.array(CycleUpwardRecommendation),
    obligations: z.array(Obligation),
    notices: z.record(z.string(), z.number()),
  })
  .openapi('CycleDetail');

const ScoreItem = z.object({
  code: z.string(),
  name: z.string(),
  weight: z.number(),
  bonus: z.boolean(),
  value: z.number(),
  facts: z.string(),
  rule: z.string(),
  override: z.object({ value: z.number(), reason: z.string().optional(), by: z.string(), at: instant }).optional(),
});
const RankingRow = z.object({
  unitId: z.string(),
  unitName: z.string(),
  rank: z.number(),
  total: z.number(),
  tieNote: z.string().nullable(),
  items: z.array(ScoreItem),
  annual: z.object({ monthsCounted: z.number(), average: z.number(), figure: z.number().nullable() }),
});
export const CycleRanking = z
  .object({
    month: z.string(),
    rankedAt: instant.nullable(),
    tieRule: z.string().optional(),
    districts: z.array(RankingRow),
    specialGroups: z.array(RankingRow),
    departments: z.array(RankingRow).openapi({ description: '第十条（二）: the departments carrying reform tasks, ranked apart on their own indicators (policy cycle.departments)' }),
    departmentTieRule: z.string().nullable(),
    speakers: z.object({ typical: z.array(z.string()), commitment: z.array(z.string()) }).optional(),
    improved: z.array(z.string()).optional(),
    /** Quarter months: the inspection teams ranked by the district heads. */
    teams: z
      .array(
        z.object({
          teamName: z.string(),
          raters: z.number(),
          fairMethod: z.number(),
          fairOrder: z.number(),
          thorough: z.number(),
          clean: z.number(),
          average: z.number(),
          rank: z.number(),
        }),
      )
      .nullable(),
  })
  .openapi('CycleRanking');

const Indicators = z.array(z.object({ code: z.string(), name: z.string(), weight: z.number(), method: z.string(), appliesTo: z.array(z.string()), bonus: z.boolean().optional() }));
export const IndicatorSet = z.object({ year: z.number(), isDefault: z.boolean(), indicators: Indicators });
export const IndicatorSetLoaded = z.object({ year: z.number(), indicators: Indicators, updatedAt: instant, note: z.string() });

export const Roadmap = z.object({
  year: z.number(),
  tasks: z.array(
    z.object({
      id: z.string(),
      year: z.number(),
      code: z.string(),
      unitId: z.string(),
      title: z.string(),
      milestones: z.array(z.object({ month: z.number().optional(), target: z.string() })),
      createdAt: instant,
      updatedAt: instant,
    }),
  ),
});

/** POST /cycles: the month as its workflow states it once started (without `cycle` while no worker has run it yet: 202). */
export const CycleStarted = z.object({
  started: z.boolean(),
  month: z.string(),
  workflowId: z.string(),
  cycle: z.object({ ...CycleSummaryFields, year: z.number(), month: z.number(), seed: z.string(), targetUnitIds: z.array(z.string()) }).optional(),
});

export const CycleReportAnswer = z.object({ report: CycleReport.nullable() });
export const CycleInspectionAnswer = z.object({ inspection: CycleInspection.nullable() });
export const CyclePromotionMeetingAnswer = z.object({ meeting: CyclePromotionMeeting.nullable() });
export const CycleUpwardAnswer = z.object({ recommendation: CycleUpwardRecommendation.nullable() });
export const CycleDiagnosisAnswer = z.object({ diagnosis: CycleDiagnosis.nullable() });
export const CycleScoreAnswer = z.object({ entry: z.unknown() });
export const CycleTeamRatingAnswer = z.object({ rating: z.unknown() });

// ---- innovation

export const Candidate = z.object({
  id: z.string(),
  unitId: z.string(),
  title: z.string(),
  summary: z.string(),
  leadUnitId: z.string(),
  leaderInChargeId: z.string().nullable(),
  mutualVotes: z.number(),
  secondVotes: z.number(),
  publicVotes: z.number(),
  /** 第十四条: the second-round and public votes combined (policy weights of their shares); chose the final list. */
  combinedScore: z.number().nullable(),
  shortlistRank: z.number().nullable(),
  finalRank: z.number().nullable(),
  approved: z.boolean(),
  opinions: z.array(z.object({ by: z.string(), unitId: z.string(), role: z.string(), agree: z.boolean(), comment: z.string().optional(), at: instant })),
  rolloutId: z.string().nullable(),
});
export const SelectionDetail = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    phase: z.string(),
    phaseLabel: z.string(),
    phaseDueAt: instant.nullable(),
    rounds: z.unknown(),
    approvedAt: instant.nullable(),
    /** The director's submission to the main city leaders, and their answers (第十四条). */
    submittedBy: z.string().nullable(),
    submittedAt: instant.nullable(),
    agreements: z.array(z.object({ by: z.string(), agree: z.boolean(), comment: z.string().optional(), at: instant })),
    tieRule: z.string(),
    candidates: z.array(Candidate),
    rollouts: z.array(z.object({ id: z.string(), title: z.string(), state: z.string(), workflowId: z.string() })),
  })
  .openapi('SelectionDetail');
/** A candidate as the selection workflow states it (workflows/innovation/messages.ts CandidateView). */
const WorkflowCandidate = z.object({
  id: z.string(),
  unitId: z.string(),
  title: z.string(),
  summary: z.string(),
  material: z.array(z.unknown()),
  leadUnitId: z.string(),
  leaderInChargeId: z.string().optional(),
  townshipApplies: z.boolean(),
  submittedBy: z.string(),
  submittedAt: instant,
  mutualVotes: z.number(),
  secondVotes: z.number(),
  publicVotes: z.number(),
  combinedScore: z.number().optional(),
  shortlistRank: z.number().optional(),
  finalRank: z.number().optional(),
  approved: z.boolean(),
  rolloutId: z.string().optional(),
});
export const CandidateSubmitted = z.object({ candidate: WorkflowCandidate.optional(), selection: SelectionDetail });
/** POST /innovation/selections: the half year as its workflow states it (without `selection` when no worker ran it within 10 s). */
export const SelectionStarted = z.object({
  workflowId: z.string(),
  selection: z
    .object({
      selectionId: z.string(),
      policyVersion: z.string(),
      phase: z.string(),
      phaseStartedAt: instant,
      phaseDueAt: instant,
      candidates: z.array(WorkflowCandidate),
      rolloutIds: z.array(z.string()),
      approvedAt: instant.optional(),
      revision: z.number(),
    })
    .optional(),
});
export const BallotCast = z.object({ round: z.string(), ballotId: z.string() });

const BoardRow = z.object({
  unitId: z.string(),
  done: z.number(),
  open: z.number(),
  late: z.number(),
  items: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      title: z.string(),
      dueAt: instant,
      doneAt: instant.optional(),
      status: z.enum(['DONE', 'DONE_LATE', 'OPEN', 'SUBMITTED', 'LATE']),
      statusLabel: z.string(),
      chases: z.number(),
      verdict: z.enum(['PASSED', 'FAILED', 'NOT_REPORTED']).optional(),
    }),
  ),
});
export const RolloutList = z.object({
  nextCursor: z.string().nullable(),
  items: z.array(z.object({ id: z.string(), title: z.string(), state: z.string(), leadUnitId: z.string(), startedAt: instant, late: z.number() })),
});
export const RolloutDetail = z
  .object({
    id: z.string(),
    selectionId: z.string(),
    workflowId: z.string(),
    title: z.string(),
    leadUnitId: z.string(),
    leaderInChargeId: z.string().nullable(),
    districtIds: z.array(z.string()),
    state: z.string(),
    reportDueAt: instant.nullable(),
    summaryDueAt: instant.nullable(),
    startedAt: instant,
    board: z.object({ city: z.array(BoardRow), districts: z.array(BoardRow) }),
    obligations: z.array(Obligation),
    notices: z.record(z.string(), z.number()),
  })
  .openapi('RolloutDetail');

export const RolloutBoard = z.object({ id: z.string(), title: z.string(), state: z.string(), board: RolloutDetail.shape.board });

export const PublicSelection = z.object({
  id: z.string(),
  phase: z.string(),
  phaseLabel: z.string(),
  open: z.boolean(),
  dueAt: instant.nullable(),
  candidates: z.array(z.object({ id: z.string(), title: z.string(), summary: z.string(), unitName: z.string().optional() })),
});
export const PublicBallotCast = z.object({ round: z.string(), accepted: z.boolean() });
export const VoteCodeSent = z.object({ sent: z.boolean(), expiresInMinutes: z.number() });

// ---- administration

export const OverdueBoard = z.object({
  now: instant,
  withinDays: z.number(),
  counts: z.object({ red: z.number(), yellow: z.number(), green: z.number() }),
  items: z.array(
    z.object({
      obligationId: z.string(),
      key: z.string(),
      workflowId: z.string(),
      family: z.string(),
      familyTitle: z.string().optional(),
      subjectId: z.string(),
      subject: z.object({ title: z.string(), reference: z.string() }).optional(),
      title: z.string(),
      rule: z.string(),
      unit: z.object({ id: z.string(), name: z.string() }),
      official: z.object({ id: z.string(), name: z.string(), title: z.string().optional(), email: z.string(), byDefault: z.boolean().optional() }).nullable(),
      dueAt: instant,
      light,
      overdue: z.boolean(),
      daysOverdue: z.number(),
    }),
  ),
});

export const WorkflowSearch = z.object({
  query: z.string(),
  nextPageToken: z.string().nullable(),
  items: z.array(
    z.object({
      workflowId: z.string(),
      runId: z.string(),
      type: z.string(),
      family: z.string().optional(),
      familyTitle: z.string().optional(),
      status: z.string(),
      statusLabel: z.string(),
      state: z.string().optional(),
      stateLabel: z.string().optional(),
      units: z.array(z.string()),
      level: z.string().optional(),
      dueAt: instant.optional(),
      overdue: z.boolean(),
      startTime: instant,
      closeTime: instant.optional(),
      subject: z.object({ type: z.string(), id: z.string(), title: z.string(), reference: z.string() }).optional(),
      temporalUiUrl: z.string(),
    }),
  ),
});

export const Timeline = z
  .object({
    workflowId: z.string(),
    workflowType: z.string().optional(),
    family: z.string().optional(),
    familyTitle: z.string().optional(),
    status: z.string(),
    temporalUiUrl: z.string().optional().openapi({ description: 'Administrators only' }),
    subject: z.object({ type: z.string(), id: z.string(), title: z.string().optional(), reference: z.string().optional(), link: z.string().optional() }).optional(),
    unitIds: z.array(z.string()),
    related: z.array(z.object({ workflowId: z.string(), reference: z.string().optional(), title: z.string().optional() })),
    events: z.array(
      z.object({
        at: instant,
        workflowId: z.string(),
        kind: z.string(),
        title: z.string(),
        detail: z.string().optional(),
        actor: z.object({ officialId: z.string().optional(), name: z.string(), unitName: z.string().optional(), title: z.string().optional() }),
        rule: z.string().optional(),
        source: z.enum(['temporal', 'database', 'audit']),
        minor: z.boolean().optional(),
        data: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .openapi('Timeline');

export const AuditPage = z.object({
  nextCursor: z.string().nullable(),
  items: z.array(
    z.object({
      id: z.string(),
      at: instant,
      officialId: z.string().nullable(),
      method: z.string(),
      path: z.string(),
      ip: z.string().nullable(),
      action: z.string(),
      subjectId: z.string().nullable(),
      status: z.number(),
      detail: z.unknown(),
      official: z.object({ id: z.string(), name: z.string(), unitName: z.string() }).nullable(),
      outcome: z.string(),
    }),
  ),
});

export const PolicyVersions = z.object({
  scope: z.string(),
  active: z.unknown(),
  defaults: z.unknown(),
  /** Newest first, a page at a time. */
  versions: z.array(z.object({ id: z.string(), scope: z.string(), version: z.string(), createdBy: z.string().nullable(), createdAt: instant })),
  nextCursor: z.string().nullable(),
});
export const PolicyPublished = z.object({
  id: z.string(),
  scope: z.string(),
  version: z.string(),
  createdAt: instant,
  policy: z.unknown(),
  /** A new working-day calendar was sent to the running workflows by this request (false: unchanged, or sent before). */
  calendarPublished: z.boolean(),
});

// ---- innovation items (第十二条)

const ExplorationReview = z.object({ passed: z.boolean(), comment: z.string().optional(), by: z.string(), at: instant });

const ExplorationAdjustment = z.object({ round: z.number(), reason: z.string(), by: z.string(), at: instant });

export const ExplorationDetail = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    phase: z.string(),
    phaseLabel: z.string(),
    phases: z.record(z.string(), z.object({ startedAt: instant, dueAt: instant.optional() })),
    rounds: z.array(
      z.object({ round: z.number(), units: z.array(z.string()).optional(), reportsDueAt: instant, commentDueAt: instant, comment: z.object({ text: z.string(), by: z.string(), at: instant }).optional() }),
    ),
    approvedAt: instant.nullable(),
    closedAt: instant.nullable(),
    items: z.array(
      z.object({
        itemId: z.string(),
        unitId: z.string(),
        groupId: z.string(),
        kind: z.string(),
        title: z.string(),
        summary: z.string(),
        submittedAt: instant,
        groupReview: ExplorationReview.nullable(),
        officeReview: ExplorationReview.nullable(),
        approval: ExplorationReview.nullable(),
        progress: z.array(z.object({ round: z.number(), text: z.string(), by: z.string(), at: instant })),
        /** 第十二条(三): added by the office during tracking (reports owed from `round`), or withdrawn (none owed from `round`). */
        added: ExplorationAdjustment.nullable(),
        withdrawn: ExplorationAdjustment.nullable(),
        /** Owes its report in the latest tracking round. */
        tracked: z.boolean(),
      }),
    ),
    obligations: z.array(Obligation),
    notices: z.record(z.string(), z.number()),
  })
  .openapi('ExplorationDetail');

export const ExplorationStarted = z.object({ started: z.boolean(), year: z.string(), workflowId: z.string(), exploration: ExplorationDetail.optional() });
export const ExplorationList = z.object({ items: z.array(z.object({ id: z.string(), workflowId: z.string(), phase: z.string(), phaseLabel: z.string(), approvedAt: instant.nullable(), closedAt: instant.nullable() })) });
// ---- pilots (第十一条, 第十三条)

export const Pilot = z
  .object({
    id: z.string(),
    reference: z.string(),
    origin: z.enum(['WON', 'EXPERIENCE']),
    level: z.string().nullable(),
    title: z.string(),
    summary: z.string().nullable(),
    cityWide: z.boolean(),
    workflowId: z.string(),
    state: z.string(),
    stateLabel: z.string(),
    leadUnitId: z.string(),
    participantUnitIds: z.array(z.string()),
    leaderId: z.string().nullable(),
    goals: z.string().nullable(),
    dueAt: instant.nullable(),
    resultsUse: z.string().nullable(),
    dispatches: z.number().int(),
    acceptedAt: instant.nullable(),
    reportedAt: instant.nullable(),
    reportedTo: z.array(z.string()),
    policyVersion: z.string(),
    createdAt: instant,
  })
  .openapi('Pilot');

export const PilotDetail = Pilot.extend({
  events: z.array(z.object({ id: z.string(), step: z.string(), actorId: z.string().nullable(), at: instant, data: z.unknown() })),
  notices: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), rule: z.string(), dueAt: instant.nullable(), createdAt: instant })),
  obligations: z.array(Obligation),
}).openapi('PilotDetail');

export const PilotRegistered = z.object({ created: z.boolean(), pilot: PilotDetail });
export const PilotLedger = z.object({ items: z.array(Pilot) });

// ---- seeking pilots (第十一条(一)–(四))

const SeekingRow = z.object({
  id: z.string(),
  unitId: z.string(),
  quarter: z.string(),
  title: z.string(),
  level: z.string(),
  source: z.string(),
  participantUnitIds: z.array(z.string()),
  leaderId: z.string().nullable(),
  progress: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  note: z.string().nullable(),
  leadId: z.string().nullable(),
  openedIn: z.string(),
  closedIn: z.string().nullable(),
  closedAt: instant.nullable(),
  updatedAt: instant,
});

export const SeekingDetail = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    phase: z.string(),
    phaseLabel: z.string(),
    startedAt: instant,
    leadsDueAt: instant,
    leadsIssuedAt: instant.nullable(),
    leads: z.array(z.object({ id: z.string(), title: z.string(), level: z.string(), source: z.string(), leadUnitId: z.string(), participantUnitIds: z.array(z.string()) })),
    reports: z.array(z.object({ unitId: z.string(), month: z.number(), contacts: z.string(), learned: z.string(), requests: z.string(), by: z.string(), at: instant, late: z.boolean() })),
    reportsDueAt: z.record(z.string(), instant),
    bulletinDueAt: instant.nullable(),
    bulletin: z.object({ text: z.string(), by: z.string(), at: instant }).nullable(),
    closedAt: instant.nullable(),
    /** The ledger rows this quarter carries (open ones passed on from earlier quarters included). */
    rows: z.array(SeekingRow),
    obligations: z.array(Obligation),
    notices: z.record(z.string(), z.number()),
  })
  .openapi('PilotSeekingDetail');

export const SeekingStarted = z.object({ started: z.boolean(), quarter: z.string(), workflowId: z.string(), pilotSeeking: SeekingDetail.optional() });
export const SeekingList = z.object({ items: z.array(z.object({ id: z.string(), workflowId: z.string(), phase: z.string(), phaseLabel: z.string(), leadsIssuedAt: instant.nullable(), closedAt: instant.nullable() })) });
export const SeekingLedger = z.object({ items: z.array(SeekingRow), nextCursor: z.string().nullable() }).openapi('PilotSeekingLedger');

// ---- standing duties (第十五条(一)(二), 第十七条(二))

const DutiesCell = z.object({ monday: z.string(), status: z.string(), pieces: z.number() });

export const DutiesDetail = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    phase: z.string(),
    phaseLabel: z.string(),
    startedAt: instant,
    media: z.array(z.object({ id: z.string(), name: z.string() })),
    weeks: z.array(z.object({ monday: z.string(), dueAt: instant, chasedAt: instant.optional(), missed: z.array(z.string()) })),
    pieces: z.array(z.object({ id: z.string(), mediumId: z.string(), title: z.string(), publishedOn: z.string(), week: z.string(), link: z.string().optional(), issue: z.string().optional(), by: z.string(), at: instant })),
    /** 第十五条(一): per medium and begun week, whether the duty was met. */
    table: z.array(z.object({ mediumId: z.string(), name: z.string(), met: z.number(), missed: z.number(), weeks: z.array(DutiesCell) })),
    brochure: z.record(z.string(), z.unknown()),
    training: z.record(z.string(), z.unknown()),
    trainings: z.array(z.record(z.string(), z.unknown())),
    closesAt: instant,
    closedAt: instant.nullable(),
    obligations: z.array(Obligation),
    notices: z.record(z.string(), z.number()),
  })
  .openapi('DutiesDetail');

export const DutiesStarted = z.object({ started: z.boolean(), year: z.number(), workflowId: z.string(), duties: DutiesDetail.optional() });
export const DutiesList = z.object({ items: z.array(z.object({ id: z.string(), workflowId: z.string(), phase: z.string(), phaseLabel: z.string(), closedAt: instant.nullable() })) });
