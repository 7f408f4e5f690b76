import { z } from "zod";
import type { TSimOptions } from "./options";

const zPort = z.coerce.number().int().min(0).max(65535);
const zPositive = z.coerce.number().positive();

/** The simulator's environment (docs/simulator.md); every variable is optional. */
export const ZSimEnv = z.object({
  SIM_PORT: zPort.optional(),
  SIM_HOST: z.string().min(1).optional(),
  SIM_CONTROL_PORT: zPort.optional(),
  SIM_SEED: z.string().min(1).optional(),
  SIM_COMPANIES: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((code) => code.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^\d+$/, "company codes are digits")).min(1))
    .optional(),
  SIM_AGENTS: z.coerce.number().int().min(1).max(100_000).optional(),
  SIM_CALL_RATE: z.coerce.number().min(0).max(100_000).optional(),
  SIM_SILENCE_TIMEOUT_MS: z.coerce.number().int().min(50).optional(),
  SIM_ARRANGE_SECONDS: z.coerce.number().min(0).optional(),
  SIM_SOFTPHONE_ANSWER_MS: z.coerce.number().int().min(0).optional(),
  SIM_CUSTOMER_ANSWER_MS: z.coerce.number().int().min(0).optional(),
  SIM_SPEED: zPositive.max(10_000).optional(),
});

export class SimConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid simulator configuration:\n  ${issues.join("\n  ")}`);
  }
}

/** Env → options (unset variables keep the option defaults); throws SimConfigError naming each bad variable. */
export function loadSimOptions(
  env: Record<string, string | undefined> = process.env,
): Partial<TSimOptions> {
  const parsed = ZSimEnv.safeParse(env);
  if (!parsed.success) {
    throw new SimConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const options: Partial<TSimOptions> = {
    port: e.SIM_PORT,
    host: e.SIM_HOST,
    controlPort: e.SIM_CONTROL_PORT,
    seed: e.SIM_SEED,
    companies: e.SIM_COMPANIES,
    agentsPerCompany: e.SIM_AGENTS,
    callRatePerMinute: e.SIM_CALL_RATE,
    silenceTimeoutMs: e.SIM_SILENCE_TIMEOUT_MS,
    arrangeSeconds: e.SIM_ARRANGE_SECONDS,
    softphoneAnswerMs: e.SIM_SOFTPHONE_ANSWER_MS,
    customerAnswerMs: e.SIM_CUSTOMER_ANSWER_MS,
    speed: e.SIM_SPEED,
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
