-- The wall display (issue 10): per-minute floor history, and each display token's settings.
-- CreateTable
CREATE TABLE "FloorMinute" (
    "companyCode" TEXT NOT NULL,
    "minute" DATETIME NOT NULL,
    "agentsOffline" INTEGER NOT NULL,
    "agentsFree" INTEGER NOT NULL,
    "agentsBusy" INTEGER NOT NULL,
    "agentsRest" INTEGER NOT NULL,
    "agentsRinging" INTEGER NOT NULL,
    "agentsCalling" INTEGER NOT NULL,
    "agentsArrange" INTEGER NOT NULL,
    "callsRinging" INTEGER NOT NULL,
    "callsTalking" INTEGER NOT NULL,

    PRIMARY KEY ("companyCode", "minute")
);

-- CreateIndex
CREATE INDEX "FloorMinute_minute_idx" ON "FloorMinute"("minute");

-- AlterTable: columns added in place (constant defaults), so existing tokens and the display
-- sessions that reference them stay as they are; they get DEFAULT_DISPLAY_SETTINGS.
ALTER TABLE "DisplayToken" ADD COLUMN "rotateSeconds" INTEGER NOT NULL DEFAULT 20;
ALTER TABLE "DisplayToken" ADD COLUMN "sound" BOOLEAN NOT NULL DEFAULT true;
