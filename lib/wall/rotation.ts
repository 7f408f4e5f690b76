/** The wall's pages, in rotation order; the skills page takes as many screens as its agents need. */
export type TWallPage =
  | { key: "summary"; kind: "summary" }
  | { key: `skills-${number}`; kind: "skills"; screen: number; screens: number }
  | { key: "longest"; kind: "longest" }
  | { key: "history"; kind: "history" };
export type TWallPageKind = TWallPage["kind"];

export const WALL_PAGE_KINDS = ["summary", "skills", "longest", "history"] as const;

/** The pages in rotation: `rotateSeconds` 0 shows the summary alone. */
export function wallPages(rotateSeconds: number, skillScreens: number): TWallPage[] {
  if (rotateSeconds <= 0) return [{ key: "summary", kind: "summary" }];
  return allPages(skillScreens);
}

function allPages(skillScreens: number): TWallPage[] {
  const screens = Math.max(1, skillScreens);
  return [
    { key: "summary", kind: "summary" },
    ...Array.from({ length: screens }, (_, screen) => ({
      key: `skills-${screen}` as const,
      kind: "skills" as const,
      screen,
      screens,
    })),
    { key: "longest", kind: "longest" },
    { key: "history", kind: "history" },
  ];
}

export interface TRotation {
  key: TWallPage["key"];
  shownAt: number;
}

/**
 * The page on screen at `now`: the same one until it has been shown `rotateSeconds`, then the
 * next. Rotation begins at the first page of kind `start` when there is one (the wall's
 * `?page=`), else at the summary. The list can change under it (the skills page needs fewer
 * screens): the page on screen stays while it is still in the list, else rotation starts again
 * at the summary.
 */
export function rotate(
  state: TRotation | undefined,
  pages: readonly TWallPage[],
  rotateSeconds: number,
  now: number,
  start?: TWallPageKind,
): TRotation {
  const first = pages[0]?.key ?? "summary";
  if (!state) return { key: pages.find((p) => p.kind === start)?.key ?? first, shownAt: now };
  const index = pages.findIndex((page) => page.key === state.key);
  if (index < 0) return { key: first, shownAt: now };
  if (rotateSeconds <= 0 || now - state.shownAt < rotateSeconds * 1000) return state;
  return { key: pages[(index + 1) % pages.length]?.key ?? first, shownAt: now };
}

/**
 * Keeps the rotation between renders: the page to show at `now`. A `now` of 0 is a time not
 * known yet (the server's render, hydration): the first page, and the rotation's clock does not
 * start from it.
 */
export class Rotator {
  private state: TRotation | undefined;

  constructor(private readonly start?: TWallPageKind) {}

  current(pages: readonly TWallPage[], rotateSeconds: number, now: number): TWallPage {
    const state = rotate(this.state, pages, rotateSeconds, now, this.start);
    if (now > 0) this.state = state;
    const key = state.key;
    return (
      pages.find((page) => page.key === key) ?? pages[0] ?? { key: "summary", kind: "summary" }
    );
  }
}
