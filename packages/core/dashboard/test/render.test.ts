import { describe, expect, it } from 'vitest';
import { DASHBOARD_CHARTS, renderDashboard } from '../src/index.js';
import { EMPTY_DATA, SMALL_DATA } from './support/fixtures.js';

const options = { title: 'Engagement <Q1> & "more"', generatedAt: '2025-03-03 02:10 IST' };

/** The markup of one chart's section. */
function section(html: string, id: string): string {
  const start = html.indexOf(`data-chart="${id}"`);
  expect(start, `chart ${id}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

const values = (markup: string): number[] =>
  [...markup.matchAll(/data-value="([^"]*)"/g)].map((m) => Number(m[1]));

describe('renderDashboard', () => {
  const html = renderDashboard(SMALL_DATA, options);

  it('renders one complete HTML document', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('draws the nine charts in order, each titled with real text', () => {
    const ids = [...html.matchAll(/<section[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(DASHBOARD_CHARTS.map((c) => c.id));
    for (const chart of DASHBOARD_CHARTS) {
      const markup = section(html, chart.id);
      expect(markup).toContain(`>${chart.title}</h2>`);
      expect(markup).toContain(`<title>${chart.title}</title>`);
      expect(markup).toContain('<svg');
    }
  });

  it('gives every bar and point its value', () => {
    expect(values(section(html, 'top-titles'))).toEqual([120.5, 80.25]);
    expect(values(section(html, 'daily-unique-viewers'))).toEqual([812, 790]);
    expect(values(section(html, 'watch-hours-by-device'))).toEqual([1000, 700.5]);
    // Active users then watch hours, per region.
    expect(values(section(html, 'regional-engagement'))).toEqual([300.5, 120, 600, 250.5]);
    expect(values(section(html, 'genre-performance'))).toEqual([900, 300, 2100, 700]);
    // One line per device type (mobile, tv), a point per day.
    expect(values(section(html, 'daily-active-users'))).toEqual([400, 390, 350, 360]);
  });

  it('labels axes with their units', () => {
    expect(section(html, 'top-titles')).toContain('Watch hours (h)');
    expect(section(html, 'daily-unique-viewers')).toContain('Unique viewers (users)');
    expect(section(html, 'daily-unique-viewers')).toContain('Day (Asia/Kolkata)');
    expect(html).not.toMatch(/event_date|whole-day|daily_active_users/);
    expect(section(html, 'regional-engagement')).toContain('Avg daily active users (users)');
    expect(section(html, 'genre-performance')).toContain('Sessions (count)');
    expect(section(html, 'daily-active-users')).toContain('Daily active users (users)');
  });

  it('escapes every text: titles, labels, regions, genres and the page title', () => {
    expect(html).not.toContain('<b>Live</b>');
    expect(html).not.toContain('North <East>');
    expect(html).not.toContain('<Q1>');
    expect(html).toContain('Tom &amp; &quot;Jerry&quot; &lt;b&gt;Live&lt;/b&gt;');
    expect(html).toContain('data-label="Tom &amp; &quot;Jerry&quot; &lt;b&gt;Live&lt;/b&gt;"');
    expect(html).toContain('Rock &#39;n&#39; Roll');
    expect(html).toContain('North &lt;East&gt;');
    expect(html).toContain('Sci-Fi &amp; Fantasy');
    expect(html).toContain('<title>Engagement &lt;Q1&gt; &amp; &quot;more&quot;</title>');
    expect(html).toContain('2025-03-03 02:10 IST');
  });

  it('needs nothing from the network: no URLs, scripts, links, images or imports', () => {
    for (const page of [html, renderDashboard(EMPTY_DATA, options)]) {
      expect(page).not.toMatch(/https?:\/\//i);
      expect(page).not.toMatch(/\bsrc\s*=/i);
      expect(page).not.toMatch(/\bhref\s*=/i);
      expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
      expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    }
  });

  it('keeps the data of each chart in a table for reading and copying', () => {
    expect(section(html, 'top-titles')).toContain('<td class="num">120.50</td>');
    expect(section(html, 'daily-unique-viewers')).toContain('<td>2025-03-02</td><td class="num">790</td>');
  });

  it('shows the period and headline figures from the whole-day rows', () => {
    expect(html).toContain('2025-03-01 to 2025-03-02');
    expect(html).toMatch(/<span class="kpi-value">3,900<\/span><span class="kpi-label">Sessions<\/span>/);
    expect(html).toMatch(
      /<span class="kpi-value">801<\/span><span class="kpi-label">Avg daily unique viewers/,
    );
  });

  it('renders a "no data" state for every chart when there are no rows', () => {
    const empty = renderDashboard(EMPTY_DATA, options);
    for (const chart of DASHBOARD_CHARTS) {
      const markup = section(empty, chart.id);
      expect(markup).toContain('data-empty="true"');
      expect(markup).toContain('No data for this period');
      expect(values(markup)).toEqual([]);
    }
    expect(empty).toContain('No data yet');
  });

  it('renders the same data to the same bytes', () => {
    expect(renderDashboard(SMALL_DATA, options)).toBe(html);
  });
});
