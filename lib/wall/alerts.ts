import { ALERT_TILES, OK_LEVELS, type TAlertTile, type TTileLevels } from "./summary";

/** Two alert sounds at least this far apart: a tile flickering around its limit is one alert. */
export const ALERT_MIN_GAP_MS = 10_000;

/**
 * Decides when the wall sounds: a tile that turns red while the floor is live. While it is not
 * live the figures are old, so nothing is compared and nothing sounds; once live again, a tile
 * red now that was not red at the last live look sounds.
 */
export class AlertGate {
  private last: TTileLevels = OK_LEVELS;
  private lastSoundAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly minGapMs = ALERT_MIN_GAP_MS) {}

  /** The tiles that just turned red, and whether to sound for them now. */
  update(
    levels: TTileLevels,
    live: boolean,
    now: number,
  ): { turnedRed: TAlertTile[]; sound: boolean } {
    if (!live) return { turnedRed: [], sound: false };
    const turnedRed = ALERT_TILES.filter(
      (tile) => levels[tile] === "red" && this.last[tile] !== "red",
    );
    this.last = levels;
    const sound = turnedRed.length > 0 && now - this.lastSoundAt >= this.minGapMs;
    if (sound) this.lastSoundAt = now;
    return { turnedRed, sound };
  }
}
