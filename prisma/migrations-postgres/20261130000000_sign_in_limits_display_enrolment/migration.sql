-- Sign-in limits per account and source (review findings 3-5), demo accounts flagged (16),
-- display tokens as one-time enrolments (17).
-- AlterTable
ALTER TABLE "User" DROP COLUMN "failedLogins",
DROP COLUMN "lockedUntil",
ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "demo" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "DisplayToken" ADD COLUMN     "enrolledAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SignInSource" (
    "userId" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "lastSuccessAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInSource_pkey" PRIMARY KEY ("userId","ip")
);

-- AddForeignKey
ALTER TABLE "SignInSource" ADD CONSTRAINT "SignInSource_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Demo accounts are the ones the first start created under these names (actor "system").
UPDATE "User" SET "demo" = true
WHERE "username" IN ('supervisor', 'viewer')
  AND "id" IN (
    SELECT "data"::jsonb ->> 'userId' FROM "AuditEvent"
    WHERE "type" = 'user.created' AND "actorKind" = 'system'
  );

-- A token already exchanged has had its enrolment: its display keeps its session, a second
-- device needs a new token.
UPDATE "DisplayToken" SET "enrolledAt" = "lastUsedAt" WHERE "lastUsedAt" IS NOT NULL;
