import { describe, expect, it } from "vitest";
import { decideStatusAction, returnStatusFrom, statusAfterCall } from "@/server/sim/state-machine";

describe("decideStatusAction (protocol.md §5)", () => {
  it("MAKE_* change state, fail with 1 when already there or in a call, 4009 when OFFLINE", () => {
    expect(decideStatusAction("FREE", "MAKE_BUSY")).toEqual({
      ok: true,
      kind: "set",
      status: "BUSY",
    });
    expect(decideStatusAction("ARRANGE", "MAKE_FREE")).toEqual({
      ok: true,
      kind: "set",
      status: "FREE",
    });
    expect(decideStatusAction("BUSY", "MAKE_BUSY")).toMatchObject({ ok: false, code: "1" });
    expect(decideStatusAction("CALLING", "MAKE_REST")).toMatchObject({ ok: false, code: "1" });
    expect(decideStatusAction("OFFLINE", "MAKE_FREE")).toMatchObject({ ok: false, code: "4009" });
  });

  it("*_AFTER_CALL_STOP are stored only while RINGING or CALLING, else 4016", () => {
    expect(decideStatusAction("RINGING", "MAKE_REST_AFTER_CALL_STOP")).toEqual({
      ok: true,
      kind: "store",
      action: "MAKE_REST_AFTER_CALL_STOP",
    });
    expect(decideStatusAction("CALLING", "CHECKOUT_AFTER_CALL_STOP")).toMatchObject({
      ok: true,
      kind: "store",
    });
    expect(decideStatusAction("FREE", "MAKE_FREE_AFTER_CALL_STOP")).toMatchObject({
      ok: false,
      code: "4016",
    });
  });

  it("FORCE_MAKE_BUSY only from FREE, FORCE_MAKE_FREE from BUSY/REST/ARRANGE, FORCE_CHECKOUT from any checked-in state", () => {
    expect(decideStatusAction("FREE", "FORCE_MAKE_BUSY")).toMatchObject({
      ok: true,
      status: "BUSY",
    });
    expect(decideStatusAction("REST", "FORCE_MAKE_BUSY")).toMatchObject({ ok: false, code: "1" });
    for (const from of ["BUSY", "REST", "ARRANGE"] as const)
      expect(decideStatusAction(from, "FORCE_MAKE_FREE")).toMatchObject({
        ok: true,
        status: "FREE",
      });
    expect(decideStatusAction("CALLING", "FORCE_MAKE_FREE")).toMatchObject({
      ok: false,
      code: "1",
    });
    expect(decideStatusAction("CALLING", "FORCE_CHECKOUT")).toMatchObject({
      ok: true,
      status: "OFFLINE",
    });
    expect(decideStatusAction("OFFLINE", "FORCE_CHECKOUT")).toMatchObject({
      ok: false,
      code: "4009",
    });
  });
});

describe("statusAfterCall: the first hang-up rule that applies", () => {
  const base = { callStopStatus: undefined, returnStatus: "BUSY" as const, arrangeSeconds: 30 };
  it("the stored call_stop_status wins", () => {
    expect(
      statusAfterCall({ ...base, cause: "agent", callStopStatus: "MAKE_REST_AFTER_CALL_STOP" }),
    ).toEqual({ status: "REST", arrange: false });
    expect(
      statusAfterCall({ ...base, cause: "remote", callStopStatus: "CHECKOUT_AFTER_CALL_STOP" }),
    ).toEqual({ status: "OFFLINE", arrange: false });
  });
  it("a failed call or the other side hanging up first returns to the status before the call", () => {
    expect(statusAfterCall({ ...base, cause: "failed" })).toEqual({
      status: "BUSY",
      arrange: false,
    });
    expect(statusAfterCall({ ...base, cause: "remote" })).toEqual({
      status: "BUSY",
      arrange: false,
    });
  });
  it("the agent hanging up goes to ARRANGE when after-call work is on, else BUSY", () => {
    expect(statusAfterCall({ ...base, cause: "agent" })).toEqual({
      status: "ARRANGE",
      arrange: true,
    });
    expect(
      statusAfterCall({ ...base, cause: "agent", arrangeSeconds: 0, returnStatus: "FREE" }),
    ).toEqual({ status: "BUSY", arrange: false });
  });
  it("the status before a call never is a call or ARRANGE itself", () => {
    expect(returnStatusFrom("BUSY", "FREE")).toBe("BUSY");
    expect(returnStatusFrom("ARRANGE", "BUSY")).toBe("BUSY");
    expect(returnStatusFrom("CALLING", "REST")).toBe("FREE");
  });
});
