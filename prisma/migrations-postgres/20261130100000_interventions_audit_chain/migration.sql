-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "interventionId" TEXT,
ADD COLUMN     "prevHash" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Intervention" (
    "id" TEXT NOT NULL,
    "companyCode" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "seatAgentId" TEXT NOT NULL,
    "targetAgentId" TEXT NOT NULL,
    "callUuid" TEXT NOT NULL,
    "reason" TEXT,
    "stage" TEXT NOT NULL,
    "outcome" TEXT,
    "code" TEXT,
    "message" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Intervention_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditVerification" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "checked" INTEGER NOT NULL,
    "unchained" INTEGER NOT NULL,
    "firstBadId" INTEGER,
    "message" TEXT,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "AuditVerification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Intervention_companyCode_requestedAt_idx" ON "Intervention"("companyCode", "requestedAt");

-- CreateIndex
CREATE INDEX "Intervention_actorId_requestedAt_idx" ON "Intervention"("actorId", "requestedAt");

-- CreateIndex
CREATE INDEX "Intervention_targetAgentId_requestedAt_idx" ON "Intervention"("targetAgentId", "requestedAt");

-- CreateIndex
CREATE INDEX "Intervention_callUuid_idx" ON "Intervention"("callUuid");

-- CreateIndex
CREATE INDEX "Intervention_operation_requestedAt_idx" ON "Intervention"("operation", "requestedAt");

-- CreateIndex
CREATE INDEX "Intervention_outcome_requestedAt_idx" ON "Intervention"("outcome", "requestedAt");

-- CreateIndex
CREATE INDEX "Intervention_stage_idx" ON "Intervention"("stage");

-- CreateIndex
CREATE UNIQUE INDEX "Intervention_actorId_idempotencyKey_key" ON "Intervention"("actorId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_interventionId_idx" ON "AuditEvent"("interventionId");


-- The record of verifications is append-only too.
CREATE TRIGGER "AuditVerification_no_update" BEFORE UPDATE ON "AuditVerification"
    FOR EACH ROW EXECUTE FUNCTION "append_only"('audit verifications are append-only');

CREATE TRIGGER "AuditVerification_no_delete" BEFORE DELETE ON "AuditVerification"
    FOR EACH ROW EXECUTE FUNCTION "append_only"('audit verifications are append-only');

CREATE TRIGGER "AuditVerification_no_truncate" BEFORE TRUNCATE ON "AuditVerification"
    FOR EACH STATEMENT EXECUTE FUNCTION "append_only"('audit verifications are append-only');
