// How Node runs Floorwatch's TypeScript outside Next.js (`node --import ./server/runtime.mjs …`):
// tsx compiles it, and `server-only` resolves to an empty module. Next.js resolves that package
// to its empty build in server bundles and fails the build if a client bundle reaches it; plain
// Node would load its throwing default instead.
import "tsx";
import { register } from "node:module";

register("./server-only-resolver.mjs", import.meta.url);
