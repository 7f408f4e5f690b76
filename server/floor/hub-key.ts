/** Registry key of the process's FloorHub (server/registry.ts). */
export const FLOOR_HUB_KEY = "floor.hub";
