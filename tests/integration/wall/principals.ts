import type { TViewer } from "@/lib/auth/viewer";
import { createDisplayToken, exchangeDisplayToken } from "@/server/auth/display";
import { signIn } from "@/server/auth/sign-in";
import { insertUser } from "@/server/auth/users";
import { cookieHeader, requestHeaders } from "../auth/harness";

/**
 * Signed-in principals for the wall's tests: users of 90001 in every role, a supervisor and a
 * company admin of 90002, an admin of every company, and displays made on demand. Import after
 * prepareAuthEnvironment (server modules read the environment when first used).
 */
export const PASSWORD = "wall-test-password-1";
export const NO_META = { ip: null, userAgent: null };

export const USERS = {
  admin: { role: "admin", companyCode: "90001", allCompanies: true },
  viewer: { role: "viewer", companyCode: "90001", allCompanies: false },
  supervisor: { role: "supervisor", companyCode: "90001", allCompanies: false },
  otherSupervisor: { role: "supervisor", companyCode: "90002", allCompanies: false },
  otherAdmin: { role: "admin", companyCode: "90002", allCompanies: false },
} as const;
export type TUserName = keyof typeof USERS;

export interface TPrincipals {
  /** Cookie header per user. */
  cookies: Record<TUserName, string>;
  /** The all-companies admin as a viewer, for direct service calls. */
  admin: TViewer;
}

export async function signInCookie(username: string): Promise<string> {
  const result = await signIn(
    { username, password: PASSWORD },
    requestHeaders({ cookie: "", ip: "10.0.0.1" }),
    NO_META,
  );
  if (!result.ok) throw new Error(`sign-in of ${username} failed: ${result.code}`);
  return cookieHeader(result.data.setCookies);
}

export async function createPrincipals(): Promise<TPrincipals> {
  const cookies = {} as Record<TUserName, string>;
  let adminId = "";
  for (const [name, fields] of Object.entries(USERS) as [TUserName, (typeof USERS)[TUserName]][]) {
    const id = await insertUser(
      {
        username: name.toLowerCase(),
        password: PASSWORD,
        ...fields,
        ...(fields.role === "supervisor"
          ? { ctiAgentId: `${fields.companyCode}_20004`, ctiExtId: `${fields.companyCode}_20004` }
          : {}),
      },
      { kind: "system" },
      NO_META,
    );
    if (name === "admin") adminId = id;
    cookies[name] = await signInCookie(name.toLowerCase());
  }
  return {
    cookies,
    admin: { kind: "user", id: adminId, name: "admin", role: "admin", companies: "all" },
  };
}

/** A display of `companyCode`, enrolled: its session cookie and its token's id. */
export async function createDisplay(
  admin: TViewer,
  companyCode: string,
  settings: { rotateSeconds?: number; sound?: boolean } = {},
): Promise<{ cookie: string; tokenId: string }> {
  const created = await createDisplayToken(
    admin,
    {
      label: `Wall ${companyCode} ${Math.random().toString(36).slice(2, 8)}`,
      companyCode,
      ...settings,
    },
    NO_META,
  );
  if (!created.ok) throw new Error("token creation failed");
  const exchanged = await exchangeDisplayToken(created.data.secret, NO_META);
  if (!exchanged.ok) throw new Error("token exchange failed");
  return { cookie: `floorwatch.display=${exchanged.data.sessionSecret}`, tokenId: created.data.id };
}
