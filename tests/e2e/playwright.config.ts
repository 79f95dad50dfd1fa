// Playwright configuration for the slotlab end-to-end tests.
//
// Uses the system Chromium (never `playwright install`, never a browser
// download) and serves the release build in ../../dist, which must exist:
// run `trunk build --release` at the repository root first.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.SLOTLAB_E2E_PORT ?? 8127);

export default defineConfig({
  testDir: './specs',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    // The page follows the browser's language; the specs expect English
    // unless they ask for another locale.
    locale: 'en-US',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `python3 -m http.server --bind 127.0.0.1 --directory ../../dist ${PORT}`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: false,
    // http.server logs every request on stderr; keep the test output readable.
    stdout: 'ignore',
    stderr: 'ignore',
    timeout: 20_000,
  },
});
