/** TanStack Query keys of the wall, one factory so invalidations match fetches. */
export const wallKeys = {
  all: ["wall"] as const,
  config: (companyCode: string) => [...wallKeys.all, "config", companyCode] as const,
  history: (companyCode: string, hours: number) =>
    [...wallKeys.all, "history", companyCode, hours] as const,
};
