// Capture and thumbnail cost of the browser executor, against Playwright's page.screenshot.
// Run: node --import tsx test/bench/browser-capture.ts [iterations]
import path from 'node:path';
import sharp from 'sharp';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { startStaticServer } from '../../src/run/static-server.ts';

const CONFIGS: Array<{ name: string; viewport: [number, number]; dpr: number; isMobile?: boolean }> = [
  { name: '1280x720@1', viewport: [1280, 720], dpr: 1 },
  { name: '1920x1080@1', viewport: [1920, 1080], dpr: 1 },
  { name: '1440x900@2', viewport: [1440, 900], dpr: 2 },
  { name: '390x844@3', viewport: [390, 844], dpr: 3, isMobile: true },
  { name: '3440x1440@1', viewport: [3440, 1440], dpr: 1 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function time(n: number, f: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await f(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return Math.round(median(ms) * 10) / 10;
}

export async function runBrowserCaptureBench(n = 20): Promise<Record<string, unknown>> {
  const server = await startStaticServer(path.resolve(import.meta.dirname, '../../tasks'));
  const rows: Record<string, unknown> = {};
  try {
    for (const c of CONFIGS) {
      const ex = await BrowserExecutor.launch({ viewport: c.viewport, deviceScaleFactor: c.dpr, isMobile: c.isMobile });
      try {
        await ex.goto(server.resolve('/todo/index.html'));
        const frame = await ex.capture();
        const thumb = await ex.thumbnail();
        rows[c.name] = {
          frame: `${frame.width}x${frame.height}`,
          'capture jpeg (CDP)': await time(n, () => ex.capture({ format: 'jpeg', quality: 80 })),
          'page.screenshot jpeg': await time(n, () => ex.page.screenshot({ type: 'jpeg', quality: 80 })),
          'capture png (CDP)': await time(n, () => ex.capture({ format: 'png' })),
          'page.screenshot png': await time(n, () => ex.page.screenshot({ type: 'png' })),
          thumbnail: await time(n, () => ex.thumbnail()),
          'thumb via full jpeg+sharp': await time(n, async () => {
            const f = await ex.capture({ format: 'jpeg', quality: 80 });
            await sharp(f.image).resize(thumb.width, thumb.height).grayscale().raw().toBuffer();
          }),
          thumb: `${thumb.width}x${thumb.height}`,
        };
      } finally {
        await ex.close();
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('browser-capture.ts')) {
  const n = Number(process.argv[2] ?? 20);
  const rows = await runBrowserCaptureBench(n);
  console.log(`median ms over ${n} runs (2-core machine; other work running inflates numbers)`);
  console.table(rows);
}
