/**
 * One process of a parallel verification (server/audit/verify.ts): receives a range of the
 * audit log, walks it and sends back what it found.
 */
import "server-only";
import { walkRange, type TRangeTask } from "./chain-walk";

process.once("message", (task: TRangeTask) => {
  void walkRange(task).then((walk) => process.send!(walk, () => process.exit(0)));
});
