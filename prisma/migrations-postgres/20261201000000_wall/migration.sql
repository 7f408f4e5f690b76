-- The wall display (issue 10): per-minute floor history, and each display token's settings.
-- AlterTable
ALTER TABLE "DisplayToken" ADD COLUMN     "rotateSeconds" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN     "sound" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "FloorMinute" (
    "companyCode" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "agentsOffline" INTEGER NOT NULL,
    "agentsFree" INTEGER NOT NULL,
    "agentsBusy" INTEGER NOT NULL,
    "agentsRest" INTEGER NOT NULL,
    "agentsRinging" INTEGER NOT NULL,
    "agentsCalling" INTEGER NOT NULL,
    "agentsArrange" INTEGER NOT NULL,
    "callsRinging" INTEGER NOT NULL,
    "callsTalking" INTEGER NOT NULL,

    CONSTRAINT "FloorMinute_pkey" PRIMARY KEY ("companyCode","minute")
);

-- CreateIndex
CREATE INDEX "FloorMinute_minute_idx" ON "FloorMinute"("minute");

