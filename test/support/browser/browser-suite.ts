import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '../../../web/build';
import { PersonioSimulator } from '../../../src/personio-simulator';
import { startTestApp, TestApp } from '../test-app';
import { launchChromium } from './chromium';

/** Server and browser agree on "now": the sync window and the calendar's six weeks start from the same day. */
export const UI_NOW = '2026-07-21T10:00:00Z';

const RESULTS_DIR = join(__dirname, '..', '..', '..', 'test-results');

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Every request the page made to anywhere but the app's origin (there should be none). */
  foreignRequests: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
}

export interface BrowserSuite {
  readonly app: TestApp;
  readonly baseUrl: string;
  readonly simulator: PersonioSimulator;
  readonly browser: Browser;
  /** A fresh browser context (own storage), the clock fixed at UI_NOW, signed in through the `#token=` link. */
  open(token?: string): Promise<OpenedPage>;
  /** Like jest's `it`, keeping a screenshot of every open page under test-results/ when the test fails. */
  it(name: string, test: () => Promise<void>, timeoutMs?: number): void;
}

/**
 * One app (PostgreSQL, the simulator on loopback, listening on a real port), one Chromium and the
 * freshly built page per test file. Each test opens its own context; after each test the contexts
 * are closed and any request that left the app's origin fails it.
 */
export function browserSuite(testFile: string): BrowserSuite {
  const simulator = new PersonioSimulator();
  let app: TestApp;
  let browser: Browser;
  let opened: OpenedPage[] = [];

  beforeAll(async () => {
    await buildWebApp();
    const { baseUrl } = await simulator.start();
    app = await startTestApp({ env: { PERSONIO_BASE_URL: baseUrl }, listen: true, now: UI_NOW });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await simulator.stop();
  });
  afterEach(async () => {
    const foreign = opened.flatMap((entry) => entry.foreignRequests);
    const errors = opened.flatMap((entry) => entry.pageErrors);
    await Promise.all(opened.map((entry) => entry.context.close()));
    opened = [];
    expect({ foreignRequests: foreign, pageErrors: errors }).toEqual({ foreignRequests: [], pageErrors: [] });
  });

  const suite: BrowserSuite = {
    get app() {
      return app;
    },
    get baseUrl() {
      return app.baseUrl!;
    },
    simulator,
    get browser() {
      return browser;
    },
    async open(token) {
      const origin = new URL(app.baseUrl!).origin;
      // bypassCSP: the page's own Content-Security-Policy would block a foreign request before it shows
      // here; without it, the request check below sees every attempt the page makes.
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const entry: OpenedPage = { page, context, foreignRequests: [], pageErrors: [] };
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith('data:') && new URL(url).origin !== origin) entry.foreignRequests.push(url);
      });
      page.on('pageerror', (error) => entry.pageErrors.push(error.message));
      await page.clock.setFixedTime(new Date(UI_NOW));
      opened.push(entry);
      await page.goto(token ? `${origin}/#token=${token}` : `${origin}/`);
      return entry;
    },
    it(name, test, timeoutMs = 30_000) {
      it(
        name,
        async () => {
          try {
            await test();
          } catch (error) {
            await keepScreenshots(testFile, name, opened);
            throw error;
          }
        },
        timeoutMs,
      );
    },
  };
  return suite;
}

async function keepScreenshots(testFile: string, testName: string, pages: OpenedPage[]): Promise<void> {
  const directory = join(RESULTS_DIR, basename(testFile).replace(/\.browser-spec\.ts$/, ''));
  mkdirSync(directory, { recursive: true });
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  await Promise.all(
    pages.map((entry, index) =>
      entry.page
        .screenshot({ path: join(directory, `${slug}${index ? `-${index}` : ''}.png`), fullPage: true })
        .catch(() => undefined),
    ),
  );
}
