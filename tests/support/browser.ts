/**
 * Headless Chromium (Debian's, driven by playwright-core) against the console
 * the API serves: launch options that work on an offline machine, keyboard-only
 * navigation, a check that every input has a label, screenshots into
 * test-artifacts/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, toolPath } from '../../scripts/stack';

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'browser');

// The few DOM shapes the in-page functions below use (the test project is type-checked without the DOM library).
interface El {
  id: string;
  type?: string;
  innerText?: string;
  outerHTML: string;
  offsetParent: unknown;
  labels?: ArrayLike<{ textContent: string | null }> | null;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
}
declare const document: { activeElement: El | null; body: unknown; querySelectorAll(selector: string): ArrayLike<El> };

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: toolPath('chromium'),
    headless: true,
    // No sandbox as root; no GPU; no background traffic (the machine's network is closed).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The focused element's accessible name, as a screen reader would announce it (roughly). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const labels = el.labels;
    return (el.getAttribute('aria-label') ?? (labels?.length ? Array.from(labels).map((l) => l.textContent).join(' ') : '') ?? '') + ' ' + (el.innerText ?? '');
  });
}

/** Presses Tab until the focused element's name contains `name` (the keyboard-only user's way to a control). */
export async function tabTo(page: Page, name: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)).includes(name)) return;
  }
  throw new Error(`Tab never reached a control named “${name}”`);
}

/** Picks an option of a filterable select by typing part of its label (type, arrow down, Enter). */
export async function typeToPick(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.locator('.el-select-dropdown__item:visible').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** The id of the focused element. */
export function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.activeElement?.id);
}

/** Visible inputs without an accessible name (label, aria-label or aria-labelledby). */
export function unlabelledInputs(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((e) => e.type !== 'hidden' && e.offsetParent !== null)
      .filter((e) => !(e.labels?.length || e.getAttribute('aria-label')?.trim() || e.getAttribute('aria-labelledby') || e.closest('label')))
      .map((e) => e.outerHTML.slice(0, 160)),
  );
}
