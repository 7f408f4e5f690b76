/**
 * Notices a new deployment: the server's version differs from the first one this page saw.
 * The page then reloads itself to run the new code.
 */
export class DeploymentWatch {
  private first: string | undefined;

  /** True when `version` is not the one first seen. */
  changed(version: string): boolean {
    this.first ??= version;
    return version !== this.first;
  }
}
