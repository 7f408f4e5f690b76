/**
 * Process-wide singletons. Next.js bundles route handlers and server actions apart from
 * server/index.ts, so each bundle gets its own copy of a module; globalThis is the one place
 * they all share.
 */
const REGISTRY = Symbol.for("floorwatch.registry");

type Registry = Map<string, unknown>;

function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** The value under `key`, created once per process. */
export function singleton<T>(key: string, create: () => T): T {
  const map = registry();
  if (!map.has(key)) map.set(key, create());
  return map.get(key) as T;
}

/** Replaces the value under `key` (the entry point installs the live services). */
export function provide<T>(key: string, value: T): void {
  registry().set(key, value);
}

/** The value under `key`, or undefined before the entry point has installed it. */
export function lookup<T>(key: string): T | undefined {
  return registry().get(key) as T | undefined;
}
