import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const PAGE = '/services/database/db-unreachable/';

test('a run block shows its anchor, title, labelled safety class and terminal command, even without JavaScript', async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  const block = page.locator('#check-pool');
  await expect(block.locator('.rb-snippet__title')).toHaveText('Show PgBouncer pool usage');
  await expect(block.locator('.rb-safety')).toHaveText('Read-only');
  await expect(block.locator('.rb-snippet__cli code')).toHaveText('npx runbook run db-down#check-pool');
  await expect(block.locator('pre').first()).toContainText('ops/db-pool-status.sh');
  await expect(page.locator('#kill-sessions .rb-safety')).toHaveText('Changes things');
  await expect(page.locator('#api-health pre').first()).toContainText('ops/healthcheck.sh "$API_HEALTH_URL"');
  await context.close();
});

test('/r/<slug>#<id> deep-links to a step', async ({ page }) => {
  await page.goto('/services/database/db-unreachable/#kill-sessions');
  await expect(page.locator('#kill-sessions')).toBeInViewport();
});

/** The variables form is one line until opened. */
async function openValues(page: import('@playwright/test').Page) {
  const form = page.locator('details.rb-vars');
  if (!(await form.evaluate((d) => (d as HTMLDetailsElement).open))) await form.locator('summary').click();
}

/** Fills a variable and returns what the snippet's copy button puts on the clipboard. */
async function fillAndCopy(page: import('@playwright/test').Page, name: string, value: string, block: string) {
  await openValues(page);
  await page.locator(`[name="${name}"]`).fill(value);
  const filled = page.locator(`#${block} .rb-snippet__filled`);
  await expect(filled).toBeVisible();
  await filled.getByRole('button', { name: 'Copy command' }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

test('filling a variable updates the snippet; the copy is the command with the value shell-quoted', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(PAGE);
  const copied = await fillAndCopy(page, 'API_HEALTH_URL', 'https://api.example.test/health', 'api-health');
  expect(copied).toBe("ops/healthcheck.sh 'https://api.example.test/health'");
  // Never in the URL, a cookie or session storage; kept only with the incident (tests below).
  expect(page.url()).toBe(new URL(PAGE, page.url()).href);
  const stored = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, document.cookie]));
  expect(stored).not.toContain('api.example.test');
  expect(
    await page.evaluate(() => Object.keys(localStorage).filter((k) => localStorage[k].includes('api.example'))),
  ).toEqual(['rb-incident']);
});

test('hostile values reach the shell as literal data and create nothing', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(PAGE);
  // A text field holds one line; newlines in values are covered by the unit tests of fillSnippet.
  const hostile = `; touch pwned1 $(touch pwned2) \`touch pwned3\` "dq" 'sq' \\ end $HOME && touch pwned4 | touch pwned5`;
  const copied = await fillAndCopy(page, 'API_HEALTH_URL', hostile, 'api-health');
  // Run the copied command for real, with printf standing in for the script.
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-copy-'));
  const printed = execFileSync('bash', ['-c', copied.replace(/^ops\/healthcheck\.sh /, "printf '%s' ")], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(printed).toBe(hostile);
  expect(readdirSync(dir)).toEqual([]);
  expect(existsSync(join(dir, 'pwned1'))).toBe(false);
});

test('secret variables are never asked for, filled in or copied', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(PAGE);
  await openValues(page);
  await expect(page.locator('[name="DATABASE_URL"]')).toHaveCount(0);
  await expect(page.locator('[data-var="DATABASE_URL"]')).toContainText('Never filled in here');
  await page.locator('[name="KILL_STATE"]').selectOption('idle-in-transaction');
  const filled = page.locator('#kill-sessions .rb-snippet__filled-code');
  await expect(filled).toBeVisible();
  await expect(filled).toHaveText(
    `DB_ADMIN_URL="$DB_ADMIN_URL" ops/db-kill-sessions.sh --state 'idle-in-transaction' --older-than "$OLDER_THAN_MIN"`,
  );
});

