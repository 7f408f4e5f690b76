"use server";

import type { TInterventionInput } from "@/lib/interventions/types";
import { interventionAction } from "@/server/interventions/action";

const run = interventionAction("interrupt_call");

/** Force hang-up (强拆): every leg of the target agent's call is hung up. */
export async function interruptCallAction(input: TInterventionInput) {
  return run(input);
}
