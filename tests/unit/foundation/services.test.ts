import { afterEach, describe, expect, it } from "vitest";
import { installServices, services, uninstallServices, type TServices } from "@/server/services";

/** Stand-ins: services() only keeps and returns the objects. */
function app(name: string): TServices {
  return { process: { version: name } } as TServices;
}

describe("services(): the started apps of this process", () => {
  const a = app("a");
  const b = app("b");
  afterEach(() => {
    uninstallServices(a);
    uninstallServices(b);
  });

  it("is undefined before an app starts and after it stops", () => {
    expect(services()).toBeUndefined();
    installServices(a);
    expect(services()).toBe(a);
    uninstallServices(a);
    expect(services()).toBeUndefined();
  });

  it("with several apps in one process: the newest still running, whichever stops first", () => {
    installServices(a);
    installServices(b);
    expect(services()).toBe(b);
    uninstallServices(a);
    expect(services()).toBe(b);
    installServices(a);
    uninstallServices(a);
    expect(services()).toBe(b);
    installServices(a);
    uninstallServices(b);
    expect(services()).toBe(a);
  });
});
