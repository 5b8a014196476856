// Reading and clicking pages in Chromium (playwright-core, which has no web-first assertions).
import type { Locator, Page } from 'playwright-core';

/** Waits for the element, then reads it. */
export async function text(l: Locator): Promise<string> {
  await l.first().waitFor();
  return (await l.first().innerText()).trim();
}

/** Clicks something that posts a form or follows a link, and waits for the page it leads to. */
export async function go(page: Page, l: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), l.click()]);
}
