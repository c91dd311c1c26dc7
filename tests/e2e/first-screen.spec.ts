import { expect, test, type Page } from '@playwright/test';

// The 3 a.m. page opens on what to do: the first command (its code and its copy button) on
// the first screen of a desktop on every service runbook, and of a phone on most, with a
// review overdue or not; "Review overdue" said once; the owner never cut off on a phone.

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** The day after the examples' last reviews, and a year later (every one overdue). */
const FRESH = new Date('2026-12-02T09:00:00Z');
const OVERDUE = new Date('2027-12-02T09:00:00Z');
/** The security runbook's first step is to page security, on purpose: no command comes first. */
const NO_COMMAND_FIRST = '/services/security/security-incident/';

/** Every example service runbook, from the catalog. */
async function serviceRunbooks(page: Page): Promise<string[]> {
  const catalog = (await (await page.request.get('/runbooks.json')).json()) as { runbooks: { url: string }[] };
  const paths = catalog.runbooks
    .map((r) => new URL(r.url, 'http://x').pathname)
    .filter((p) => p.startsWith('/services/'));
  expect(paths.length).toBeGreaterThanOrEqual(10);
  return paths;
}

/** Opens a runbook as of `day`, once its header card says what the page's script decided about the review. */
async function open(page: Page, path: string, day: Date) {
  await page.goto(path);
  const stale = page.locator('.rb-card__stale');
  if (day === OVERDUE) await expect(stale).toBeVisible();
  else await expect(stale).toBeHidden();
  await page.evaluate(() => document.fonts.ready);
}

/** The bottom edge of the first run block's command: its code frame and its copy button. */
const firstCommandBottom = (page: Page) =>
  page.evaluate(() => {
    const frame = document.querySelector('.rb-snippet .expressive-code');
    const copy = frame?.querySelector('.copy button');
    if (!frame || !copy) return Infinity;
    return Math.max(frame.getBoundingClientRect().bottom, copy.getBoundingClientRect().bottom);
  });

for (const [when, day] of [
  ['fresh', FRESH],
  ['overdue', OVERDUE],
] as const) {
  test(`desktop: the first command is on the first screen of every service runbook (review ${when})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.clock.setFixedTime(day);
    for (const path of await serviceRunbooks(page)) {
      await open(page, path, day);
      if (path === NO_COMMAND_FIRST) {
        // Its first step instead: "Page the security on-call now".
        const step = page.locator('.sl-markdown-content ol > li').first();
        await expect(step).toContainText('Page the security on-call');
        await expect.poll(async () => (await step.boundingBox())?.y, { message: path }).toBeLessThan(DESKTOP.height);
        continue;
      }
      await expect.poll(() => firstCommandBottom(page), { message: path }).toBeLessThanOrEqual(DESKTOP.height);
    }
    await context.close();
  });
}

test('phone: the first command is on the first screen of most service runbooks, overdue review and all', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(OVERDUE);
  const paths = await serviceRunbooks(page);
  const off: string[] = [];
  for (const path of paths) {
    await open(page, path, OVERDUE);
    // The context before the steps is folded: its heading and a "Show" button.
    await expect(page.locator('.rb-context__body > summary').first()).toBeVisible();
    if ((await firstCommandBottom(page)) > PHONE.height) off.push(path);
  }
  const on = paths.length - off.length;
  test.info().annotations.push({ type: 'first screen on a phone', description: `${on} of ${paths.length}` });
  // 9 of 10 when this was written; the one left is the security runbook (no command first).
  expect(off).toEqual([NO_COMMAND_FIRST]);
  expect(on).toBeGreaterThanOrEqual(7);
  await context.close();
});

for (const [device, viewport] of [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const) {
  test(`"Review overdue" is said once, on the header card's line (${device})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.clock.setFixedTime(OVERDUE);
    await open(page, '/services/database/db-unreachable/', OVERDUE);
    const said = async () => ((await page.locator('main').innerText()).match(/Review overdue/g) ?? []).length;
    await expect.poll(said).toBe(1);
    await expect(page.locator('.rb-card > summary .rb-card__stale')).toHaveText('Review overdue');
    // The card's line stays one line on a desktop: the notice takes the services' place.
    if (device === 'desktop') {
      const line = page.locator('.rb-card__line');
      const oneLine = async () => {
        const box = await line.boundingBox();
        const badge = await line.locator('.sev-badge').first().boundingBox();
        return box && badge ? box.height < badge.height * 1.6 : false;
      };
      await expect.poll(oneLine).toBe(true);
    }
    // The days and the advice are in the card's details.
    await page.locator('.rb-card > summary').click();
    await expect(page.locator('.rb-card dl')).toContainText('2026-12-01 (366 days ago) · every 90 days');
    await expect(page.locator('.rb-card dl')).toContainText('Check each step before you rely on it.');
    await expect.poll(said).toBe(1);
    await context.close();
  });
}

test('phone: the header card never cuts the owner off, even a long handle', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
  const page = await context.newPage();
  await page.clock.setFixedTime(OVERDUE);
  /** Whether the owner sits inside the card's summary and nothing on the line is cut. */
  const inside = () =>
    page.evaluate(() => {
      const summary = document.querySelector('.rb-card > summary')!.getBoundingClientRect();
      const line = document.querySelector<HTMLElement>('.rb-card__line')!;
      const owner = line.querySelector('code')!.getBoundingClientRect();
      return (
        owner.width > 0 &&
        owner.left >= summary.left &&
        owner.right <= summary.right &&
        owner.bottom <= summary.bottom &&
        line.scrollWidth <= line.clientWidth
      );
    });
  for (const path of await serviceRunbooks(page)) {
    await open(page, path, OVERDUE);
    await expect.poll(inside, { message: path }).toBe(true);
  }
  // Another team's handle, longer than the phone is wide.
  await page
    .locator('.rb-card__line code')
    .first()
    .evaluate((el) => {
      el.textContent = '@openshift-storage-operators-on-call-secondary-team';
    });
  await expect.poll(inside).toBe(true);
  await context.close();
});

test('context before the steps: folded on a phone, open on a desktop, in the page either way', async ({ browser }) => {
  const path = '/services/database/db-unreachable/';
  const text = 'Use this page when kestrel-api';
  const phone = await (await browser.newContext({ viewport: PHONE, hasTouch: true })).newPage();
  await phone.goto(path);
  const body = phone.locator('.rb-context__body');
  await expect(phone.locator('.rb-context h2')).toHaveText('When to use this');
  await expect(body.getByText(text)).toBeHidden();
  await expect(body.locator('summary')).toHaveAccessibleName('Show “When to use this”');
  await body.locator('summary').click();
  await expect(body.getByText(text)).toBeVisible();
  await expect(body.locator('summary')).toHaveAccessibleName('Hide “When to use this”');
  // Find-in-page, search and links reach it closed: the text is in the page.
  await phone.reload();
  expect(await phone.content()).toContain(text);
  await phone.context().close();

  const desktop = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await desktop.goto(path);
  await expect(desktop.locator('.rb-context__body').getByText(text)).toBeVisible();
  await expect(desktop.locator('.rb-context__body > summary')).toBeHidden();
  await desktop.context().close();
});
