import { defineConfig } from '@playwright/test';
import type { HandeyeTestOptions } from '../src/playwright.ts';

// Playwright Test with handeye's `agent` fixture. Run: npx playwright test -c examples/playwright.config.ts
// The browser is Debian's Chromium (no `npx playwright install` needed or possible here).
export default defineConfig<HandeyeTestOptions>({
  testDir: './playwright',
  testMatch: '*.spec.ts',
  outputDir: '../test-output/playwright',
  // OCR on a small CPU takes seconds per look.
  timeout: 180_000,
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // The engine every `agent` uses. A VLM instead: { engine: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', model: 'glm-4.1v', family: 'glm-4.1v-thinking' }
    handeye: { engine: 'embedded', traceDir: '../test-output/handeye-traces' },
  },
});
