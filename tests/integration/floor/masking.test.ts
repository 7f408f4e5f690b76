import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TViewer } from "@/lib/auth/viewer";
import { ZFloorDelta, type TFloorDelta } from "@/lib/floor/types";
import { snapshotFor, snapshotJsonFor } from "@/server/floor/snapshot";
import { startTestApp, type TTestApp } from "../helpers/app";
import { startPollOnlyCti, type TPollOnlyCti } from "../helpers/poll-only-cti";
import type { TFloorClientSocket } from "./helpers/floor-client";
import { waitFor } from "./helpers/wait";

/**
 * [MASKING] A customer number shaped like an internal id (`0086_13812345678`) must reach a
 * viewer masked, through the real gateway and snapshot, while the company's known agent and
 * extension ids stay readable. A small fake CTI holds two agents on one call.
 */
const COMPANY = "91001";
const CUSTOMER = "0086_13812345678";

/** Agent ids and their extension ids, as the roster gives them. */
const ROSTER = [
  { agent_id: "91001_20000", ext_id: "91001_20000" },
  { agent_id: "91001_20001", ext_id: "8002" },
];

/** On the call: the customer, a short number nobody on the roster has, and the other agent. */
const ON_CALL: Record<string, string[]> = {
  "91001_20000": [CUSTOMER, "8001", "91001_20001"],
  "91001_20001": [CUSTOMER, "91001_20000", "8002"],
};

const VIEWER: TViewer = {
  kind: "user",
  id: "u-view",
  name: "view",
  role: "viewer",
  companies: [COMPANY],
};
const SUPERVISOR: TViewer = { ...VIEWER, id: "u-sup", name: "sup", role: "supervisor" };

/** A socket that joins the company's floor and keeps every delta it receives. */
async function join(
  app: TTestApp,
  viewer: TViewer,
): Promise<{ socket: TFloorClientSocket; deltas: TFloorDelta[] }> {
  const socket: TFloorClientSocket = connect(app.url, {
    transports: ["websocket"],
    auth: { viewer },
    forceNew: true,
  });
  const deltas: TFloorDelta[] = [];
  socket.on("floor:delta", (payload) => deltas.push(ZFloorDelta.parse(payload)));
  const ack = await socket.emitWithAck("floor:join", { companyCode: COMPANY });
  expect(ack).toMatchObject({ ok: true, fullNumbers: viewer.role !== "viewer" });
  return { socket, deltas };
}

describe("[MASKING] customer numbers through the gateway and the snapshot", () => {
  let fake: TPollOnlyCti;
  let app: TTestApp;
  /** Whether the agents are on the call (else FREE). */
  let onCall = false;

  beforeAll(async () => {
    fake = await startPollOnlyCti(ROSTER, (agentId) => {
      const numbers = ON_CALL[agentId];
      return onCall && numbers
        ? { status: "CALLING", uuid: "call-1", in_call_numbers: numbers }
        : { status: "FREE" };
    });
    app = await startTestApp({
      ctiPort: fake.port,
      companies: [COMPANY],
      env: { POLL_INTERVAL_MS: "200" },
    });
    await waitFor(
      () => app.services.floor.store(COMPANY)?.size,
      (n) => n === ROSTER.length,
      { what: "roster" },
    );
  });

  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it("shows a viewer known ids in clear and every other number masked, an id-shaped customer too", async () => {
    const viewer = await join(app, VIEWER);
    const supervisor = await join(app, SUPERVISOR);
    try {
      onCall = true;
      const agentsOf = (deltas: TFloorDelta[]) =>
        new Map(deltas.flatMap((d) => d.agents).map((a) => [a.agentId, a.numbers]));
      const callOf = (deltas: TFloorDelta[]) => deltas.flatMap((d) => d.calls).at(-1);
      await waitFor(
        () => [agentsOf(viewer.deltas), callOf(viewer.deltas)] as const,
        ([agents, call]) =>
          agents.get("91001_20000")?.length === 3 &&
          agents.get("91001_20001")?.length === 3 &&
          call?.agentIds.length === 2,
        { what: "both agents on the call, for the viewer" },
      );
      await waitFor(
        () => callOf(supervisor.deltas),
        (call) => call?.agentIds.length === 2,
        { what: "both agents on the call, for the supervisor" },
      );

      expect(JSON.stringify(viewer.deltas)).not.toContain("13812345678");
      expect(agentsOf(viewer.deltas).get("91001_20000")).toEqual([
        "008****5678",
        "****",
        "91001_20001",
      ]);
      expect(agentsOf(viewer.deltas).get("91001_20001")).toEqual([
        "008****5678",
        "91001_20000",
        "8002",
      ]);
      expect(callOf(viewer.deltas)?.customerNumber).toBe("008****5678");

      expect(agentsOf(supervisor.deltas).get("91001_20000")).toEqual(ON_CALL["91001_20000"]);
      expect(callOf(supervisor.deltas)?.customerNumber).toBe(CUSTOMER);

      const snapshot = snapshotFor(app.services.floor, VIEWER, COMPANY);
      if (!snapshot.ok) throw new Error(snapshot.code);
      expect(JSON.stringify(snapshot.snapshot)).not.toContain("13812345678");
      expect(snapshot.snapshot.calls.map((c) => c.customerNumber)).toEqual(["008****5678"]);
      expect(
        new Map(snapshot.snapshot.agents.map((a) => [a.agentId, a.numbers])).get("91001_20001"),
      ).toEqual(["008****5678", "91001_20000", "8002"]);
      // The route's body: shared by requests that arrive together, never across masked and full.
      const [masked, full, maskedAgain] = await Promise.all([
        snapshotJsonFor(app.services.floor, VIEWER, COMPANY),
        snapshotJsonFor(app.services.floor, SUPERVISOR, COMPANY),
        snapshotJsonFor(app.services.floor, VIEWER, COMPANY),
      ]);
      if (!masked.ok || !full.ok || !maskedAgain.ok) throw new Error("snapshot refused");
      expect(masked.body).not.toContain("13812345678");
      expect(full.body).toContain(CUSTOMER);
      expect(JSON.parse(masked.body)).toMatchObject({ calls: [{ customerNumber: "008****5678" }] });
      expect(maskedAgain.body).toBe(masked.body);
    } finally {
      viewer.socket.close();
      supervisor.socket.close();
    }
  });
});
