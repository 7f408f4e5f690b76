import "server-only";

/** Marks a SharedStateError whichever copy of this module made it (a registered symbol). */
const BRAND = Symbol.for("floorwatch.SharedStateError");

/**
 * The state the nodes share (Redis) could not be read or written: Redis is away or did not
 * answer in time. Whatever asked did not happen; the caller refuses (`shared_state_down`)
 * rather than go on without the lock or the key.
 *
 * `instanceof` recognises it by its brand, not its class: under `npm start` the stores are
 * built by server/index.ts while sign-in and the actions run in Next.js's server bundle, which
 * has a copy of this module of its own, with a class of its own.
 */
export class SharedStateError extends Error {
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  constructor(operation: string, cause: unknown) {
    super(
      `shared state: ${operation} failed (${cause instanceof Error ? cause.message : String(cause)})`,
      {
        cause,
      },
    );
    this.name = "SharedStateError";
  }
}

/** Runs a shared-state operation; any failure of it becomes a SharedStateError. */
export async function shared<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SharedStateError) throw error;
    throw new SharedStateError(operation, error);
  }
}
