import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { WallView } from "@/components/wall/wall-view";
import { ZAuthErrorCode } from "@/lib/auth/errors";
import { WALL_PAGE_KINDS, type TWallPageKind } from "@/lib/wall/rotation";
import { getViewer } from "@/server/auth/session";
import { companiesFor } from "@/server/floor/snapshot";
import { services } from "@/server/services";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("wall");
  return { title: t("title") };
}

function startPage(value: string | string[] | undefined): TWallPageKind | undefined {
  return WALL_PAGE_KINDS.find((kind) => kind === value);
}

const SCREEN = "h-dvh w-screen overflow-hidden bg-black p-[2vh] text-white [color-scheme:dark]";

/**
 * The wall: one company's floor on a big screen, read-only, for a display (its token's company)
 * or a signed-in user of the company (one with several picks one: `?company=`). `?page=` is the
 * page the rotation begins on. A bad display link explains itself.
 */
export default async function WallPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const viewer = await getViewer();
  if (!viewer) {
    const t = await getTranslations("auth");
    const code = ZAuthErrorCode.safeParse(params.error);
    if (!code.success) redirect("/login?next=/wall");
    return (
      <main className="flex min-h-screen items-center justify-center p-6" data-testid="wall">
        <Card className="max-w-md">
          <h1 className="mb-2 text-xl font-semibold">{t("wall.title")}</h1>
          <p role="alert" data-testid="wall-error" data-code={code.data}>
            {t(`errors.${code.data}`)}
          </p>
        </Card>
      </main>
    );
  }
  const t = await getTranslations("wall");
  // Every viewer (displays too) may open the wall: the companies it may see that are watched.
  const app = services();
  const companies = app ? companiesFor(app.floor, viewer) : [];
  const current =
    typeof params.company === "string" && companies.includes(params.company)
      ? params.company
      : companies[0];
  const start = startPage(params.page);
  if (!current)
    return (
      <main className={`${SCREEN} flex items-center justify-center`} data-testid="wall">
        <p role="alert" className="text-[length:clamp(1.2rem,4vh,6rem)]">
          {t("noCompany")}
        </p>
      </main>
    );
  if (viewer.kind === "user" && companies.length > 1 && typeof params.company !== "string")
    return (
      <main
        className={`${SCREEN} flex flex-col items-center justify-center gap-[3vh]`}
        data-testid="wall"
      >
        <h1 className="text-[length:clamp(1.4rem,5vh,7rem)] font-bold">{t("choose.title")}</h1>
        <p className="text-[length:clamp(1rem,2.6vh,4rem)] text-slate-300">{t("choose.hint")}</p>
        <ul className="flex flex-wrap justify-center gap-[2vh]" data-testid="wall-companies">
          {companies.map((code) => (
            <li key={code}>
              <Link
                href={`/wall?company=${encodeURIComponent(code)}${start ? `&page=${start}` : ""}`}
                className="block rounded-[1.2vh] bg-slate-900 px-[4vh] py-[2vh] text-[length:clamp(1.2rem,4vh,6rem)] font-bold ring-[0.3vh] ring-slate-600 hover:bg-slate-800 focus-visible:ring-sky-400"
              >
                {code}
              </Link>
            </li>
          ))}
        </ul>
      </main>
    );
  return (
    <main className={SCREEN} data-testid="wall">
      <WallView
        key={current}
        companyCode={current}
        label={viewer.kind === "display" ? viewer.name : undefined}
        showNumbers={viewer.kind === "display"}
        startPage={start}
      />
    </main>
  );
}
