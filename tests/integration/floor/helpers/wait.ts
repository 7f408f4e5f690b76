/** Polls `read` until `accept` holds or the timeout passes; returns the last value read. */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  {
    timeout = 5000,
    interval = 20,
    what = "condition",
  }: { timeout?: number; interval?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 300)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, interval));
    last = await read();
  }
  return last;
}
