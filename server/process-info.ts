import { lookup, provide } from "./registry";

export interface ProcessInfo {
  startedAt: number;
  version: string;
  mode: "embedded-simulator" | "external-cti";
}

const KEY = "process.info";

export function setProcessInfo(info: ProcessInfo): void {
  provide(KEY, info);
}

export function processInfo(): ProcessInfo | undefined {
  return lookup<ProcessInfo>(KEY);
}
