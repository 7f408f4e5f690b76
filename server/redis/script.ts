import "server-only";
import { createHash } from "node:crypto";
import type { TRedisClient } from "./connection";

/**
 * A Lua script run atomically by Redis: by its SHA1 (EVALSHA), and with its source when this
 * Redis has not seen it yet (NOSCRIPT after a Redis restart or on a new server).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(client: TRedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(this.source, options);
    }
  }
}
