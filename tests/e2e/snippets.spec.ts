import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // Values stay in the page: not in the URL, not in storage.
  expect(page.url()).toBe(new URL(PAGE, page.url()).href);
  const stored = await page.evaluate(() =>
    JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
  );
  expect(stored).not.toContain('api.example.test');
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
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('npx runbook run db-down#api-health');
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
