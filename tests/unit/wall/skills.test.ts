import { describe, expect, it } from "vitest";
import { skillGroups, skillScreens } from "@/lib/wall/skills";
import { longestCalls, longestRings } from "@/lib/wall/longest";
import { agent, call, T0 } from "./fixtures";

const skills = [
  { skillId: "s1", skillName: "售前咨询" },
  { skillId: "s2", skillName: "投诉" },
  { skillId: "s3", skillName: "VIP" },
];

describe("skillGroups", () => {
  const agents = [
    agent("a3", { status: "FREE", skills: ["s1"] }),
    agent("a1", { status: "RINGING", skills: ["s1", "s2"] }),
    agent("a2", { status: "OFFLINE", skills: ["s1"] }),
    agent("a0", { status: "CALLING", skills: ["s2"] }),
    agent("a9", { status: "BUSY", skills: [] }),
  ];

  it("groups by skill in roster order, an agent under each of its skills, no-skill last", () => {
    const groups = skillGroups(agents, skills);
    expect(groups.map((g) => g.skillId)).toEqual(["s1", "s2", ""]);
    expect(groups[0]?.agents.map((a) => a.agentId)).toEqual(["a1", "a3"]);
    expect(groups[1]?.agents.map((a) => a.agentId)).toEqual(["a1", "a0"]);
    expect(groups[2]?.skillName).toBeUndefined();
  });

  it("counts every state, offline included, but tiles only signed-in agents", () => {
    const [s1] = skillGroups(agents, skills);
    expect(s1?.byStatus.OFFLINE).toBe(1);
    expect(s1?.byStatus.RINGING).toBe(1);
    expect(s1?.agents.some((a) => a.status === "OFFLINE")).toBe(false);
  });

  it("orders tiles by state, ringing first, then by id", () => {
    const many = [
      agent("b", { status: "FREE" }),
      agent("a", { status: "FREE" }),
      agent("c", { status: "REST" }),
      agent("d", { status: "RINGING" }),
    ];
    expect(skillGroups(many, skills)[0]?.agents.map((a) => a.agentId)).toEqual([
      "d",
      "c",
      "a",
      "b",
    ]);
  });
});

describe("skillScreens", () => {
  const groupOf = (id: string, count: number) => ({
    skillId: id,
    skillName: id,
    byStatus: { OFFLINE: 0, FREE: count, BUSY: 0, REST: 0, RINGING: 0, CALLING: 0, ARRANGE: 0 },
    agents: Array.from({ length: count }, (_, i) => agent(`${id}-${i}`)),
  });

  it("puts small skills on one screen, a heading row plus their rows each", () => {
    const screens = skillScreens([groupOf("x", 5), groupOf("y", 12)], { columns: 10, rows: 6 });
    expect(screens).toHaveLength(1);
    expect(screens[0]?.map((s) => [s.group.skillId, s.agents.length, s.continued])).toEqual([
      ["x", 5, false],
      ["y", 12, false],
    ]);
  });

  it("continues a large skill on the next screen and never exceeds a screen's tiles", () => {
    const screens = skillScreens([groupOf("x", 45), groupOf("y", 3)], { columns: 10, rows: 5 });
    expect(
      screens.map((screen) => screen.map((s) => [s.group.skillId, s.agents.length, s.continued])),
    ).toEqual([
      [["x", 40, false]],
      [
        ["x", 5, true],
        ["y", 3, false],
      ],
    ]);
    for (const screen of screens) {
      const rows = screen.reduce((n, s) => n + 1 + Math.ceil(s.agents.length / 10), 0);
      expect(rows).toBeLessThanOrEqual(5);
    }
  });

  it("does not leave a heading alone at the foot of a screen", () => {
    const screens = skillScreens([groupOf("x", 20), groupOf("y", 5)], { columns: 10, rows: 4 });
    expect(screens.map((screen) => screen.map((s) => s.group.skillId))).toEqual([["x"], ["y"]]);
  });

  it("lists a skill whose agents are all offline as a heading", () => {
    const empty = { ...groupOf("z", 0), byStatus: { ...groupOf("z", 0).byStatus, OFFLINE: 4 } };
    expect(skillScreens([empty], { columns: 10, rows: 4 })).toEqual([
      [{ group: empty, agents: [], continued: false }],
    ]);
  });
});

describe("longest lists", () => {
  it("lists answered calls, longest first, with their agents' names", () => {
    const agents = new Map([
      ["a1", agent("a1", { name: "张三" })],
      ["a2", agent("a2", { name: "李四" })],
    ]);
    const calls = [
      call("c1", { agentIds: ["a1"], answeredAt: T0 + 5000 }),
      call("c2", { agentIds: ["a2", "a9"], answeredAt: T0 + 1000, customerNumber: "138****0000" }),
      call("c3", { state: "ringing", answeredAt: undefined, startedAt: T0 }),
    ];
    const list = longestCalls(calls, agents, 5);
    expect(list.map((c) => c.uuid)).toEqual(["c2", "c1"]);
    expect(list[0]?.agents).toEqual([
      { agentId: "a2", name: "李四" },
      { agentId: "a9", name: "a9" },
    ]);
    expect(list[0]?.customerNumber).toBe("138****0000");
    expect(longestCalls(calls, agents, 1)).toHaveLength(1);
  });

  it("lists ringing agents, longest first, bounded", () => {
    const agents = [
      agent("r1", { status: "RINGING", statusSince: T0 + 10 }),
      agent("r2", { status: "RINGING", statusSince: T0 }),
      agent("f", { status: "FREE", statusSince: T0 - 1000 }),
    ];
    expect(longestRings(agents, 5).map((a) => a.agentId)).toEqual(["r2", "r1"]);
    expect(longestRings(agents, 1).map((a) => a.agentId)).toEqual(["r2"]);
  });
});
