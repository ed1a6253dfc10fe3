/**
 * The console in a real browser: Debian's Chromium driven by playwright-core. Outside CI a missing
 * Chromium skips these tests with a warning; in CI (.ci/run installs it) they must run.
 * Screenshots go to test-results/screenshots/ (git-ignored; CI keeps them as artifacts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { createService, type Service } from '../../src/service.ts';
import { createSimulator, ManualClock, type Simulator } from '../../src/sim/index.ts';
import { IN_CI } from '../helpers/prometheus-tools.ts';
import { silent } from './helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP = !HAVE_CHROMIUM && !IN_CI;
if (SKIP) console.warn(`[console browser tests] SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); they run and must pass in CI`);

const SHOTS = new URL('../../test-results/screenshots/', import.meta.url);

let browser: Browser;
let sim: Simulator;
let service: Service;
let base: string;
// Simulated time starts now, so checkpoint ages read like a live cluster's.
const clock = new ManualClock(Date.now());

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A page that fails the test on any script error, CSP violation or dialog (an executed `alert`). */
async function openPage(opts: { dark?: boolean; width?: number; height?: number } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1200, height: opts.height ?? 900 },
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return { page, problems };
}

/** One numeric attribute of every element the selector matches, in document order. */
async function numbersOf(page: Page, selector: string, attribute: string): Promise<number[]> {
  const values = await Promise.all((await page.locator(selector).all()).map((l) => l.getAttribute(attribute)));
  return values.map(Number);
}

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: new URL(name, SHOTS).pathname, fullPage });

