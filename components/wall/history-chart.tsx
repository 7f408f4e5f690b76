"use client";

import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { TAgentStatus } from "@/lib/protocol/states";
import type { THistorySeries } from "@/lib/wall/history";
import { WALL_STATE } from "./wall-style";

const TIME_ZONE = "Asia/Shanghai";
const AXIS = "#e2e8f0";
const GRID = "#334155";

function alignedData(series: THistorySeries, states: readonly TAgentStatus[]): uPlot.AlignedData {
  return [series.xs, ...states.map((s) => series.byStatus[s])];
}

/** 24-hour `HH:mm` in Beijing time, as the wall's clock. */
const HOUR_MINUTE = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/**
 * Chart options sized from the screen: fonts, lines and the room between axis labels grow with
 * the viewport, as the tiles do (uPlot's default spacing is in CSS pixels and crowds the labels
 * of a 4K screen).
 */
function chartOptions(
  uPlotClass: typeof uPlot,
  states: readonly TAgentStatus[],
  width: number,
  height: number,
  range: () => [number, number],
): uPlot.Options {
  const font = Math.round(Math.max(12, window.innerHeight * 0.024));
  const axis = (size: number, space: number): uPlot.Axis => ({
    stroke: AXIS,
    font: `${font}px sans-serif`,
    size,
    space,
    gap: Math.round(font * 0.4),
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1, size: Math.round(font * 0.4) },
  });
  const x: uPlot.Axis = {
    ...axis(Math.round(font * 2.2), font * 5),
    values: (_u, splits) => splits.map((ts) => HOUR_MINUTE.format(ts * 1000)),
  };
  return {
    width,
    height,
    tzDate: (ts) => uPlotClass.tzDate(new Date(ts * 1000), TIME_ZONE),
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: true, range: () => range() },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
    },
    axes: [x, axis(Math.round(font * 3.4), font * 2.4)],
    series: [
      {},
      ...states.map((status) => ({
        label: status,
        stroke: WALL_STATE[status].color,
        width: Math.max(2, window.innerHeight * 0.0032),
        dash: WALL_STATE[status].dash,
        // uPlot shows points only where they are far apart (a young history's few minutes).
        points: { size: Math.max(6, window.innerHeight * 0.008) },
        spanGaps: false,
      })),
    ],
  };
}

/**
 * The uPlot chart of agents by state per minute. One instance per mount: new data goes through
 * setData, a resize rebuilds it at the new size, and unmounting destroys it (its listeners
 * with it), so rotating to and from this page for weeks keeps nothing behind.
 */
export function HistoryChart({
  series,
  states,
  label,
}: {
  series: THistorySeries;
  states: readonly TAgentStatus[];
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(series);

  useEffect(() => {
    latest.current = series;
    chart.current?.setData(alignedData(series, states));
  }, [series, states]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let disposed = false;
    let plotClass: typeof uPlot | undefined;
    const build = () => {
      if (!plotClass || disposed) return;
      chart.current?.destroy();
      const { width, height } = element.getBoundingClientRect();
      chart.current = new plotClass(
        chartOptions(
          plotClass,
          states,
          Math.floor(width),
          Math.floor(height),
          () => latest.current.range,
        ),
        alignedData(latest.current, states),
        element,
      );
    };
    void import("uplot").then((module) => {
      plotClass = module.default;
      build();
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      const { width, height } = element.getBoundingClientRect();
      const current = chart.current;
      if (current && current.width === Math.floor(width) && current.height === Math.floor(height))
        return;
      clearTimeout(timer);
      timer = setTimeout(build, 200);
    });
    observer.observe(element);
    return () => {
      disposed = true;
      clearTimeout(timer);
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [states]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-testid="wall-history-chart"
      data-points={series.xs.length}
      data-from={(series.xs[0] ?? 0) * 1000}
      data-to={(series.xs.at(-1) ?? 0) * 1000}
      className="h-full w-full overflow-hidden"
    />
  );
}
