import "server-only";
import pino, { type Logger } from "pino";
import { processGlobals } from "./globals";

/** Structured JSON logs on stdout, one logger per process. */
export function logger(): Logger {
  const globals = processGlobals();
  globals.logger ??= pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "floorwatch" } });
  return globals.logger;
}
