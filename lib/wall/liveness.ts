/**
 * When the wall stopped being live: set at the first look that finds it not live, kept while it
 * stays so, cleared once live again. Asked on every render; the same answer for the same state.
 */
export class NotLiveSince {
  private since: number | undefined;

  update(live: boolean, now: number): number | undefined {
    if (live) this.since = undefined;
    else this.since ??= now;
    return this.since;
  }
}
