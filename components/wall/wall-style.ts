import type { TAgentStatus } from "@/lib/protocol/states";
import type { TTileLevel } from "@/lib/wall/levels";
import { STATUS_STYLE } from "@/components/floor/status-badge";

/**
 * The wall's colours, on its dark background. States keep the floor's icons and get hues that
 * stay clear of the two alert levels (amber, red), which fill a whole tile: a state is a
 * coloured mark, a level a coloured tile, and both carry an icon and a word as well.
 */
export const WALL_STATE: Record<TAgentStatus, { icon: string; color: string; dash: number[] }> = {
  OFFLINE: { icon: STATUS_STYLE.OFFLINE.icon, color: "#9ca3af", dash: [2, 8] },
  FREE: { icon: STATUS_STYLE.FREE.icon, color: "#34d399", dash: [] },
  BUSY: { icon: STATUS_STYLE.BUSY.icon, color: "#f472b6", dash: [14, 6] },
  REST: { icon: STATUS_STYLE.REST.icon, color: "#c084fc", dash: [4, 4] },
  RINGING: { icon: STATUS_STYLE.RINGING.icon, color: "#fde047", dash: [18, 5, 4, 5] },
  CALLING: { icon: STATUS_STYLE.CALLING.icon, color: "#22d3ee", dash: [] },
  ARRANGE: { icon: STATUS_STYLE.ARRANGE.icon, color: "#818cf8", dash: [8, 4, 2, 4] },
};

/** Levels: icon, tile classes (background, text, ring) and the word key in wall.levels. */
export const WALL_LEVEL: Record<TTileLevel, { icon: string; tile: string }> = {
  ok: { icon: "", tile: "bg-slate-900 text-white ring-slate-700" },
  amber: { icon: "▲", tile: "bg-amber-400 text-black ring-amber-200" },
  red: { icon: "⬣", tile: "bg-red-700 text-white ring-red-300" },
};
