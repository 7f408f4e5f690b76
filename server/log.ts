import pino, { type Logger } from "pino";
import { singleton } from "./registry";

/** Structured JSON logs on stdout, one logger per process. */
export function logger(): Logger {
  return singleton("logger", () =>
    pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "floorwatch" } }),
  );
}
