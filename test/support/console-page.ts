import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { pageProblems } from './browser';

/** Where the run leaves a picture of each console page for a reviewer (issue 21; not committed). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'reports', 'console');

/** The size every page is checked and pictured at: a common laptop. */
export const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

export interface SignedInPage {
  page: Page;
  /** Uncaught errors and CSP refusals seen in the page so far; a test expects it empty at the end. */
  problems: string[];
}

/** A new browser context signed in to the console at `baseUrl` with `token`, as a person would. */
export async function signInToConsole(
  browser: Browser,
  baseUrl: string,
  token: string,
  options: BrowserContextOptions = LAPTOP,
): Promise<SignedInPage> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel(/API token|Mã truy cập API/).fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /^(Sign out|Đăng xuất)$/ }).waitFor();
  return { page, problems };
}

/** Writes the page as it is now to reports/console/<name>.png at 1280x800. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name must be kebab-case: ${name}`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