describe.skipIf(SKIP)('console in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    sim = createSimulator({ scenario: 'demo', clock, fetcherIntervalMs: 0 });
    const simUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    const down = `http://127.0.0.1:${await closedPort()}`;
    service = await createService({
      loadConfig: () => parseConfig(`targets:\n  - { name: demo, url: "${simUrl}" }\n  - { name: staging, url: "${down}" }\n`, { env: {} }),
      logger: silent,
    });
    base = await service.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sim?.close();
  });

  it('shows a down target as down after one scrape, triggered from the page by keyboard', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('[data-target="staging"] [data-state]').getAttribute('data-state')).toBe('never');
    expect(await page.locator('[data-target="demo"] [data-state]').getAttribute('data-state')).toBe('never');

    // One scrape of every target, by keyboard: Tab to the button, Enter.
    const button = page.getByRole('button', { name: 'Scrape all configured targets now' });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    await page.locator('[data-target="staging"] [data-state="down"]').waitFor();
    expect(await page.locator('[data-target="staging"] .badge').innerText()).toBe('down');
    expect(await page.locator('[data-target="demo"] [data-state]').getAttribute('data-state')).toBe('up');
    expect(await page.locator('[data-target="staging"] table.errors').innerText()).toMatch(/jobs_overview\s+1\s+Flink REST jobs_overview failed \(connection\)/);
    expect(await page.locator('[data-target="demo"] table.jobs tbody tr').count()).toBe(3);
    // A keyed vertex's "explore keys" link opens the explorer with its parallelism and maxParallelism.
    await page.locator('[data-target="demo"] a', { hasText: 'explore keys' }).first().click();
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.inputValue('#parallelism')).toBe('8');
    expect(await page.inputValue('#max-parallelism')).toBe('128');
    expect(await page.locator('#prefill-context').innerText()).toContain('of job Clickstream Sessionization on target demo');
    await page.goBack();
    await shot(page, 'status-light.png');
    await page.screenshot({ path: new URL('readme-status.png', SHOTS).pathname, clip: { x: 0, y: 0, width: 1200, height: 860 } });
    expect(problems).toEqual([]);
  });

  it('renders the explorer for a Zipf sample with exactly the numbers of the API', async () => {
    const weights: Record<string, number> = {};
    const lines = ['key,count'];
    for (let r = 1; r <= 300; r++) {
      const count = Math.round(20000 / r);
      weights[`item-${r}`] = count;
      lines.push(`item-${r},${count}`);
    }
    const { page, problems } = await openPage();
    await page.goto(`${base}/keys?parallelism=6&maxParallelism=100`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.fill('#keys-text', lines.join('\n'));
    await page.selectOption('#key-type', 'string');
    await page.click('button[type="submit"]');
    await page.locator('#load-svg').waitFor();

    const apiRes = await fetch(`${base}/api/v1/keygroups/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keyType: 'string', weights, parallelism: 6, maxParallelism: 100 }),
    });
    const api = (await apiRes.json()) as { skewScore: number; maxMeanRatio: number; perSubtask: number[]; distinctKeys: number; totalWeight: number; hottestKeys: { key: string }[] };
    const layout = (await (await fetch(`${base}/api/v1/keygroups/layout?parallelism=6&maxParallelism=100`)).json()) as { subtasks: { keyGroups: number }[] };

    expect(await page.locator('#out-skew').getAttribute('data-value')).toBe(String(api.skewScore));
    expect(await page.locator('#out-maxmean').getAttribute('data-value')).toBe(String(api.maxMeanRatio));
    expect(await page.locator('#out-distinct').getAttribute('data-value')).toBe('300');
    expect(await page.locator('#out-total').getAttribute('data-value')).toBe(String(api.totalWeight));
    expect(await page.locator('#out-skew').innerText()).toBe(`${(api.skewScore * 100).toFixed(1)} %`);
    const bars = await numbersOf(page, '#load-svg rect.bar', 'data-load');
    expect(bars).toEqual(api.perSubtask);
    const strip = await numbersOf(page, '#strip-svg rect', 'data-key-groups');
    expect(strip).toEqual(layout.subtasks.map((s) => s.keyGroups));
    // 100 key groups over 6 subtasks: four own ⌈100/6⌉ = 17, two own 16.
    expect(await page.locator('#strip-svg rect.max').count()).toBe(4);
    expect(await page.locator('#hot-keys tbody tr:first-child td:first-child').innerText()).toBe(api.hottestKeys[0]!.key);
    expect(await page.locator('#parallelism-options tbody tr').count()).toBeGreaterThan(1);

    const csv = await page.locator('#balanced-csv').getAttribute('href');
    expect(csv).toMatch(/^keys\/balanced\.csv\?parallelism=6&maxParallelism=100&keyType=string&perSubtask=1&prefix=key-$/);
    await shot(page, 'keys-light.png');
    const results = await page.locator('#keys-results').boundingBox();
    if (results) await page.screenshot({ path: new URL('readme-keys.png', SHOTS).pathname, clip: { x: 0, y: results.y - 4, width: 1200, height: 900 }, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('works in dark mode and on a phone-sized screen; the API docs render under their CSP', async () => {
    const dark = await openPage({ dark: true });
    await dark.page.goto(`${base}/`);
    // Expressions as strings: the test's tsconfig has no DOM types.
    const bg = await dark.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(20, 23, 27)');
    await shot(dark.page, 'status-dark.png');
    await dark.page.goto(`${base}/keys?parallelism=8&maxParallelism=128`);
    await dark.page.locator('body[data-ready="true"]').waitFor();
    await dark.page.click('#zipf-sample');
    await dark.page.click('button[type="submit"]');
    await dark.page.locator('#load-svg').waitFor();
    await shot(dark.page, 'keys-dark.png');
    // Upload: a CSV file replaces the text box's content.
    await dark.page.setInputFiles('#keys-file', { name: 'keys.csv', mimeType: 'text/csv', buffer: Buffer.from('key,count\nuploaded-a,5\nuploaded-b,1\n') });
    await expect.poll(() => dark.page.inputValue('#keys-text')).toBe('key,count\nuploaded-a,5\nuploaded-b,1\n');
    await dark.page.click('button[type="submit"]');
    await expect.poll(() => dark.page.locator('#out-distinct').getAttribute('data-value')).toBe('2');
    expect(await dark.page.locator('#out-total').getAttribute('data-value')).toBe('6');
    expect(dark.problems).toEqual([]);

    const phone = await openPage({ width: 390, height: 844 });
    await phone.page.goto(`${base}/`);
    const overflow = await phone.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
    await shot(phone.page, 'status-phone.png');

    await phone.page.goto(`${base}/api/docs/`);
    await phone.page.getByText('/api/v1/keygroups/analyze').first().waitFor();
    expect(phone.problems).toEqual([]);
  });
});
