import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CHARTS, dashboardDataFromAggregates, renderDashboard } from '../src/index.js';
import { sampleAggregates } from './support/sample-data.js';

// Opens the rendered file the way a person would, from file:// in a real browser, with every
// non-file request aborted and recorded. Required in CI; skipped elsewhere without Chromium.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env.CI === 'true';
const SCREENSHOT = fileURLToPath(new URL('../../../../docs/dashboard.png', import.meta.url));
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!available && !required) {
  console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
}

const scratch = mkdtempSync(join(tmpdir(), 'streampulse-dashboard-browser-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!available && !required)('the dashboard in headless Chromium', () => {
  it('draws nine charts with data from file:// without a single network request', async () => {
    expect(existsSync(CHROMIUM), `Chromium is required here: apt-get install -y chromium (${CHROMIUM})`).toBe(
      true,
    );
    const data = dashboardDataFromAggregates(await sampleAggregates(14, 42));
    const htmlPath = join(scratch, 'dashboard.html');
    writeFileSync(
      htmlPath,
      renderDashboard(data, {
        title: 'StreamPulse engagement (synthetic data)',
        generatedAt: '2025-03-15 02:10 IST',
      }),
    );

    const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: LAUNCH_ARGS,
      viewport: { width: 1280, height: 900 },
      offline: true,
    });
    const outside: string[] = [];
    try {
      context.on('request', (request) => {
        if (!request.url().startsWith('file:')) outside.push(request.url());
      });
      await context.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });

      const charts = await page.$$eval('[data-chart]', (sections) =>
        sections.map((section) => {
          const marks = [...section.querySelectorAll('[data-value]')];
          const drawn = marks.filter((mark) => {
            const box = mark.getBoundingClientRect();
            return box.width > 0 && box.height > 0;
          });
          return {
            id: section.getAttribute('data-chart'),
            heading: section.querySelector('h2')?.textContent ?? '',
            marks: marks.length,
            drawn: drawn.length,
            values: marks.map((mark) => Number(mark.getAttribute('data-value'))),
          };
        }),
      );
      expect(charts.map((c) => c.id)).toEqual(DASHBOARD_CHARTS.map((c) => c.id));
      for (const chart of charts) {
        expect(chart.heading).toBe(DASHBOARD_CHARTS.find((c) => c.id === chart.id)?.title);
        expect(chart.marks, chart.id ?? '').toBeGreaterThan(0);
        expect(chart.drawn, chart.id ?? '').toBe(chart.marks);
        for (const value of chart.values) expect(Number.isFinite(value)).toBe(true);
      }
      expect(charts.find((c) => c.id === 'top-titles')?.marks).toBe(10);

      // Two columns of cards on a laptop screen: the first two charts sit side by side.
      const boxes = await page.$$eval('[data-chart]', (sections) =>
        sections.slice(0, 2).map((s) => s.getBoundingClientRect().toJSON() as { x: number; y: number }),
      );
      expect(boxes[0]?.y).toBe(boxes[1]?.y);
      expect(boxes[1]?.x).toBeGreaterThan((boxes[0]?.x ?? 0) + 300);

      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await context.close();
    }
    expect(outside).toEqual([]);
  }, 120_000);
});
