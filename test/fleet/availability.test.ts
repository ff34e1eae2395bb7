import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Counter } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvailabilityFeed, InventoryKiosk } from '../../fleet/availability/availability.ts';
import { type AvailabilityService, startAvailabilityService } from '../../fleet/availability/server.ts';
import { KioskMetrics, type MetricsServer, startMetricsServer } from '../../kiosk/metrics/index.ts';
import { ROOT } from '../../kiosk/paths.ts';
import { launchChromium } from '../support/browser.ts';
import { freePort, missingPrograms, PROGRAMS, Program, until, writeYaml } from './programs.ts';

/*
 * The availability service against a real Prometheus that scrapes three kiosks' metrics (KioskMetrics
 * servers with the states set by hand); a fourth kiosk of the inventory sends nothing. The page is
 * checked in Chromium at 360 x 740 with axe-core, in both languages.
 */
const skip = missingPrograms();
if (skip) console.warn(`availability: ${skip}`);

const INVENTORY: InventoryKiosk[] = [
  {
    kioskId: 'ADM-3574-MPP-01',
    region: '3574',
    place: 'Mal Pelayanan Publik Kota Probolinggo',
    hours: '08.00-16.00 WIB',
  },
  { kioskId: 'ADM-3574-DKP-01', region: '3574', place: 'Kantor Dispendukcapil Kota Probolinggo' },
  { kioskId: 'ADM-3578-MPP-01', region: '3578', place: 'Mal Pelayanan Publik Siola, Surabaya' },
  { kioskId: 'ADM-3578-DKP-01', region: '3578', place: 'Kantor Dispendukcapil Kota Surabaya' },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const OUT = join(ROOT, 'test', 'output', 'fleet');

let dir: string;
let prometheus: Program;
const servers: MetricsServer[] = [];
let service: AvailabilityService;
let queries = 0;
let browser: Browser;

function kiosk(id: string, region: string, set: (m: KioskMetrics) => void): KioskMetrics {
  const m = new KioskMetrics({ kioskId: id, region, version: '0.1.0', processMetrics: false });
  set(m);
  return m;
}

describe.skipIf(skip)('the availability page and feed for citizens', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adm-availability-'));
    const kiosks = [
      kiosk('ADM-3574-MPP-01', '3574', (m) => {
        m.setState('IN_SERVICE');
        m.setDevice('card_printer', 'READY', true);
        m.setDevice('paper_printer', 'READY', true);
        m.setSupply('blank_cards', 180);
        m.setSupply('ribbon_panels', 900);
        m.setSupply('paper_sheets', 400);
      }),
      kiosk('ADM-3574-DKP-01', '3574', (m) => {
        m.setState('IN_SERVICE');
        m.setDevice('card_printer', 'CARD_JAM', false);
        m.setDevice('paper_printer', 'READY', true);
        m.setSupply('blank_cards', 50);
        m.setSupply('paper_sheets', 300);
      }),
      kiosk('ADM-3578-MPP-01', '3578', (m) => {
        m.setState('IN_SERVICE');
        m.setDevice('card_printer', 'READY', true);
        m.setDevice('paper_printer', 'OFFLINE', false);
        m.setSupply('blank_cards', 5);
        (m.registry.getSingleMetric('adm_documents_printed_total') as Counter).inc(
          { service: 'KTP_EL', medium: 'CARD' },
          0,
        );
      }),
    ];
    const targets: Array<{ targets: string[]; labels: Record<string, string> }> = [];
    for (const [i, m] of kiosks.entries()) {
      const s = (await startMetricsServer(m, { host: '127.0.0.1', port: 0 }))!;
      servers.push(s);
      targets.push({
        targets: [new URL(s.url).host],
        labels: { kiosk_id: INVENTORY[i === 2 ? 2 : i]!.kioskId, region: INVENTORY[i === 2 ? 2 : i]!.region },
      });
    }
    const port = await freePort();
    prometheus = Program.start('prometheus', PROGRAMS.prometheus, [
      `--config.file=${writeYaml(dir, 'prometheus.yml', {
        global: { scrape_interval: '1s', scrape_timeout: '1s' },
        scrape_configs: [{ job_name: 'adm-kiosk', static_configs: targets }],
      })}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    const prometheusUrl = `http://127.0.0.1:${port}`;
    await prometheus.ready(`${prometheusUrl}/-/ready`);
    // Wait for two scrapes of every kiosk, then the third kiosk prints 20 cards (more than it has left).
    const count = async (q: string) => {
      const r = (await (
        await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(q)}`)
      ).json()) as {
        data: { result: Array<{ value: [number, string] }> };
      };
      return Number(r.data.result[0]?.value[1] ?? 0);
    };
    await until(
      () => count('count(count_over_time(adm_kiosk_state[1m]) >= 2)'),
      (n) => n === 9,
    );
    for (let i = 0; i < 20; i++) kiosks[2]!.documentPrinted('KTP_EL', 'CARD');
    await until(
      () => count('sum(increase(adm_documents_printed_total{medium="CARD"}[1d]))'),
      (n) => n >= 20,
    );
    service = await startAvailabilityService({
      prometheusUrl,
      inventory: INVENTORY,
      cacheSeconds: 30,
      fetch: (input, init) => {
        queries++;
        return fetch(input, init);
      },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    for (const s of servers) await s.close();
    await prometheus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the feed says, per kiosk, cards now, A4 now, and whether the blank cards last the day', async () => {
    const res = await fetch(`${service.url}availability.json`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    const feed = (await res.json()) as AvailabilityFeed;
    const by = Object.fromEntries(feed.kiosks.map((k) => [k.kioskId, k]));
    expect(by['ADM-3574-MPP-01']).toMatchObject({
      online: true,
      card: 'yes',
      a4: 'yes',
      cardsLastTheDay: 'yes',
    });
    expect(by['ADM-3574-DKP-01']).toMatchObject({
      online: true,
      card: 'no',
      a4: 'yes',
      cardsLastTheDay: 'unknown',
    });
    expect(by['ADM-3578-MPP-01']).toMatchObject({
      online: true,
      card: 'yes',
      a4: 'no',
      cardsLastTheDay: 'no',
    });
    expect(by['ADM-3578-DKP-01']).toMatchObject({ online: false, card: 'unknown', a4: 'unknown' });
    // Places and answers only: nothing else leaves the service.
    for (const k of feed.kiosks)
      for (const key of Object.keys(k))
        expect([
          'kioskId',
          'region',
          'place',
          'address',
          'hours',
          'online',
          'card',
          'a4',
          'cardsLastTheDay',
        ]).toContain(key);
  });

  it('asks Prometheus once for any number of visitors within the cache time', async () => {
    const before = queries;
    await Promise.all(Array.from({ length: 20 }, () => fetch(service.url).then((r) => r.text())));
    await fetch(`${service.url}availability.json`);
    expect(queries - before).toBe(0);
  });

  it.each(['id', 'en'] as const)('the page (%s) fits 360 x 740 and axe-core finds nothing', async (lang) => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      hasTouch: true,
      isMobile: true,
      // The page allows no script at all; axe-core is the test's own.
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${service.url}?lang=${lang}`);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await expect.poll(() => page.locator('article').count()).toBe(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const text = await page.locator('main').innerText();
    expect(text).toContain(lang === 'id' ? 'Tidak terhubung' : 'Not connected');
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(
      (tags) =>
        (
          window as unknown as {
            axe: { run(c: unknown, o: unknown): Promise<{ violations: Array<{ id: string }> }> };
          }
        ).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
      AXE_TAGS,
    );
    expect(result.violations.map((v) => v.id)).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, `availability-${lang}.png`), fullPage: true });
    await context.close();
  });
});
