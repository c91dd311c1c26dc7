import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

// axe-core on the pages people use under pressure, in both themes, on a desktop and a
// phone: no serious or critical violation.
const PAGES = {
  home: '/',
  runbook: '/services/database/db-unreachable/',
  ladder: '/handbook/severity/',
  checklist: '/handbook/first-15-minutes/',
  templates: '/handbook/communication/',
  coverage: '/coverage/',
};

for (const theme of ['light', 'dark'] as const) {
  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const [name, path] of Object.entries(PAGES)) {
      test(`axe: ${name} page, ${theme}, ${device}`, async ({ browser }) => {
        const context = await browser.newContext({ viewport });
        await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
        const page = await context.newPage();
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        // Open what a reader opens: the header card and the variables form.
        for (const summary of await page.locator('details.rb-card > summary, details.rb-vars > summary').all())
          await summary.click();
        const { violations } = await new AxeBuilder({ page }).analyze();
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(
          bad.map(
            (v) =>
              `${v.id} (${v.impact}): ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}`,
          ),
        ).toEqual([]);
        await context.close();
      });
    }
  }
}

// The variables form with a value its pattern refuses: the error text is read in both themes.
for (const theme of ['light', 'dark'] as const) {
  test(`axe: the variables form showing an error, ${theme}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
    const page = await context.newPage();
    await page.goto(PAGES.runbook);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const form = page.locator('details.rb-vars');
    await form.locator('summary').click();
    await form.locator('[name="OLDER_THAN_MIN"]').fill('ten minutes');
    await expect(form.locator('.rb-vars__error').filter({ hasText: 'does not match' })).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
    await context.close();
  });
}

test('focus is visible on links, buttons and summaries (keyboard users)', async ({ page }) => {
  await page.goto(PAGES.runbook);
  await page.locator('.rb-card > summary').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const ring = await page.locator('.rb-card > summary').evaluate((el) => {
    const s = getComputedStyle(el);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  expect(ring).not.toMatch(/^none|0px$/);
});