test('an SQL block shows its database and a psql command to paste; the form fills it as -v values', async ({
  browser,
}) => {
  // Without JavaScript the command is there already, with the variables read from the shell.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto('/services/scheduler/jobs-stale/');
  const block = noJs.locator('#job-runs');
  await expect(block.locator('.rb-snippet__facts')).toContainText('Database $DATABASE_URL');
  await expect(block.locator('.rb-snippet__filled-label')).toHaveText('In a shell, with psql (read-only transaction):');
  await expect(block.locator('.rb-snippet__filled-code')).toHaveText(
    "PGOPTIONS='-c default_transaction_read_only=on -c statement_timeout=30s' \\\npsql -d \"$DATABASE_URL\" -X -v ON_ERROR_STOP=1 <<'SQL'\n\\getenv JOB_NAME JOB_NAME\nSELECT started_at, finished_at - started_at AS took, status, left(error, 80) AS error\nFROM scheduler.runs\nWHERE job = :'JOB_NAME'\nORDER BY started_at DESC\nLIMIT 10;\nSQL",
  );
  await plain.close();

  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await page.goto('/services/scheduler/jobs-stale/');
  await openValues(page);
  await page.locator('[name="JOB_NAME"]').selectOption('invoice-run');
  const filled = page.locator('#job-runs .rb-snippet__filled');
  await filled.getByRole('button', { name: 'Copy command' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n').slice(0, 4)).toEqual([
    "PGOPTIONS='-c default_transaction_read_only=on -c statement_timeout=30s' \\",
    'psql -d "$DATABASE_URL" -X -v ON_ERROR_STOP=1 \\',
    "  -v JOB_NAME='invoice-run' <<'SQL'",
    'SELECT started_at, finished_at - started_at AS took, status, left(error, 80) AS error',
  ]);
  // The secret database URL is never asked for.
  await openValues(page);
  await expect(page.locator('[name="DATABASE_URL"]')).toHaveCount(0);
  await context.close();
});

test('the terminal command has its own Copy button: exactly the command, announced; the CLI asks the confirm word', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(PAGE);
  const cli = page.locator('#api-health .rb-snippet__cli');
  const button = cli.getByRole('button', { name: 'Copy the terminal command' });
  await button.click();
  // The copy lands once the run blocks' chunk has loaded: wait for it, not for a fixed time.
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe('npx runbook run db-down#api-health');
  // Announced as the other copy buttons are: a live region beside the button, and the button itself.
  await expect(cli.locator('[aria-live="polite"]')).toHaveText('Copied');
  await expect(button).toHaveText('Copied');
  await expect(button).toHaveText('Copy');

  // A destructive block: the terminal command copies at once (`runbook run` asks for the word itself).
  await page.goto('/services/database/data-corruption/');
  const block = page.locator('#switch-primary');
  const command = (await block.locator('.rb-snippet__cli code').textContent()) ?? '';
  expect(command).toMatch(/^npx runbook run [\w-]+#switch-primary$/);
  await block.getByRole('button', { name: 'Copy the terminal command' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  await expect(block.locator('.rb-confirm')).toHaveCount(0);
});

test('on a phone every terminal command wraps only between tokens, its Copy button in sight', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // Every page of the built site with a run block.
  const pages = readdirSync('dist', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('index.html') && readFileSync(join('dist', f), 'utf8').includes('rb-snippet__cli'))
    .map((f) => `/${f.replace(/index\.html$/, '')}`);
  expect(pages.length).toBeGreaterThan(5);
  for (const path of pages) {
    await page.goto(path);
    const lines = await page.locator('.rb-snippet__cli').evaluateAll((clis) =>
      clis.map((cli) => {
        const code = cli.querySelector('code')!;
        const button = cli.querySelector('button')!.getBoundingClientRect();
        return {
          command: code.textContent,
          // A token drawn on two rows would have two boxes.
          broken: [...code.querySelectorAll('.rb-token')].filter((t) => t.getClientRects().length !== 1).length,
          tokens: [...code.querySelectorAll('.rb-token')].map((t) => t.textContent).join(' '),
          button: button.left >= 0 && button.right <= innerWidth && button.width > 0,
          sideways: cli.scrollWidth > cli.clientWidth,
        };
      }),
    );
    expect(lines.length, path).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line, path).toMatchObject({ broken: 0, button: true, sideways: false });
      expect(line.tokens, path).toBe(line.command);
      expect(line.command, path).toMatch(/^npx runbook run \S+$/);
    }
  }
  await context.close();
});

