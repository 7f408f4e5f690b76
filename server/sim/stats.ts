/** Wire counters for `GET /control/stats`: what crossed the simulator's socket since start or reset. */
export class SimStats {
  framesIn = 0;
  framesOut = 0;
  malformed = 0;
  connections = 0;
  openChannels = 0;
  modelRequests = 0;
  readonly requestsByType = new Map<string, number>();
  readonly responsesByCode = new Map<string, number>();
  readonly pushesByType = new Map<string, number>();

  countRequest(msgType: string): void {
    this.requestsByType.set(msgType, (this.requestsByType.get(msgType) ?? 0) + 1);
  }

  countResponse(code: string): void {
    this.responsesByCode.set(code, (this.responsesByCode.get(code) ?? 0) + 1);
  }

  countPush(msgType: string): void {
    this.pushesByType.set(msgType, (this.pushesByType.get(msgType) ?? 0) + 1);
  }

  reset(): void {
    this.framesIn = 0;
    this.framesOut = 0;
    this.malformed = 0;
    this.connections = 0;
    this.modelRequests = 0;
    this.requestsByType.clear();
    this.responsesByCode.clear();
    this.pushesByType.clear();
  }

  toJSON() {
    return {
      frames_in: this.framesIn,
      frames_out: this.framesOut,
      malformed: this.malformed,
      connections: this.connections,
      open_channels: this.openChannels,
      model_requests: this.modelRequests,
      requests_by_type: Object.fromEntries(this.requestsByType),
      responses_by_code: Object.fromEntries(this.responsesByCode),
      pushes_by_type: Object.fromEntries(this.pushesByType),
    };
  }
}
