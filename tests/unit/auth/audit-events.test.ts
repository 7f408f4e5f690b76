import { describe, expect, it } from "vitest";
import { ZAuditEvent, ZAuditEventInput } from "@/lib/audit/events";

const envelope = {
  actor: { kind: "user" as const, id: "u1", name: "admin" },
  companyCode: "90001",
  ip: "127.0.0.1",
  userAgent: "test",
};

describe("[AUDIT] event schemas", () => {
  it("accepts each event with its own data", () => {
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        type: "login.succeeded",
        data: { userId: "u1", username: "admin" },
      }).success,
    ).toBe(true);
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        type: "login.failed",
        data: { username: "x", reason: "account_locked" },
      }).success,
    ).toBe(true);
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        type: "display_token.created",
        data: { tokenId: "t", label: "Wall", companyCode: "90001", expiresAt: null },
      }).success,
    ).toBe(true);
  });

  it("refuses data of another type, unknown types and bad envelopes", () => {
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        type: "login.failed",
        data: { userId: "u1", username: "admin" },
      }).success,
    ).toBe(false);
    expect(
      ZAuditEventInput.safeParse({ ...envelope, type: "user.deleted", data: {} }).success,
    ).toBe(false);
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        actor: { kind: "robot" },
        type: "logout",
        data: { userId: "u", username: "a" },
      }).success,
    ).toBe(false);
    expect(
      ZAuditEventInput.safeParse({
        ...envelope,
        ip: "x".repeat(65),
        type: "logout",
        data: { userId: "u", username: "a" },
      }).success,
    ).toBe(false);
  });

  it("requires the stored id and time on read", () => {
    const event = { ...envelope, type: "logout", data: { userId: "u", username: "a" } };
    expect(ZAuditEvent.safeParse(event).success).toBe(false);
    expect(ZAuditEvent.safeParse({ ...event, id: 1, at: new Date() }).success).toBe(true);
  });
});
