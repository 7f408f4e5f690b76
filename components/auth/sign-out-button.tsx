"use client";

import { useRouter } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import { signOutAction } from "@/actions/sign-out";
import { useHydrated } from "./use-hydrated";

/** Ends the session and goes to the sign-in page (the wall's own sign-in for a display). */
export function SignOutButton({ className, children }: { className: string; children: ReactNode }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      className={className}
      disabled={pending || !hydrated}
      data-testid="sign-out"
      onClick={() =>
        startTransition(async () => {
          await signOutAction(undefined);
          router.replace("/login?signedOut=1");
          router.refresh();
        })
      }
    >
      {children}
    </button>
  );
}
