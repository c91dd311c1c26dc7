import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

const DB = '/services/database/db-unreachable/';
/** Requests for anything of the search: the dialog chunk, the index, Pagefind. */
const SEARCH_ASSET = /\/_astro\/dialog\.[^/]*\.js$|\/quickjump\.json$|\/pagefind\//;

const input = (page: Page) => page.getByRole('combobox', { name: 'Search runbooks' });
const options = (page: Page) => page.getByRole('listbox', { name: 'Results' }).getByRole('option');
const jumpTo = (page: Page) => page.getByRole('group', { name: 'Jump to' }).getByRole('option');
const fullText = (page: Page) => page.getByRole('group', { name: 'Full text' }).getByRole('option');

async function openWithSlash(page: Page, path = '/') {
  await page.goto(path);
  await page.keyboard.press('/');
  await expect(input(page)).toBeFocused();
}

test('nothing of the search loads before first use; `/` opens it and loads it', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(DB);
  await page.waitForLoadState('networkidle');
  await page.mouse.move(5, 500);
  await page.waitForTimeout(300);
  expect(requests.filter((p) => SEARCH_ASSET.test(p))).toEqual([]);
  await page.keyboard.press('/');
  await expect(input(page)).toBeFocused();
  await expect(page.getByRole('dialog', { name: 'Search runbooks' })).toBeVisible();
  await expect.poll(() => requests.filter((p) => SEARCH_ASSET.test(p)).length).toBeGreaterThan(1);
  expect(requests).toContain('/quickjump.json');
});

test('Ctrl+K opens it, also from inside a text field; `/` in a text field types a slash', async ({ page }) => {
  await page.goto(DB);
  // The variables form on a runbook page has text fields.
  await page.locator('details.rb-vars > summary').click();
  const field = page.locator('input[data-var-input]').first();
  if (await field.count()) {
    await field.focus();
    await page.keyboard.press('/');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(field).toHaveValue(/\/$/);
  }
  await page.keyboard.press('Control+k');
  await expect(input(page)).toBeFocused();
});

test('finds a runbook by slug, /r/ URL and a pasted full URL with its anchor', async ({ page }) => {
  await openWithSlash(page);
  for (const q of ['db-down', '/r/db-down', 'r/pool-exhausted']) {
    await input(page).fill(q);
    await expect(jumpTo(page).first()).toHaveAttribute('href', DB);
    await expect(jumpTo(page).first()).toContainText('Database unreachable');
  }
  await input(page).fill('https://runbooks.kestrel.example/r/db-down/#verify');
  await expect(jumpTo(page).first()).toHaveAttribute('href', `${DB}#verify`);
  await input(page).press('Enter');
  await expect(page).toHaveURL(new RegExp(`${DB}#verify$`));
});

test('an off-site shortlink finds the page that owns it', async ({ page }) => {
  await openWithSlash(page);
  await input(page).fill('status-page');
  await expect(jumpTo(page).first()).toHaveAttribute('href', '/handbook/communication/');
  await expect(jumpTo(page).nth(1)).toHaveAttribute('href', 'https://status.kestrel.example/');
});

