import "server-only";
import pino, { type Logger } from "pino";
import { processGlobals } from "./globals";
import { processNodeId } from "./node-id";

/** Structured JSON logs on stdout, one logger per process; every line names its node. */
export function logger(): Logger {
  const globals = processGlobals();
  globals.logger ??= pino({
    level: process.env.LOG_LEVEL ?? "info",
    base: { app: "floorwatch", node: processNodeId() },
  });
  return globals.logger;
}
