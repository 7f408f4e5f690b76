"use server";

import type { TInterventionInput } from "@/lib/interventions/types";
import { interventionAction } from "@/server/interventions/action";

const run = interventionAction("substitute");

/** Take over (代接): the supervisor takes the customer from the target agent. */
export async function substituteAction(input: TInterventionInput) {
  return run(input);
}
