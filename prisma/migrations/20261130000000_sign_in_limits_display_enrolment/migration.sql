-- Sign-in limits per account and source (review findings 3-5), demo accounts flagged (16),
-- display tokens as one-time enrolments (17).
-- AlterTable
ALTER TABLE "DisplayToken" ADD COLUMN "enrolledAt" DATETIME;

-- CreateTable
CREATE TABLE "SignInSource" (
    "userId" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "lastSuccessAt" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "ip"),
    CONSTRAINT "SignInSource_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "username" TEXT,
    "displayUsername" TEXT,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "companyCode" TEXT NOT NULL,
    "allCompanies" BOOLEAN NOT NULL DEFAULT false,
    "ctiAgentId" TEXT,
    "ctiExtId" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "credentialVersion" INTEGER NOT NULL DEFAULT 0,
    "demo" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_User" ("allCompanies", "companyCode", "createdAt", "ctiAgentId", "ctiExtId", "disabled", "displayUsername", "email", "emailVerified", "id", "image", "name", "role", "updatedAt", "username") SELECT "allCompanies", "companyCode", "createdAt", "ctiAgentId", "ctiExtId", "disabled", "displayUsername", "email", "emailVerified", "id", "image", "name", "role", "updatedAt", "username" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE INDEX "User_companyCode_idx" ON "User"("companyCode");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;


-- Demo accounts are the ones the first start created under these names (actor "system").
UPDATE "User" SET "demo" = true
WHERE "username" IN ('supervisor', 'viewer')
  AND "id" IN (
    SELECT json_extract("data", '$.userId') FROM "AuditEvent"
    WHERE "type" = 'user.created' AND "actorKind" = 'system'
  );

-- A token already exchanged has had its enrolment: its display keeps its session, a second
-- device needs a new token.
UPDATE "DisplayToken" SET "enrolledAt" = "lastUsedAt" WHERE "lastUsedAt" IS NOT NULL;
