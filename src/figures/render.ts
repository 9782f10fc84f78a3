// Static export of Plotly figures through a headless Chromium (Debian's `chromium`, driven by
// playwright-core): PNG (for notebooks and papers), SVG and PDF. One browser per process,
// started on first use; call closeRenderer() when done.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { PlotlyFigure } from "./plotly";

type Browser = import("playwright-core").Browser;
type Page = import("playwright-core").Page;

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

let pagePromise: Promise<{ browser: Browser; page: Page }> | null = null;

export function chromiumPath(): string {
  const path = process.env.BAL_CHROMIUM ?? CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(`Chromium not found (looked at ${process.env.BAL_CHROMIUM ?? CHROMIUM_CANDIDATES.join(", ")}); ` +
      "install Debian's chromium (`make setup` does) or set BAL_CHROMIUM to a Chrome/Chromium binary.");
  }
  return path;
}

async function start(): Promise<{ browser: Browser; page: Page }> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage();
  await page.setContent('<html><body style="margin:0"><div id="fig"></div></body></html>');
  await page.addScriptTag({ path: require.resolve("plotly.js-dist/plotly.js") });
  return { browser, page };
}

function renderer(): Promise<{ browser: Browser; page: Page }> {
  pagePromise ??= start();
  return pagePromise;
}

function size(fig: PlotlyFigure): { width: number; height: number } {
  return { width: Number(fig.layout.width ?? 760), height: Number(fig.layout.height ?? 460) };
}

/** PNG bytes of a figure (scale 2 for print quality). */
export async function renderPng(fig: PlotlyFigure, scale = 2): Promise<Buffer> {
  const { page } = await renderer();
  const url = await page.evaluate(async ({ fig, scale, dims }) => {
    const P = (globalThis as unknown as { Plotly: { toImage: (f: unknown, o: unknown) => Promise<string> } }).Plotly;
    return P.toImage(fig, { format: "png", scale, ...dims });
  }, { fig, scale, dims: size(fig) });
  return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
}

export async function renderSvg(fig: PlotlyFigure): Promise<string> {
  const { page } = await renderer();
  const url = await page.evaluate(async ({ fig, dims }) => {
    const P = (globalThis as unknown as { Plotly: { toImage: (f: unknown, o: unknown) => Promise<string> } }).Plotly;
    return P.toImage(fig, { format: "svg", ...dims });
  }, { fig, dims: size(fig) });
  return decodeURIComponent(url.slice(url.indexOf(",") + 1));
}

/** A one-page PDF holding the figure's SVG (vector). */
export async function renderPdf(fig: PlotlyFigure): Promise<Buffer> {
  const svg = await renderSvg(fig);
  const { browser } = await renderer();
  const { width, height } = size(fig);
  const page = await browser.newPage();
  try {
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    return await page.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: "1" });
  } finally {
    await page.close();
  }
}

/** Writes <base>.png, <base>.svg and <base>.pdf; returns the PNG bytes. */
export async function exportFigure(fig: PlotlyFigure, base: string): Promise<Buffer> {
  mkdirSync(dirname(base), { recursive: true });
  const png = await renderPng(fig);
  writeFileSync(`${base}.png`, png);
  writeFileSync(`${base}.svg`, await renderSvg(fig));
  writeFileSync(`${base}.pdf`, await renderPdf(fig));
  return png;
}

export async function closeRenderer(): Promise<void> {
  if (!pagePromise) return;
  const { browser } = await pagePromise;
  pagePromise = null;
  await browser.close();
}

export interface TitleFit {
  text: string;
  left: number;
  right: number;
  width: number;
  fits: boolean;
}

/** Where the title and subtitle of an exported SVG figure sit, measured in Chromium (a title cut at the edges does not fit). */
export async function svgTitleFits(svg: string): Promise<TitleFit[]> {
  const { browser } = await renderer();
  const page = await browser.newPage();
  try {
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    return await page.evaluate(() => {
      // Runs in the page (DOM types are not in this project's lib).
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const doc = (globalThis as any).document;
      const width: number = doc.querySelector("svg").getBoundingClientRect().width;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return Array.from(doc.querySelectorAll(".gtitle, .gtitle-subtitle") as ArrayLike<any>).map((el) => {
        const box = el.getBoundingClientRect();
        return { text: String(el.textContent ?? ""), left: box.left as number, right: box.right as number, width, fits: box.left >= 0 && box.right <= width + 0.5 };
      });
    });
  } finally {
    await page.close();
  }
}

export interface NotebookPageCheck {
  /** Table cells holding raw JSON or float noise, as "table text: cell". */
  rawCells: string[];
  /** Lines of text the first code cell printed (the profile summary). */
  firstCellLines: number;
  tables: number;
}

/**
 * Opens a notebook's HTML (nbconvert) in Chromium as a reader would, saves a full-page screenshot
 * and reads every rendered table cell: none may hold raw JSON ({"... / ["...) or float noise (7+ decimals).
 */
export async function checkNotebookPage(html: string, screenshot: string): Promise<NotebookPageCheck> {
  const { browser } = await renderer();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.setContent(html, { waitUntil: "load" });
    await page.screenshot({ path: screenshot, fullPage: true });
    return await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const doc = (globalThis as any).document;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const cells = Array.from(doc.querySelectorAll("td, th") as ArrayLike<any>).map((el) => String(el.textContent ?? "").trim());
      const raw = cells.filter((t) => /[[{]"|"[\]}]|":|\d\.\d{7,}/.test(t));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const outputs = Array.from(doc.querySelectorAll(".jp-CodeCell, .cell.code_cell") as ArrayLike<any>);
      const first = outputs.length ? String(outputs[0].querySelector(".jp-OutputArea, .output_wrapper")?.textContent ?? "") : "";
      return { rawCells: raw.slice(0, 20), firstCellLines: first.split("\n").filter((l: string) => l.trim()).length, tables: doc.querySelectorAll("table").length as number };
    });
  } finally {
    await page.close();
  }
}
