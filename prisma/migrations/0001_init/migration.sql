-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DocumentLevel" AS ENUM ('CENTRAL', 'PROVINCIAL');

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('PENDING', 'SENT', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('REFORM_OFFICE', 'LEADERSHIP', 'SPECIAL_GROUP', 'DISTRICT', 'DEPARTMENT', 'TOWNSHIP');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'DIRECTOR', 'DEPUTY_DIRECTOR', 'HEAD', 'LEADER_IN_CHARGE', 'LIAISON', 'DRAFTER', 'INSPECTOR', 'CITY_LEADER', 'INGEST');

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "resetAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "CycleRoadmapTask" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "milestones" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CycleRoadmapTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleIndicatorSet" (
    "year" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "createdBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CycleIndicatorSet_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "month" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "targetUnitIds" TEXT[],
    "policyVersion" TEXT NOT NULL,
    "quarter" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "reportDueAt" TIMESTAMP(3) NOT NULL,
    "scoringAt" TIMESTAMP(3) NOT NULL,
    "rankedAt" TIMESTAMP(3),
    "briefingHtml" TEXT,
    "briefing" JSONB,
    "teamRanking" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleReport" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "onTime" BOOLEAN NOT NULL,
    "summary" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleInspection" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "teamName" TEXT NOT NULL,
    "leaderId" TEXT NOT NULL,
    "peerUnitId" TEXT,
    "reformOfficeIds" TEXT[],
    "specialGroupId" TEXT,
    "departmentIds" TEXT[],
    "issues" JSONB NOT NULL,
    "opinions" JSONB NOT NULL DEFAULT '[]',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "unitSignedBy" TEXT,
    "unitSignedAt" TIMESTAMP(3),
    "leaderSignedBy" TEXT,
    "leaderSignedAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleInspection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleScoreEntry" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "indicatorCode" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "override" BOOLEAN NOT NULL,
    "reason" TEXT,
    "enteredBy" TEXT NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleScoreEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleScore" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "month" INTEGER NOT NULL,
    "unitId" TEXT NOT NULL,
    "unitKind" TEXT NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "items" JSONB NOT NULL,
    "tieNote" TEXT,
    "monthsCounted" INTEGER NOT NULL,
    "annualAverage" DOUBLE PRECISION NOT NULL,
    "annualFigure" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleTeamRating" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "raterUnitId" TEXT NOT NULL,
    "teamName" TEXT NOT NULL,
    "fairMethod" INTEGER NOT NULL,
    "fairOrder" INTEGER NOT NULL,
    "thorough" INTEGER NOT NULL,
    "clean" INTEGER NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleTeamRating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleDiagnosis" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "visitAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "report" TEXT,
    "filedBy" TEXT,
    "filedAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleDiagnosis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CyclePromotionMeeting" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "heldAt" TIMESTAMP(3) NOT NULL,
    "districtId" TEXT NOT NULL,
    "shown" TEXT NOT NULL,
    "attendeeUnitIds" TEXT[],
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CyclePromotionMeeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CycleUpwardRecommendation" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "unitIds" TEXT[],
    "highlight" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CycleUpwardRecommendation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" TEXT NOT NULL,
    "docNumber" TEXT NOT NULL,
    "level" "DocumentLevel" NOT NULL,
    "title" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "workflowId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "leadUnitId" TEXT,
    "participantUnitIds" TEXT[],
    "linkedDocNumber" TEXT,
    "dueAt" TIMESTAMP(3),
    "exemptReason" TEXT,
    "districtIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "policyVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerTask" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "progress" JSONB NOT NULL DEFAULT '[]',
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "LedgerTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DutiesYear" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "media" JSONB NOT NULL DEFAULT '[]',
    "weeks" JSONB NOT NULL DEFAULT '[]',
    "pieces" JSONB NOT NULL DEFAULT '[]',
    "brochure" JSONB NOT NULL,
    "training" JSONB NOT NULL,
    "trainings" JSONB NOT NULL DEFAULT '[]',
    "closesAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DutiesYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "policyVersion" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "planDueAt" TIMESTAMP(3) NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkflowEvent" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "actorId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL,
    "data" JSONB,

    CONSTRAINT "WorkflowEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExplorationYear" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "phases" JSONB NOT NULL DEFAULT '{}',
    "rounds" JSONB NOT NULL DEFAULT '[]',
    "approvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExplorationYear_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExplorationItem" (
    "id" TEXT NOT NULL,
    "year" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "groupReview" JSONB,
    "officeReview" JSONB,
    "approval" JSONB,
    "progress" JSONB NOT NULL DEFAULT '[]',
    "added" JSONB,
    "withdrawn" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExplorationItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InnovationSelection" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "phaseDueAt" TIMESTAMP(3),
    "rounds" JSONB NOT NULL DEFAULT '{}',
    "policyVersion" TEXT NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "approvedBy" TEXT,
    "submittedBy" TEXT,
    "submittedAt" TIMESTAMP(3),
    "agreements" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InnovationSelection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InnovationCandidate" (
    "id" TEXT NOT NULL,
    "selectionId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "material" JSONB NOT NULL,
    "leadUnitId" TEXT NOT NULL,
    "leaderInChargeId" TEXT,
    "townshipApplies" BOOLEAN NOT NULL DEFAULT true,
    "submittedBy" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "mutualVotes" INTEGER NOT NULL DEFAULT 0,
    "secondVotes" INTEGER NOT NULL DEFAULT 0,
    "publicVotes" INTEGER NOT NULL DEFAULT 0,
    "combinedScore" DOUBLE PRECISION,
    "shortlistRank" INTEGER,
    "finalRank" INTEGER,
    "approved" BOOLEAN NOT NULL DEFAULT false,
    "opinions" JSONB NOT NULL DEFAULT '[]',
    "rolloutId" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InnovationCandidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InnovationBallot" (
    "id" TEXT NOT NULL,
    "selectionId" TEXT NOT NULL,
    "round" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "voterUnitId" TEXT,
    "officialId" TEXT,
    "ipHash" TEXT,
    "candidateIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InnovationBallot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublicVoteCode" (
    "id" TEXT NOT NULL,
    "selectionId" TEXT NOT NULL,
    "voterKey" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublicVoteCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InnovationRollout" (
    "id" TEXT NOT NULL,
    "selectionId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "leadUnitId" TEXT NOT NULL,
    "leaderInChargeId" TEXT,
    "districtIds" TEXT[],
    "townshipApplies" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL,
    "board" JSONB NOT NULL DEFAULT '{}',
    "reportDueAt" TIMESTAMP(3),
    "summaryDueAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InnovationRollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SuperiorMeeting" (
    "id" TEXT NOT NULL,
    "level" "DocumentLevel" NOT NULL,
    "title" TEXT NOT NULL,
    "heldAt" TIMESTAMP(3) NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "workflowId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "unitIds" TEXT[],
    "owing" JSONB NOT NULL DEFAULT '[]',
    "supersededById" TEXT,
    "policyVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SuperiorMeeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReformMeeting" (
    "id" TEXT NOT NULL,
    "superiorMeetingId" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "heldAt" TIMESTAMP(3) NOT NULL,
    "firstItem" TEXT NOT NULL,
    "conveysId" TEXT,
    "conveyedLatest" BOOLEAN NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReformMeeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "explanation" JSONB NOT NULL,
    "dueAt" TIMESTAMP(3),
    "status" "NoticeStatus" NOT NULL DEFAULT 'PENDING',
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeRecipient" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "officialId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'TO',
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "messageId" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3),
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "acknowledgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NoticeRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "officialId" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "ip" TEXT,
    "action" TEXT NOT NULL,
    "subjectId" TEXT,
    "status" INTEGER NOT NULL,
    "detail" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Obligation" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "officialId" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "reason" TEXT,
    "closedAt" TIMESTAMP(3),
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Obligation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Unit" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "UnitKind" NOT NULL,
    "parentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Unit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Official" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "roles" "Role"[],
    "title" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Official_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "officialId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pilot" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "level" TEXT,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "cityWide" BOOLEAN NOT NULL DEFAULT false,
    "workflowId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "leadUnitId" TEXT NOT NULL,
    "participantUnitIds" TEXT[],
    "leaderId" TEXT,
    "goals" TEXT,
    "dueAt" TIMESTAMP(3),
    "resultsUse" TEXT,
    "dispatches" INTEGER NOT NULL DEFAULT 0,
    "acceptedAt" TIMESTAMP(3),
    "reportedAt" TIMESTAMP(3),
    "reportedTo" TEXT[],
    "policyVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Pilot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PilotSeekingQuarter" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "leadsDueAt" TIMESTAMP(3) NOT NULL,
    "leadsIssuedAt" TIMESTAMP(3),
    "leads" JSONB NOT NULL DEFAULT '[]',
    "reports" JSONB NOT NULL DEFAULT '[]',
    "reportsDueAt" JSONB NOT NULL DEFAULT '{}',
    "bulletinDueAt" TIMESTAMP(3),
    "bulletin" JSONB,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PilotSeekingQuarter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PilotSeekingRow" (
    "id" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "quarter" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "participantUnitIds" TEXT[],
    "leaderId" TEXT,
    "progress" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "note" TEXT,
    "leadId" TEXT,
    "openedIn" TEXT NOT NULL,
    "closedIn" TEXT,
    "closedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revision" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PilotSeekingRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginCode" (
    "id" TEXT NOT NULL,
    "officialId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" TIMESTAMP(3),
    "ip" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "officialId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RateLimitCounter_resetAt_idx" ON "RateLimitCounter"("resetAt");

-- CreateIndex
CREATE INDEX "CycleRoadmapTask_year_unitId_idx" ON "CycleRoadmapTask"("year", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "CycleRoadmapTask_year_code_key" ON "CycleRoadmapTask"("year", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_workflowId_key" ON "Cycle"("workflowId");

-- CreateIndex
CREATE INDEX "Cycle_year_month_idx" ON "Cycle"("year", "month");

-- CreateIndex
CREATE UNIQUE INDEX "CycleReport_cycleId_unitId_key" ON "CycleReport"("cycleId", "unitId");

-- CreateIndex
CREATE INDEX "CycleInspection_cycleId_unitId_idx" ON "CycleInspection"("cycleId", "unitId");

-- CreateIndex
CREATE INDEX "CycleScoreEntry_cycleId_unitId_idx" ON "CycleScoreEntry"("cycleId", "unitId");

-- CreateIndex
CREATE INDEX "CycleScore_year_month_idx" ON "CycleScore"("year", "month");

-- CreateIndex
CREATE UNIQUE INDEX "CycleScore_cycleId_unitId_key" ON "CycleScore"("cycleId", "unitId");

-- CreateIndex
CREATE UNIQUE INDEX "CycleTeamRating_cycleId_raterUnitId_teamName_key" ON "CycleTeamRating"("cycleId", "raterUnitId", "teamName");

-- CreateIndex
CREATE UNIQUE INDEX "CycleDiagnosis_cycleId_unitId_key" ON "CycleDiagnosis"("cycleId", "unitId");

-- CreateIndex
CREATE INDEX "CyclePromotionMeeting_cycleId_idx" ON "CyclePromotionMeeting"("cycleId");

-- CreateIndex
CREATE INDEX "CycleUpwardRecommendation_cycleId_idx" ON "CycleUpwardRecommendation"("cycleId");

-- CreateIndex
CREATE UNIQUE INDEX "Document_docNumber_key" ON "Document"("docNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Document_workflowId_key" ON "Document"("workflowId");

-- CreateIndex
CREATE INDEX "Document_state_idx" ON "Document"("state");

-- CreateIndex
CREATE INDEX "Document_leadUnitId_idx" ON "Document"("leadUnitId");

-- CreateIndex
CREATE INDEX "LedgerTask_documentId_idx" ON "LedgerTask"("documentId");

-- CreateIndex
CREATE INDEX "LedgerTask_ownerId_idx" ON "LedgerTask"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "DutiesYear_workflowId_key" ON "DutiesYear"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_workflowId_key" ON "Evaluation"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_year_key" ON "Evaluation"("year");

-- CreateIndex
CREATE UNIQUE INDEX "WorkflowEvent_key_key" ON "WorkflowEvent"("key");

-- CreateIndex
CREATE INDEX "WorkflowEvent_workflowId_at_idx" ON "WorkflowEvent"("workflowId", "at");

-- CreateIndex
CREATE INDEX "WorkflowEvent_subjectId_at_idx" ON "WorkflowEvent"("subjectId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "ExplorationYear_workflowId_key" ON "ExplorationYear"("workflowId");

-- CreateIndex
CREATE INDEX "ExplorationItem_year_idx" ON "ExplorationItem"("year");

-- CreateIndex
CREATE INDEX "ExplorationItem_unitId_idx" ON "ExplorationItem"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "InnovationSelection_workflowId_key" ON "InnovationSelection"("workflowId");

-- CreateIndex
CREATE INDEX "InnovationCandidate_selectionId_idx" ON "InnovationCandidate"("selectionId");

-- CreateIndex
CREATE INDEX "InnovationBallot_selectionId_round_ipHash_idx" ON "InnovationBallot"("selectionId", "round", "ipHash");

-- CreateIndex
CREATE UNIQUE INDEX "InnovationBallot_selectionId_round_voterKey_key" ON "InnovationBallot"("selectionId", "round", "voterKey");

-- CreateIndex
CREATE INDEX "PublicVoteCode_voterKey_createdAt_idx" ON "PublicVoteCode"("voterKey", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "InnovationRollout_candidateId_key" ON "InnovationRollout"("candidateId");

-- CreateIndex
CREATE UNIQUE INDEX "InnovationRollout_workflowId_key" ON "InnovationRollout"("workflowId");

-- CreateIndex
CREATE INDEX "InnovationRollout_selectionId_idx" ON "InnovationRollout"("selectionId");

-- CreateIndex
CREATE INDEX "InnovationRollout_leadUnitId_idx" ON "InnovationRollout"("leadUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "SuperiorMeeting_workflowId_key" ON "SuperiorMeeting"("workflowId");

-- CreateIndex
CREATE INDEX "SuperiorMeeting_heldAt_idx" ON "SuperiorMeeting"("heldAt");

-- CreateIndex
CREATE INDEX "ReformMeeting_superiorMeetingId_idx" ON "ReformMeeting"("superiorMeetingId");

-- CreateIndex
CREATE INDEX "ReformMeeting_unitId_idx" ON "ReformMeeting"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_key_key" ON "Notice"("key");

-- CreateIndex
CREATE INDEX "Notice_subjectType_subjectId_idx" ON "Notice"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "Notice_workflowId_idx" ON "Notice"("workflowId");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeRecipient_messageId_key" ON "NoticeRecipient"("messageId");

-- CreateIndex
CREATE INDEX "NoticeRecipient_officialId_createdAt_idx" ON "NoticeRecipient"("officialId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeRecipient_noticeId_officialId_key" ON "NoticeRecipient"("noticeId", "officialId");

-- CreateIndex
CREATE INDEX "AuditLog_officialId_at_idx" ON "AuditLog"("officialId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_subjectId_idx" ON "AuditLog"("subjectId");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE UNIQUE INDEX "Obligation_key_key" ON "Obligation"("key");

-- CreateIndex
CREATE INDEX "Obligation_status_dueAt_idx" ON "Obligation"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Obligation_unitId_status_idx" ON "Obligation"("unitId", "status");

-- CreateIndex
CREATE INDEX "Obligation_workflowId_idx" ON "Obligation"("workflowId");

-- CreateIndex
CREATE INDEX "Obligation_subjectId_idx" ON "Obligation"("subjectId");

-- CreateIndex
CREATE INDEX "PolicyVersion_scope_createdAt_idx" ON "PolicyVersion"("scope", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_scope_version_key" ON "PolicyVersion"("scope", "version");

-- CreateIndex
CREATE INDEX "Unit_kind_idx" ON "Unit"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "Official_email_key" ON "Official"("email");

-- CreateIndex
CREATE INDEX "Official_unitId_idx" ON "Official"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_officialId_idx" ON "ApiToken"("officialId");

-- CreateIndex
CREATE UNIQUE INDEX "Pilot_reference_key" ON "Pilot"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "Pilot_workflowId_key" ON "Pilot"("workflowId");

-- CreateIndex
CREATE INDEX "Pilot_state_idx" ON "Pilot"("state");

-- CreateIndex
CREATE INDEX "Pilot_leadUnitId_idx" ON "Pilot"("leadUnitId");

-- CreateIndex
CREATE UNIQUE INDEX "PilotSeekingQuarter_workflowId_key" ON "PilotSeekingQuarter"("workflowId");

-- CreateIndex
CREATE INDEX "PilotSeekingRow_unitId_idx" ON "PilotSeekingRow"("unitId");

-- CreateIndex
CREATE INDEX "PilotSeekingRow_status_idx" ON "PilotSeekingRow"("status");

-- CreateIndex
CREATE INDEX "PilotSeekingRow_workflowId_idx" ON "PilotSeekingRow"("workflowId");

-- CreateIndex
CREATE INDEX "LoginCode_officialId_createdAt_idx" ON "LoginCode"("officialId", "createdAt");

-- CreateIndex
CREATE INDEX "LoginCode_ip_createdAt_idx" ON "LoginCode"("ip", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Session_tokenHash_key" ON "Session"("tokenHash");

-- CreateIndex
CREATE INDEX "Session_officialId_idx" ON "Session"("officialId");

-- AddForeignKey
ALTER TABLE "LedgerTask" ADD CONSTRAINT "LedgerTask_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InnovationCandidate" ADD CONSTRAINT "InnovationCandidate_selectionId_fkey" FOREIGN KEY ("selectionId") REFERENCES "InnovationSelection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReformMeeting" ADD CONSTRAINT "ReformMeeting_superiorMeetingId_fkey" FOREIGN KEY ("superiorMeetingId") REFERENCES "SuperiorMeeting"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeRecipient" ADD CONSTRAINT "NoticeRecipient_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Unit" ADD CONSTRAINT "Unit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Official" ADD CONSTRAINT "Official_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_officialId_fkey" FOREIGN KEY ("officialId") REFERENCES "Official"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

