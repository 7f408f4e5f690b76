-- AlterTable
ALTER TABLE "Intervention" ADD COLUMN     "nodeId" TEXT;

-- CreateIndex
CREATE INDEX "Intervention_outcome_nodeId_idx" ON "Intervention"("outcome", "nodeId");

