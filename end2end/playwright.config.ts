// Browser journeys in Debian's Chromium against a real Tend server, database and SMTP server.
// scripts/test builds the server and sets the environment this file reads.
import { defineConfig, devices } from "@playwright/test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const port = process.env.TEND_E2E_PORT ?? "3100";
const baseURL = `http://127.0.0.1:${port}`;

const debianChromium = JSON.parse(readFileSync(join(__dirname, "chromium.json"), "utf8"));
const chromium = { executablePath: debianChromium.executablePath, args: ["--headless", ...debianChromium.args] };

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  globalSetup: "./tests/support/global-setup.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromium,
  },
  projects: [
    // Every journey that reads or submits a form (tagged @forms) runs again with JavaScript
    // off: forms post as plain HTML and pages stream complete, before any wasm.
    {
      name: "no-javascript",
      grep: /@forms/,
      use: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false, launchOptions: chromium },
    },
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions: chromium } },
    {
      name: "phone",
      use: {
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent: devices["Pixel 7"].userAgent,
        launchOptions: chromium,
      },
    },
  ],
  webServer: {
    command: process.env.TEND_E2E_SERVER ?? "echo 'set TEND_E2E_SERVER (scripts/test does)' && exit 1",
    cwd: "..",
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
