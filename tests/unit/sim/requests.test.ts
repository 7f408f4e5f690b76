import { describe, expect, it } from "vitest";
import { normalizeRecord } from "@/lib/protocol/normalize";
import {
  describeIssues,
  isRequestType,
  REQUEST_TYPES,
  ZCheckinRequest,
  ZConsultRequest,
  ZTransRequest,
} from "@/lib/protocol/requests";

describe("request schemas (protocol.md §2 quirks)", () => {
  it("covers the fifteen request types", () => {
    expect(REQUEST_TYPES).toHaveLength(15);
    expect(isRequestType("substitute")).toBe(true);
    expect(isRequestType("toString")).toBe(false);
  });

  it("reads numbers as strings or numbers and statuses as names or digits", () => {
    const frame = normalizeRecord({
      agent_id: 90001,
      agent_pwd: "x",
      start_status: "2",
      ext_id: "",
    });
    expect(ZCheckinRequest.parse(frame)).toEqual({
      agent_id: "90001",
      agent_pwd: "x",
      start_status: "BUSY",
    });
    expect(
      ZTransRequest.parse({ uuid: "call-1", type: "1", trans_type: 4, trans_number: 13107618845 }),
    ).toMatchObject({ type: 1, trans_type: 4, trans_number: "13107618845" });
  });

  it("names missing fields, including the ones only some types need", () => {
    const trans = ZTransRequest.safeParse({ uuid: "call-1", type: 1 });
    expect(trans.success).toBe(false);
    if (!trans.success)
      expect(describeIssues(trans.error, { uuid: "call-1", type: 1 })).toBe(
        "trans_type: required; trans_number: required",
      );
    expect(ZTransRequest.safeParse({ uuid: "call-1", type: "3" }).success).toBe(true);
    const consult = ZConsultRequest.safeParse({ type: 1 });
    expect(consult.success).toBe(false);
    if (!consult.success)
      expect(describeIssues(consult.error, { type: 1 })).toContain("uuid: required");
  });

  it("refuses start statuses a checkin cannot start in", () => {
    expect(
      ZCheckinRequest.safeParse({ agent_id: "a", agent_pwd: "p", start_status: "CALLING" }).success,
    ).toBe(false);
  });
});
