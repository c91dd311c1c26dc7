// Scratch: screenshots of /incident/ (not committed).
import { chromium } from 'playwright';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const B = 'http://localhost:4415';
for (const theme of ['light','dark']) for (const [name, vp] of [['desktop',{width:1280,height:800}],['phone',{width:390,height:844}]]) {
  const ctx = await browser.newContext({ viewport: vp, colorScheme: theme });
  await ctx.grantPermissions(['clipboard-read','clipboard-write']);
  await ctx.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  const page = await ctx.newPage();
  await page.goto(B + '/incident/');
  await page.locator('[data-rb-incident-start]').waitFor();
  await page.screenshot({ path: `/work/wt/shots/log/incident-start-${name}-${theme}.png` });
  await page.fill('#rb-incident-operator', 'ana');
  const fired = await page.inputValue('#rb-incident-fired');
  await page.getByRole('button', { name: 'Start incident' }).click();
  await page.goto(B + '/r/db-down');
  await page.waitForURL('**/db-unreachable/');
  await page.locator('details.rb-vars > summary').click();
  await page.locator('[name="API_HEALTH_URL"]').fill('https://api.example.test/health');
  await page.locator('#api-health .rb-snippet__filled').getByRole('button', { name: 'Copy command' }).click();
  await page.locator('#check-pool').getByRole('button').first().click().catch(() => {});
  await page.waitForTimeout(500);
  await page.screenshot({ path: `/work/wt/shots/log/runbook-link-${name}-${theme}.png` });
  await page.goto(B + '/incident/');
  await page.locator('[data-rb-incident-rows] tr').first().waitFor();
  await page.screenshot({ path: `/work/wt/shots/log/incident-${name}-${theme}.png`, fullPage: true });
  await page.getByRole('button', { name: 'End incident…' }).click();
  await page.screenshot({ path: `/work/wt/shots/log/incident-end-${name}-${theme}.png` });
  await ctx.close();
}
await browser.close();