test.describe('the values round trip', () => {
  const KILL = '#kill-sessions';
  /** What this browser keeps, all keys. */
  const storage = (page: import('@playwright/test').Page) => page.evaluate(() => JSON.stringify({ ...localStorage }));

  test('a Values link opens the field at its block: the command fills, the page stays at the step, a reload and another page keep it, ending the incident clears it', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(PAGE + KILL);
    const block = page.locator(KILL);
    await expect(block).toBeInViewport();
    const before = await page.evaluate(() => ({ y: scrollY, history: history.length, url: location.href }));
    await block.locator('a.rb-snippet__var', { hasText: '$KILL_STATE' }).click();
    const field = block.locator('.rb-snippet__values [data-var="KILL_STATE"] select');
    await expect(field).toBeFocused();
    await field.selectOption('idle-in-transaction');
    await block.locator('a.rb-snippet__var', { hasText: '$OLDER_THAN_MIN' }).click();
    await block.locator('.rb-snippet__values [data-var="OLDER_THAN_MIN"] input').fill('15');
    const filled = block.locator('.rb-snippet__filled-code');
    await expect(filled).toHaveText(
      `DB_ADMIN_URL="$DB_ADMIN_URL" ops/db-kill-sessions.sh --state 'idle-in-transaction' --older-than '15'`,
    );
    // One source of truth: the form at the top shows the same values.
    await expect(page.locator('form[data-rb-vars] [name="KILL_STATE"]')).toHaveValue('idle-in-transaction');
    // Still at the step: no jump, no history entry for Back to undo, the block on screen.
    const after = await page.evaluate(() => ({ y: scrollY, history: history.length, url: location.href }));
    expect(after.history).toBe(before.history);
    expect(after.url).toBe(before.url);
    expect(Math.abs(after.y - before.y)).toBeLessThan(844);
    await expect(block.locator('.rb-snippet__values')).toBeInViewport();
    await block.locator('.rb-snippet__filled').getByRole('button', { name: 'Copy command' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain("--state 'idle-in-transaction'");

    // A reload keeps the values and the filled-in command, and lands at the step.
    await page.reload();
    await expect(filled).toHaveText(
      `DB_ADMIN_URL="$DB_ADMIN_URL" ops/db-kill-sessions.sh --state 'idle-in-transaction' --older-than '15'`,
    );
    await expect(block).toBeInViewport();
    await expect(page.locator('form[data-rb-vars] [name="OLDER_THAN_MIN"]')).toHaveValue('15');

    // Another runbook using the same name shows it.
    await page.goto(PAGE);
    await page.locator('#api-health a.rb-snippet__var').click();
    await page.locator('#api-health .rb-snippet__values input').fill('https://api.example.test/health');
    await page.goto('/services/api/latency-after-deploy/');
    await expect(page.locator('#api-health .rb-snippet__filled-code')).toHaveText(
      "ops/healthcheck.sh 'https://api.example.test/health'",
    );

    // Ending the incident in another tab (the incident log's End) clears them here too.
    const other = await context.newPage();
    await other.goto('/');
    await other.evaluate(() => {
      localStorage.removeItem('rb-incident');
      localStorage.removeItem('rb-incident-log');
    });
    await expect(page.locator('#api-health .rb-snippet__filled')).toBeHidden();
    await expect(page.locator('form[data-rb-vars] [name="API_HEALTH_URL"]')).toHaveValue('');
    expect(await storage(page)).not.toContain('api.example.test');
    await other.close();
  });

  test('ending the incident in this tab (store.clearIncident) clears every field and block', async ({ page }) => {
    await page.goto(PAGE + KILL);
    await page.locator(`${KILL} a.rb-snippet__var`, { hasText: '$KILL_STATE' }).click();
    await page.locator(`${KILL} .rb-snippet__values select`).selectOption('active');
    await expect(page.locator(`${KILL} .rb-snippet__filled`)).toBeVisible();
    // What store.clearIncident does: both keys go, then the change event on this window.
    await page.evaluate(() => {
      localStorage.removeItem('rb-incident');
      localStorage.removeItem('rb-incident-log');
      dispatchEvent(new CustomEvent('rb-incident-change'));
    });
    await expect(page.locator(`${KILL} .rb-snippet__filled`)).toBeHidden();
    await expect(page.locator(`${KILL} .rb-snippet__values select`)).toHaveValue('');
    await page.reload();
    await expect(page.locator(`${KILL} .rb-snippet__filled`)).toBeHidden();
  });

  test('a secret has no field at its block and never reaches storage; an invalid value is not kept', async ({
    page,
  }) => {
    await page.goto(PAGE + KILL);
    const block = page.locator(KILL);
    await block.locator('a.rb-snippet__var', { hasText: '$DB_ADMIN_URL' }).click();
    const secret = block.locator('.rb-snippet__values [data-var="DB_ADMIN_URL"]');
    await expect(secret).toContainText('Never filled in here');
    await expect(secret.locator('input, select')).toHaveCount(0);
    // Even an input smuggled into a secret field (a browser extension, a bad edit) is not kept.
    await secret.evaluate((el) => {
      const input = document.createElement('input');
      input.name = 'DB_ADMIN_URL';
      input.setAttribute('data-var-input', '');
      el.append(input);
    });
    await secret.locator('input').fill('postgres://root:hunter2@db/x');
    await block.locator('a.rb-snippet__var', { hasText: '$OLDER_THAN_MIN' }).click();
    const minutes = block.locator('.rb-snippet__values [data-var="OLDER_THAN_MIN"] input');
    await minutes.fill('10');
    await expect.poll(() => storage(page)).toContain('OLDER_THAN_MIN');
    await minutes.fill('10x');
    await expect(block.locator('.rb-snippet__values [data-var="OLDER_THAN_MIN"] .rb-vars__error')).toHaveText(
      'Not filled in: does not match ^[0-9]+$',
    );
    await expect.poll(() => storage(page)).not.toContain('OLDER_THAN_MIN');
    const stored = await storage(page);
    expect(stored).not.toContain('10x');
    expect(stored).not.toContain('hunter2');
    expect(stored).not.toContain('DB_ADMIN_URL');
  });

  for (const theme of ['light', 'dark'] as const)
    test(`axe: fields open at a block, ${theme}, phone`, async ({ browser }) => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      const page = await context.newPage();
      await page.goto(PAGE + KILL);
      for (const name of ['$DB_ADMIN_URL', '$KILL_STATE', '$OLDER_THAN_MIN'])
        await page.locator(`${KILL} a.rb-snippet__var`, { hasText: name }).click();
      await expect(page.locator(`${KILL} .rb-snippet__values [data-var]`)).toHaveCount(3);
      await expect(page.locator(`${KILL} .rb-vars__kept`)).toContainText('Secrets are never kept');
      const { violations } = await new AxeBuilder({ page }).include(KILL).analyze();
      expect(
        violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.any[0]?.message ?? ''}`).join(' | ')}`),
      ).toEqual([]);
      await context.close();
    });

  test('without JavaScript a Values link leads to the form and Back returns to the step', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(PAGE + KILL);
    await page.locator(`${KILL} a.rb-snippet__var`, { hasText: '$KILL_STATE' }).click();
    await expect(page).toHaveURL(/#var-KILL_STATE$/);
    await page.goBack();
    await expect(page).toHaveURL(/#kill-sessions$/);
    await expect(page.locator(KILL)).toBeInViewport();
    await context.close();
  });
});
