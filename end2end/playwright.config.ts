import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// Browser journeys run against the debug build (scripts/build-site.sh) on a fresh
// SQLite file with demo data, in Debian's Chromium (never a downloaded browser).
const port = Number(process.env.E2E_PORT ?? 3100);
// The folder the server writes e-mails to; the journeys read links from them.
export const mailDir = process.env.E2E_MAIL_DIR ?? path.join(os.tmpdir(), `broar-e2e-mail-${port}`);
process.env.E2E_MAIL_DIR = mailDir;
// The folder of the server's database, for journeys that run the command line on it.
export const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `broar-e2e-data-${port}`);
process.env.E2E_DATA_DIR = dataDir;
process.env.E2E_PORT = String(port);

export default defineConfig({
  testDir: "./tests",
  // A journey's limit, against a hang: a long journey (two people, a dozen page loads,
  // four axe runs) takes about 30 s on a loaded 2-core machine.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "sv-SE",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: `bash ../scripts/e2e-server.sh ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    env: { ...process.env, E2E_MAIL_DIR: mailDir, E2E_DATA_DIR: dataDir } as Record<string, string>,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
