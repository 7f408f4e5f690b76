/**
 * A port playwright.config.ts chose for this run (or the caller set), read the same way by the
 * config, its workers and the helpers. No fixed fallback: a default port is what made two runs
 * on one machine collide.
 */
export function e2ePort(name: "E2E_PORT" | "E2E_SIM_CONTROL_PORT"): number {
  const port = Number(process.env[name]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(
      `${name} is not a port (${process.env[name]}): run through playwright.config.ts`,
    );
  return port;
}
