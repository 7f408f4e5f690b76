import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { TLocale } from "@/lib/i18n/config";

// The component reads next-intl's server API; here it is the same translator and formatter over
// our real catalogs, outside a Next.js request.
const current: { locale: TLocale } = { locale: "en" };
vi.mock("next-intl/server", async () => {
  const { createFormatter, createTranslator } = await import("next-intl");
  const { CATALOGS } = await import("@/lib/i18n/catalog");
  return {
    getTranslations: async (namespace: string) =>
      createTranslator({
        locale: current.locale,
        messages: CATALOGS[current.locale],
        namespace: namespace as never,
      }),
    getFormatter: async () =>
      createFormatter({ locale: current.locale, timeZone: "Asia/Shanghai" }),
  };
});

const { AuditChainStatus } = await import("@/components/admin/audit-chain-status");

const now = new Date("2026-11-30T12:00:00Z");
const broken = {
  at: new Date("2026-11-30T10:00:00Z"),
  ok: false,
  checked: 13,
  unchained: 3,
  firstBadId: 14,
  message: "event 14 (login.failed, 2026-11-30T05:15:04.641Z): its fields do not match its hash",
  durationMs: 41,
};

async function render(props: Parameters<typeof AuditChainStatus>[0]): Promise<string> {
  return renderToStaticMarkup(await AuditChainStatus(props));
}

beforeEach(() => {
  current.locale = "en";
});

describe("[AUDIT] chain status on the admin page", () => {
  it("says when the chain was never verified", async () => {
    const html = await render({ verification: null, details: true, now });
    expect(html).toContain("Not verified yet.");
    expect(html).not.toContain('data-testid="audit-chain-result"');
  });

  it("shows an intact chain with when and how much was checked", async () => {
    const html = await render({
      verification: {
        ...broken,
        ok: true,
        firstBadId: null,
        checked: 1_000_000,
        durationMs: 8_700,
      },
      details: true,
      now,
    });
    expect(html).toContain('data-ok="true"');
    expect(html).toContain("Intact");
    expect(html).toContain("2 hours ago");
    expect(html).toContain("1,000,000 events checked, 3 of them from before the chain began");
    expect(html).not.toContain("does not match");
  });

  it("names the first event that does not match to an admin of all companies", async () => {
    const html = await render({ verification: broken, details: true, now });
    expect(html).toContain('data-ok="false"');
    expect(html).toContain("Broken");
    expect(html).toContain("First event that does not match: #14.");
    expect(html).toContain("its fields do not match its hash");
    const tail = await render({
      verification: { ...broken, firstBadId: null },
      details: true,
      now,
    });
    expect(tail).toContain("Events are missing from the end of the log.");
  });

  it("shows a company admin the result only: the chain spans every company", async () => {
    const html = await render({ verification: broken, details: false, now });
    expect(html).toContain("Broken");
    expect(html).not.toContain("#14");
    expect(html).not.toContain("login.failed");
    expect(html).toContain("an administrator of all companies sees the details");
  });

  it("speaks Chinese from the zh-CN catalog", async () => {
    current.locale = "zh-CN";
    const html = await render({ verification: broken, details: true, now });
    expect(html).toContain("审计链");
    expect(html).toContain("已断开");
    expect(html).toContain("第一条不匹配的事件：#14。");
    expect(html).toContain("已校验 13 条事件");
  });
});
