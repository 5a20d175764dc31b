// Lighthouse's mobile profile (a Moto G Power screen, slow 4G, 4x CPU slowdown, simulated) in
// Debian's Chromium, on each page given as `label|url|cookie`. Runs every page RUNS times and
// prints the median run's scores as a Markdown table. Figures are reported, never asserted.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { readFileSync } from "node:fs";

const runs = Number(process.env.RUNS ?? 3);
const pages = process.argv.slice(2).map((arg) => {
  const [label, url, cookie] = arg.split("|");
  return { label, url, cookie };
});

const debianChromium = JSON.parse(readFileSync(new URL("../chromium.json", import.meta.url), "utf8"));
const chrome = await chromeLauncher.launch({
  chromePath: debianChromium.executablePath,
  chromeFlags: ["--headless=new", ...debianChromium.args],
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  console.log("| page | performance | accessibility | LCP s | FCP s | TBT ms | wasm+js KB (transferred) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const page of pages) {
    const results = [];
    for (let run = 0; run < runs; run++) {
      const { lhr } = await lighthouse(page.url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
      });
      if (lhr.runtimeError) throw new Error(`${page.label}: ${lhr.runtimeError.message}`);
      const requests = lhr.audits["network-requests"].details?.items ?? [];
      const scriptBytes = requests
        .filter((r) => /\.(wasm|js)$/.test(new URL(r.url).pathname))
        .reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
      results.push({
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        lcp: lhr.audits["largest-contentful-paint"].numericValue / 1000,
        fcp: lhr.audits["first-contentful-paint"].numericValue / 1000,
        tbt: lhr.audits["total-blocking-time"].numericValue,
        scriptKb: scriptBytes / 1000,
        failed: lhr.categories.accessibility.score < 1
          ? Object.values(lhr.audits).filter((a) => a.score === 0 && a.scoreDisplayMode === "binary").map((a) => a.id)
          : [],
      });
    }
    const byPerformance = [...results].sort((a, b) => a.performance - b.performance);
    const mid = byPerformance[Math.floor(results.length / 2)];
    console.log(
      `| ${page.label} | ${mid.performance} | ${median(results.map((r) => r.accessibility))} | ` +
        `${mid.lcp.toFixed(2)} | ${mid.fcp.toFixed(2)} | ${Math.round(mid.tbt)} | ${Math.round(mid.scriptKb)} |`,
    );
    const failed = [...new Set(results.flatMap((r) => r.failed))];
    if (failed.length) console.log(`|   failed accessibility audits: ${failed.join(", ")} | | | | | | |`);
  }
} finally {
  await chrome.kill();
}
