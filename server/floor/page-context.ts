import { lookup } from "@/server/registry";
import { requireViewer } from "@/server/auth/session";
import type { FloorHub } from "./hub";
import { FLOOR_HUB_KEY } from "./hub-key";
import { companiesFor } from "./snapshot";

/**
 * What a floor page needs before it renders: the signed-in viewer's companies (those watched
 * that the viewer may see) and the one picked with `?company=`.
 */
export async function floorPageContext(
  requested: string | string[] | undefined,
): Promise<{ companies: string[]; current: string | undefined }> {
  const viewer = await requireViewer();
  const hub = lookup<FloorHub>(FLOOR_HUB_KEY);
  const companies = hub ? companiesFor(hub, viewer).companies.map((c) => c.companyCode) : [];
  const wanted = typeof requested === "string" ? requested : undefined;
  return {
    companies,
    current: wanted !== undefined && companies.includes(wanted) ? wanted : companies[0],
  };
}
