import "server-only";

/**
 * The state the nodes share (Redis) could not be read or written: Redis is away or did not
 * answer in time. Whatever asked did not happen; the caller refuses (`shared_state_down`)
 * rather than go on without the lock or the key.
 */
export class SharedStateError extends Error {
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
