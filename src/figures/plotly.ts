// Plotly figure specifications (plain JSON, rendered by ./render or interactively by JupyterLab).
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

export interface BandSeries {
  name: string;
  x: number[];
  mean: number[];
  /** Half-width of the shaded band (e.g. the std over seeds); omitted -> no band. */
  spread?: number[];
  /** Line style (published curves are dashed) and colour (default: the palette in order). */
  dash?: "solid" | "dash" | "dot";
  color?: string;
}

/** Options every figure takes: a subtitle under the title (profile label, what dashed lines are). */
export interface FigureOptions {
  subtitle?: string;
}

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

function rgba(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export function baseLayout(title: string, xTitle: string, yTitle: string, opts: FigureOptions = {}): Record<string, unknown> {
  return {
    title: { text: title, font: { size: 15 }, ...(opts.subtitle ? { subtitle: { text: opts.subtitle, font: { size: 11 } } } : {}) },
    xaxis: { title: { text: xTitle }, zeroline: false },
    yaxis: { title: { text: yTitle }, zeroline: false },
    width: 760,
    height: 460,
    margin: { l: 70, r: 20, t: opts.subtitle ? 80 : 60, b: 60 },
    legend: { orientation: "v" },
    template: { layout: { paper_bgcolor: "white", plot_bgcolor: "white" } },
    plot_bgcolor: "white",
  };
}

/** Mean curves with shaded +- spread bands. */
export function curvesWithBands(title: string, xTitle: string, yTitle: string, series: readonly BandSeries[], opts: FigureOptions = {}): PlotlyFigure {
  const data: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    if (s.spread) {
      const upper = s.mean.map((m, j) => m + s.spread![j]);
      const lower = s.mean.map((m, j) => m - s.spread![j]);
      data.push({ x: [...s.x, ...s.x.slice().reverse()], y: [...upper, ...lower.reverse()], fill: "toself", fillcolor: rgba(color, 0.15),
        line: { width: 0 }, hoverinfo: "skip", showlegend: false, type: "scatter", mode: "lines", name: `${s.name} band` });
    }
    data.push({ x: s.x, y: s.mean, name: s.name, type: "scatter", mode: "lines", line: { color, width: 2, dash: s.dash ?? "solid" } });
  });
  const layout = baseLayout(title, xTitle, yTitle, opts);
  (layout.xaxis as Record<string, unknown>).gridcolor = "#eee";
  (layout.yaxis as Record<string, unknown>).gridcolor = "#eee";
  return { data, layout };
}

export interface BarGroup {
  name: string;
  categories: string[];
  values: number[];
  errors?: number[];
}

export function groupedBars(title: string, yTitle: string, groups: readonly BarGroup[], opts: FigureOptions = {}): PlotlyFigure {
  return {
    data: groups.map((g, i) => ({
      type: "bar", name: g.name, x: g.categories, y: g.values.map((v) => (Number.isFinite(v) ? v : null)),
      marker: { color: PALETTE[i % PALETTE.length] },
      error_y: g.errors ? { type: "data", array: g.errors.map((e) => (Number.isFinite(e) ? e : 0)), visible: true } : undefined,
    })),
    layout: { ...baseLayout(title, "", yTitle, opts), barmode: "group" },
  };
}
