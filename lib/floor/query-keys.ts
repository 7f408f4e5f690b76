/** TanStack Query keys of the floor feature, one factory so invalidations match fetches. */
export const floorKeys = {
  all: ["floor"] as const,
  companies: () => [...floorKeys.all, "companies"] as const,
  snapshot: (companyCode: string) => [...floorKeys.all, "snapshot", companyCode] as const,
};
