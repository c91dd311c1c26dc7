import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';

test('a runbook links its SLO chips to SLO pages that list the runbooks citing them', async ({ page }) => {
  await page.goto('/services/api/latency-after-deploy/');
  await page.locator('.rb-card > summary').click();
  await page.locator('.rb-card dl').getByRole('link', { name: 'api-availability' }).click();
  await expect(page).toHaveURL(/\/slos\/api-availability\/$/);
  await expect(page.getByRole('heading', { name: 'Burn-rate alerts' })).toBeVisible();
  await expect(page.locator('table .sev-badge').first()).toHaveText(/SEV-1/);
  await expect(page.getByRole('link', { name: 'API latency regression after a deploy' }).first()).toBeVisible();
});

test('slos.yaml is OpenSLO v1 with a Service per service and an SLO per file', async ({ request }) => {
  const text = await (await request.get('/slos.yaml')).text();
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  expect(docs.every((d) => d.apiVersion === 'openslo/v1')).toBe(true);
  const slos = docs.filter((d) => d.kind === 'SLO');
  expect(slos).toHaveLength(6);
  expect(docs.findIndex((d) => d.kind === 'SLO')).toBeGreaterThan(docs.findLastIndex((d) => d.kind === 'Service'));
  const sloth = await request.get('/sloth/kestrel-api.yaml');
  expect(sloth.status()).toBe(200);
  expect(await sloth.text()).toContain('version: prometheus/v1');
});
