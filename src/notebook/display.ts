// Rich output in tslab cells: a figure as PNG plus its Plotly JSON in one display message, so
// JupyterLab renders it interactively and the classic notebook / nbconvert show the PNG.
// Outside a kernel (CLI, tests) these print a text line instead.
import { PlotlyFigure } from "../figures/plotly";
import { renderPng } from "../figures/render";

type DisplayWriter = (msg: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void;

function writer(): DisplayWriter | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const j = require("tslab/dist/jupyter") as { lastWriteDisplayData?: DisplayWriter };
    return j.lastWriteDisplayData ?? null;
  } catch {
    return null;
  }
}

export function inNotebook(): boolean {
  return writer() !== null;
}

export function showMimeBundle(data: Record<string, unknown>): void {
  const w = writer();
  if (w) w({ data, metadata: {}, transient: {} }, false);
  else if (typeof data["text/plain"] === "string") console.log(data["text/plain"]);
}

/** Displays a figure; reuses `png` when the caller already rendered it (e.g. while exporting). */
export async function showFigure(fig: PlotlyFigure, png?: Buffer): Promise<void> {
  const title = String((fig.layout.title as { text?: string } | undefined)?.text ?? "figure");
  if (!inNotebook()) {
    console.log(`[figure] ${title}`);
    return;
  }
  const bytes = png ?? (await renderPng(fig));
  showMimeBundle({
    "image/png": bytes.toString("base64"),
    "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
    "text/plain": `<Plotly figure: ${title}>`,
  });
}

export function showMarkdown(md: string): void {
  showMimeBundle({ "text/markdown": md, "text/plain": md });
}
