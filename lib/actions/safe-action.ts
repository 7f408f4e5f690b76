/** The action client lives with the rest of the auth code; this is the name dub's readers look for. */
export { defineAction, definePublicAction, type TActionContext } from "@/server/auth/action";