test('@db-team lists the database runbooks first; a service and an alert name find their runbooks', async ({
  page,
}) => {
  await openWithSlash(page);
  await input(page).fill('@db-team');
  await expect(jumpTo(page).nth(0)).toHaveAttribute('href', /\/services\/database\//);
  await expect(jumpTo(page).nth(1)).toHaveAttribute('href', /\/services\/database\//);
  await input(page).fill('kestrel-cli');
  await expect(jumpTo(page).first()).toHaveAttribute('href', '/services/cli/telemetry-errors/');
  await expect(jumpTo(page).first()).toContainText('service kestrel-cli');
  await input(page).fill('SchedulerHeartbeatMissing');
  await expect(jumpTo(page).first()).toHaveAttribute('href', '/services/scheduler/jobs-stale/');
  await expect(jumpTo(page).first()).toContainText('alert SchedulerHeartbeatMissing');
});

test('arrows move the active option (aria-activedescendant), Enter navigates, Esc closes and focus returns', async ({
  page,
}) => {
  await page.goto('/');
  const button = page.getByRole('button', { name: 'Search runbooks' });
  await button.click();
  await expect(input(page)).toBeFocused();
  await input(page).fill('@db-team');
  await expect(jumpTo(page).nth(1)).toBeVisible();
  const first = await jumpTo(page).nth(0).getAttribute('id');
  await expect(input(page)).toHaveAttribute('aria-activedescendant', first!);
  await expect(jumpTo(page).nth(0)).toHaveAttribute('aria-selected', 'true');
  await input(page).press('ArrowDown');
  const second = jumpTo(page).nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await expect(input(page)).toHaveAttribute('aria-activedescendant', (await second.getAttribute('id'))!);
  await input(page).press('ArrowUp');
  await expect(jumpTo(page).nth(0)).toHaveAttribute('aria-selected', 'true');
  await input(page).press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(button).toBeFocused();
  await page.keyboard.press('Control+k');
  await input(page).fill('@db-team');
  await expect(jumpTo(page).nth(1)).toBeVisible();
  const target = await jumpTo(page).nth(1).getAttribute('href');
  await input(page).press('ArrowDown');
  await input(page).press('Enter');
  await expect(page).toHaveURL(new RegExp(`${target}$`));
});

test('Pagefind full text finds a word from a body, and the service and severity filters narrow it', async ({
  page,
}) => {
  await openWithSlash(page);
  // `max_connections` appears only in the body of the database runbook, not in its frontmatter.
  // (A page the quick-jump already lists is not repeated under Full text.)
  await input(page).fill('max_connections');
  await expect(options(page).filter({ hasText: 'Database unreachable' }).first()).toHaveAttribute('href', DB);
  await input(page).fill('terminate');
  await expect(fullText(page).filter({ hasText: 'Database unreachable' })).toHaveAttribute('href', DB);
  await expect(fullText(page).first().locator('mark').first()).toBeVisible();
  // The header card is indexed too: the escalation note is a full-text phrase now.
  await input(page).fill('db-primary schedule');
  await expect(
    fullText(page)
      .filter({ hasText: 'Database unreachable' })
      .or(jumpTo(page).filter({ hasText: 'Database unreachable' }))
      .first(),
  ).toBeVisible();
  await input(page).fill('rollback');
  await expect(fullText(page).first()).toBeVisible();
  await page.getByLabel('Service', { exact: true }).selectOption('kestrel-api');
  // The list updates after the select changes: wait for the filtered list, never read the one before it.
  const hrefs = () => options(page).evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  await expect.poll(async () => (await hrefs()).length).toBeGreaterThan(0);
  await expect.poll(hrefs).toEqual(expect.not.arrayContaining(['/handbook/on-call-handoff/']));
  await page.getByLabel('Severity', { exact: true }).selectOption('SEV-1');
  await expect(fullText(page).or(jumpTo(page)).first()).toBeVisible();
  await expect
    .poll(hrefs)
    .toEqual(expect.not.arrayContaining(['/services/api/latency-after-deploy/', '/services/api/memory-leak/']));
  // A filter alone lists that service's pages.
  await input(page).fill('');
  await page.getByLabel('Severity', { exact: true }).selectOption('');
  await page.getByLabel('Service', { exact: true }).selectOption('kestrel-cli');
  await expect(jumpTo(page).first()).toHaveAttribute('href', '/services/cli/telemetry-errors/');
});

test('works on a phone: the header button opens the dialog full screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(DB);
  const button = page.getByRole('button', { name: 'Search runbooks' });
  await expect(button).toBeVisible();
  await button.click();
  await expect(input(page)).toBeFocused();
  await input(page).fill('db-down');
  await jumpTo(page).first().click();
  await expect(page).toHaveURL(new RegExp(`${DB}$`));
});

for (const theme of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violations with the dialog open (${theme})`, async ({ page }) => {
    await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    await openWithSlash(page, DB);
    await input(page).fill('db');
    await expect(jumpTo(page).first()).toBeVisible();
    await expect(fullText(page).first()).toBeVisible();
    const results = await new AxeBuilder({ page }).include('dialog.qj').analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}
