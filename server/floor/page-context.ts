import "server-only";
import { requireViewer } from "@/server/auth/session";
import { services } from "@/server/services";
import { companiesFor } from "./snapshot";

/**
 * What a floor page needs before it renders: the signed-in viewer's companies (those watched
 * that the viewer may see) and the one picked with `?company=`.
 */
export async function floorPageContext(
  requested: string | string[] | undefined,
): Promise<{ companies: string[]; current: string | undefined }> {
  const viewer = await requireViewer();
  const app = services();
  const companies = app ? companiesFor(app.floor, viewer) : [];
  const wanted = typeof requested === "string" ? requested : undefined;
  return {
    companies,
    current: wanted !== undefined && companies.includes(wanted) ? wanted : companies[0],
  };
}
