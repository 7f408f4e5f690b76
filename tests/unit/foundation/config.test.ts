import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@/server/config";
import { redactRedisUrl } from "@/server/redis/connection";

describe("loadConfig", () => {
  it("works with an empty environment: embedded simulator, its companies watched", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.embeddedSimulator).toBe(true);
    expect(config.ctiUrl).toBe("ws://127.0.0.1:25001");
    expect(config.ctiHttpUrl).toBe("http://127.0.0.1:25001");
    expect(config.companies).toEqual([
      { companyCode: "90001", monitorAgentId: "90001_monitor" },
      { companyCode: "90002", monitorAgentId: "90002_monitor" },
    ]);
  });

  it("points at a real CTI without starting the simulator", () => {
    const config = loadConfig({
      CTI_URL: "ws://10.1.2.3:25001/",
      CTI_COMPANIES: "90001:90001_8000, 90005",
    });
    expect(config.embeddedSimulator).toBe(false);
    expect(config.ctiUrl).toBe("ws://10.1.2.3:25001");
    expect(config.ctiHttpUrl).toBe("http://10.1.2.3:25001");
    expect(config.companies).toEqual([
      { companyCode: "90001", monitorAgentId: "90001_8000" },
      { companyCode: "90005", monitorAgentId: "90005_monitor" },
    ]);
  });

  it("names every bad variable", () => {
    try {
      loadConfig({ PORT: "http", CTI_URL: "http://x", LOG_LEVEL: "loud", SKIP_BUILD: "maybe" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).message;
      for (const name of ["PORT", "CTI_URL", "LOG_LEVEL", "SKIP_BUILD"])
        expect(text).toContain(name);
    }
  });

  it("requires the companies to watch when a real CTI is configured", () => {
    expect(() => loadConfig({ CTI_URL: "ws://10.1.2.3:25001" })).toThrow(/CTI_COMPANIES/);
    expect(() => loadConfig({ CTI_COMPANIES: "90001;90002" })).toThrow(/CTI_COMPANIES/);
  });

  it("keeps the wall's history 7 days unless told, 1 to 366", () => {
    expect(loadConfig({}).WALL_HISTORY_DAYS).toBe(7);
    expect(loadConfig({ WALL_HISTORY_DAYS: "30" }).WALL_HISTORY_DAYS).toBe(30);
    for (const bad of ["0", "367", "1.5", "week"])
      expect(() => loadConfig({ WALL_HISTORY_DAYS: bad }), bad).toThrow(/WALL_HISTORY_DAYS/);
  });

  it("several nodes: Redis unset by default, a prefix, a node id unique per process", () => {
    const one = loadConfig({});
    expect(one.REDIS_URL).toBeUndefined();
    expect(one.REDIS_PREFIX).toBe("floorwatch:");
    expect(one.nodeId).toMatch(/^[\w.-]+-\d+-[0-9a-f]{6}$/);
    expect(loadConfig({}).nodeId).toBe(one.nodeId);
    const named = loadConfig({
      REDIS_URL: "rediss://:pw@redis.internal:6380/2",
      REDIS_PREFIX: "fw-prod:",
      NODE_ID: "fw-2",
    });
    expect(named).toMatchObject({ REDIS_PREFIX: "fw-prod:", nodeId: "fw-2" });
  });

  it("refuses a bad REDIS_URL, REDIS_PREFIX or NODE_ID without echoing the URL", () => {
    try {
      loadConfig({
        REDIS_URL: "http://:s3cret@redis.internal",
        REDIS_PREFIX: "has space",
        NODE_ID: "a/b",
      });
      expect.unreachable();
    } catch (error) {
      const text = (error as ConfigError).message;
      for (const name of ["REDIS_URL", "REDIS_PREFIX", "NODE_ID"]) expect(text).toContain(name);
      expect(text).not.toContain("s3cret");
    }
  });
});

describe("redactRedisUrl", () => {
  it("hides the password and the user name, keeps where it points", () => {
    expect(redactRedisUrl("redis://:s3cret@10.0.0.5:6379/1")).toBe("redis://:***@10.0.0.5:6379/1");
    expect(redactRedisUrl("rediss://app:s3cret@redis.internal:6380")).toBe(
      "rediss://***:***@redis.internal:6380",
    );
    expect(redactRedisUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(redactRedisUrl("not a url :s3cret@")).not.toContain("s3cret");
  });
});
