/** The simulator's logs: JSON lines on stderr, so stdout carries only the ready line. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}
