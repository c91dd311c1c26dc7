import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const CHECKLIST = '/handbook/first-15-minutes/';
const COMMUNICATION = '/handbook/communication/';
const START = new Date('2026-12-01T03:00:00Z');

/** The page's clock stands at START until a test moves it (`runFor`): no assertion races the time. */
async function stopClockAtStart(page: Page) {
  await page.clock.install({ time: new Date(START.getTime() - 60_000) });
  await page.clock.pauseAt(START);
}

const band = (page: Page, label: string) => page.locator(`.rb-checklist[data-label="${label}"]`);
const task = (page: Page, text: string | RegExp) => page.getByRole('checkbox', { name: text });

test.describe('the timed checklist', () => {
  test.beforeEach(async ({ page }) => {
    await stopClockAtStart(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  test('without JavaScript: a plain list with its target times, and no controls', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(CHECKLIST);
    await expect(band(page, 'Acknowledge').locator('.rb-checklist__by')).toHaveText('Target: done by 2 min');
    await expect(band(page, 'Communicate and set the rhythm').locator('.rb-checklist__by')).toHaveText(
      'Target: done by 15 min',
    );
    await expect(page.locator('.rb-checklist li.rb-task')).toHaveCount(23);
    await expect(page.locator('.rb-checklist').getByRole('checkbox')).toHaveCount(0);
    await expect(page.locator('main').getByRole('button', { name: /Start|Clear|End/ })).toHaveCount(0);
    await context.close();
  });

  test('Start runs the incident clock; a band turns overdue past its target', async ({ page }) => {
    await page.goto(CHECKLIST);
    await expect(page.locator('.rb-checklist li.rb-task').getByRole('checkbox')).toHaveCount(23);
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    const timer = page.getByRole('timer');
    await expect(timer).toHaveText('0:00');
    await expect(page.locator('.rb-clock__since')).toHaveText('since 03:00 UTC');
    await expect(band(page, 'Acknowledge').locator('[data-status]')).toHaveText('Due in 2:00');
    await page.clock.runFor('01:30');
    await expect(timer).toHaveText('1:30');
    await expect(band(page, 'Acknowledge').locator('[data-status]')).toHaveText('Due in 0:30');
    await page.clock.runFor('00:45');
    await expect(timer).toHaveText('2:15');
    await expect(band(page, 'Acknowledge')).toHaveAttribute('data-state', 'overdue');
    await expect(band(page, 'Acknowledge').locator('[data-status]')).toHaveText('Overdue by 0:15');
    await expect(band(page, 'Assess')).toHaveAttribute('data-state', 'due');
    await expect(page.locator('.rb-clock__note')).toHaveText('Acknowledge is overdue.');
    // Ticking every task of the band makes it done, whatever the clock says.
    for (const box of await band(page, 'Acknowledge').getByRole('checkbox').all()) await box.check();
    await expect(band(page, 'Acknowledge')).toHaveAttribute('data-state', 'done');
    await expect(band(page, 'Acknowledge').locator('[data-status]')).toHaveText('Done');
    await expect(page.locator('.rb-clock__progress')).toHaveText('4 of 23 done');
  });

  test('Start from when the page fired: four minutes in, the bands show where the responder really is', async ({
    page,
  }) => {
    await page.goto(CHECKLIST);
    const fired = page.getByLabel('Page fired at');
    // Until the responder types a time, the page fired now.
    await expect(fired).toHaveValue('03:00');
    await fired.fill('');
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await expect(fired).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.rb-clock__error')).toHaveText(
      'Type the time the page fired, HH:MM in UTC (up to a day back).',
    );
    await fired.fill('02:56');
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await expect(page.getByRole('timer')).toHaveText('4:00');
    await expect(page.locator('.rb-clock__since')).toHaveText('since 02:56 UTC');
    await expect(band(page, 'Acknowledge')).toHaveAttribute('data-state', 'overdue');
    await expect(band(page, 'Acknowledge').locator('[data-status]')).toHaveText('Overdue by 2:00');
    await expect(band(page, 'Assess')).toHaveAttribute('data-state', 'due');
    await expect(band(page, 'Assess').locator('[data-status]')).toHaveText('Due in 1:00');
    await expect(page.locator('.rb-clock__note')).toHaveText(
      'Incident clock started from 02:56 UTC, 4:00 ago. Acknowledge is overdue.',
    );
    // The one incident of the site, started when the page fired.
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('rb-incident') ?? 'null')?.started)).toBe(
      START.getTime() - 4 * 60_000,
    );
  });

  test('ticks survive a reload, are kept in the incident and logged; Clear ticks keeps the incident, End incident ends it', async ({
    page,
  }) => {
    await page.goto(CHECKLIST);
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await task(page, 'Open the alert and follow its runbook link.').check();
    await task(page, /Page the owning team/).check();
    await page.clock.runFor('03:00');
    await page.reload();
    await expect(task(page, 'Open the alert and follow its runbook link.')).toBeChecked();
    await expect(task(page, /Page the owning team/)).toBeChecked();
    await expect(task(page, /Acknowledge the page/)).not.toBeChecked();
    await expect(page.getByRole('timer')).toHaveText('3:00');
    await expect(page.getByRole('button', { name: 'Start incident clock' })).toBeHidden();
    const stored = () =>
      page.evaluate(() => ({
        incident: JSON.parse(localStorage.getItem('rb-incident') ?? 'null') as {
          ticks: Record<string, string[]>;
        } | null,
        log: JSON.parse(localStorage.getItem('rb-incident-log') ?? '[]') as {
          block: string;
          runbook: { slug: string };
          site: { action: string; detail: string };
        }[],
      }));
    expect((await stored()).incident?.ticks[CHECKLIST]).toHaveLength(2);
    await task(page, /Page the owning team/).uncheck();
    await expect.poll(async () => (await stored()).log.length).toBe(3);
    expect((await stored()).log.map((e) => [e.runbook.slug, e.block, e.site.action, e.site.detail])).toEqual([
      ['handbook/first-15-minutes', '02-min-acknowledge', 'ticked', 'Open the alert and follow its runbook link.'],
      [
        'handbook/first-15-minutes',
        '58-min-declare-and-assemble',
        'ticked',
        'Page the owning team from the escalation matrix.',
      ],
      [
        'handbook/first-15-minutes',
        '58-min-declare-and-assemble',
        'unticked',
        'Page the owning team from the escalation matrix.',
      ],
    ]);

    // Clear ticks: this page's ticks go, the incident (its clock) stays.
    await page.getByRole('button', { name: 'Clear ticks' }).click();
    await expect(page.locator('.rb-task__check:checked')).toHaveCount(0);
    await expect(page.getByRole('timer')).toHaveText('3:00');
    expect((await stored()).incident?.ticks[CHECKLIST]).toBeUndefined();

    // End incident: the incident and its log are gone; a new start is a new incident.
    await task(page, /Acknowledge the page/).check();
    await page.getByRole('button', { name: 'End incident' }).click();
    await expect(page.locator('.rb-task__check:checked')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Start incident clock' })).toBeFocused();
    await expect(page.locator('.rb-checklist[data-state="due"], .rb-checklist[data-state="overdue"]')).toHaveCount(0);
    expect(await stored()).toEqual({ incident: null, log: [] });
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await expect(page.getByRole('timer')).toHaveText('0:00');
    await task(page, /Acknowledge the page/).check();
    await page.reload();
    await expect(page.locator('.rb-task__check:checked')).toHaveCount(1);
  });

  test('joins an incident opened elsewhere, and moves the ticks the page kept before the store once', async ({
    page,
  }) => {
    await page.goto(CHECKLIST);
    const key = await task(page, /Acknowledge the page/).getAttribute('data-key');
    // The shape this page stored before the site had one incident.
    await page.evaluate(
      ([path, key, started]) =>
        localStorage.setItem(`rb-checklist:${path}`, JSON.stringify({ id: 'old', started, ticks: [key] })),
      [CHECKLIST, key, START.getTime() - 60_000] as const,
    );
    await page.reload();
    await expect(task(page, /Acknowledge the page/)).toBeChecked();
    await expect(page.getByRole('timer')).toHaveText('1:00');
    expect(await page.evaluate((path) => localStorage.getItem(`rb-checklist:${path}`), CHECKLIST)).toBeNull();
    expect(
      await page.evaluate(
        (path) => JSON.parse(localStorage.getItem('rb-incident') ?? 'null')?.ticks[path] as string[],
        CHECKLIST,
      ),
    ).toEqual([key]);

    // An incident opened on another page (the incident log) four minutes in: the checklist joins it.
    await page.evaluate(
      (started) => {
        localStorage.setItem(
          'rb-incident',
          JSON.stringify({ id: 'elsewhere', started, opened: started, operator: '', values: {}, ticks: {} }),
        );
      },
      START.getTime() - 4 * 60_000,
    );
    await page.reload();
    await expect(page.getByRole('button', { name: 'Start incident clock' })).toBeHidden();
    await expect(page.getByRole('timer')).toHaveText('4:00');
    await expect(band(page, 'Acknowledge')).toHaveAttribute('data-state', 'overdue');
  });

  test('on a phone, the sticky clock does not cover the band heading jumped to', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(CHECKLIST);
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await page.goto(`${CHECKLIST}#812-min-stop-the-bleeding`);
    const heading = page.locator('[id="812-min-stop-the-bleeding"]');
    await expect(page.getByRole('timer')).toBeVisible();
    await expect
      .poll(async () => {
        const bar = await page.locator('.rb-clock').boundingBox();
        const head = await heading.boundingBox();
        return bar && head ? head.y >= bar.y + bar.height && head.y + head.height <= 844 : false;
      })
      .toBe(true);
  });

  test('keyboard: a task is one tab stop, Space ticks it and starts the clock; focus is visible', async ({ page }) => {
    await page.goto(CHECKLIST);
    const first = task(page, /Acknowledge the page/);
    await first.focus();
    await page.keyboard.press('Tab');
    await expect(task(page, 'Open the alert and follow its runbook link.')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(task(page, 'Open the alert and follow its runbook link.')).toBeChecked();
    await expect(page.getByRole('timer')).toBeVisible();
    const outline = await page
      .locator('.rb-task__label:has(:focus-visible)')
      .evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
  });

  test('printed: target times and boxes, no clock', async ({ page }) => {
    await page.goto(CHECKLIST);
    await page.getByRole('button', { name: 'Start incident clock' }).click();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'End incident' })).toBeHidden();
    await expect(page.getByRole('timer')).toBeHidden();
    await expect(band(page, 'Assess').locator('[data-status]')).toBeHidden();
    await expect(band(page, 'Assess').locator('.rb-checklist__by')).toBeVisible();
    await expect(task(page, /Acknowledge the page/)).toBeVisible();
  });
});

test.describe('message templates', () => {
  test('without JavaScript the template is its code block', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(COMMUNICATION);
    const kickoff = page.locator('.rb-template[data-label="Internal kickoff"]');
    await expect(kickoff.locator('pre').first()).toContainText(
      'Incident declared - <SEVERITY: e.g. SEV-2> - <SHORT TITLE>',
    );
    await expect(kickoff.getByRole('button')).toHaveCount(0);
    await expect(kickoff.getByRole('textbox')).toHaveCount(0);
    await context.close();
  });

  test('a field shares its value with every template on the page; Copy copies the filled text', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(COMMUNICATION);
    const kickoff = page.locator('.rb-template[data-label="Internal kickoff"]');
    const update = page.locator('.rb-template[data-label="Internal update"]');
    const resolved = page.locator('.rb-template[data-label="Status page: resolved"]');
    await kickoff.getByRole('textbox', { name: 'SEVERITY' }).fill('SEV-2');
    await kickoff.getByRole('textbox', { name: 'SERVICE' }).fill('kestrel-api');
    await kickoff.getByRole('textbox', { name: 'IMPACT', exact: true }).fill('API requests fail for some customers');
    await expect(update.getByRole('textbox', { name: 'SEVERITY' })).toHaveValue('SEV-2');
    await expect(resolved.getByRole('textbox', { name: 'SERVICE' })).toHaveValue('kestrel-api');
    // And back: a value typed further down fills the kickoff too.
    await update.getByRole('textbox', { name: 'SHORT TITLE' }).fill('Checkout errors');
    await expect(kickoff.getByRole('textbox', { name: 'SHORT TITLE' })).toHaveValue('Checkout errors');
    await expect(kickoff.locator('.rb-template__preview')).toContainText('Incident declared - SEV-2 - Checkout errors');

    // Blanks left: Copy says which before it copies.
    await kickoff.getByRole('button', { name: 'Copy', exact: true }).first().click();
    await expect(kickoff.locator('.rb-template__warn-text').first()).toHaveText(
      '9 fields still blank: START TIME UTC, RUNBOOK LINK, IC, OPS LEAD, COMMS LEAD, SCRIBE and 3 more.',
    );
    await kickoff.getByRole('button', { name: 'Copy anyway' }).first().click();
    await expect(kickoff.getByRole('status').first()).toHaveText('Copied with 9 blanks');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      [
        ':rotating_light: Incident declared - SEV-2 - Checkout errors',
        'Impact:   API requests fail for some customers  (since <START TIME UTC>)',
        'Service:  kestrel-api   Runbook: <RUNBOOK LINK>',
        'IC: <IC>   Ops: <OPS LEAD>   Comms: <COMMS LEAD>   Scribe: <SCRIBE>',
        'Channel:  #inc-<YYYYMMDD>-<SHORT NAME>',
        'Next update: <NEXT UPDATE TIME UTC>',
      ].join('\n'),
    );
    await resolved.getByRole('button', { name: 'Copy', exact: true }).last().click();
    await resolved.getByRole('button', { name: 'Copy anyway' }).last().click();
    await expect(resolved.getByRole('status').last()).toHaveText(/^Copied with \d+ blanks?$/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      'Between <START TIME UTC> and <END TIME UTC>, API requests fail for some customers.\nThe issue is resolved and kestrel-api is working normally.',
    );
  });
});

test.describe('the on-call handoff', () => {
  const HANDOFF = '/handbook/on-call-handoff/';

  test('its checklists are tickable, kept for the page (not an incident), and cleared for next week', async ({
    page,
  }) => {
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(HANDOFF);
    const boxes = page.locator('.rb-checklist').getByRole('checkbox');
    await expect(boxes).toHaveCount(13);
    for (const box of await boxes.all()) await expect(box).toBeEnabled();
    await task(page, /I have the pager/).check();
    await page.reload();
    await expect(task(page, /I have the pager/)).toBeChecked();
    await expect(page.locator('.rb-clock__progress')).toHaveText('1 of 13 done');
    // A handoff is not an incident: no clock, nothing in the incident store.
    await expect(page.getByRole('timer')).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('rb-incident'))).toBeNull();
    await page.getByRole('button', { name: 'Clear ticks' }).click();
    await expect(page.locator('.rb-task__check:checked')).toHaveCount(0);
  });

  test('the note warns before copying blanks, has a Copy after its fields, keeps values for the incident, logs the copy', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(HANDOFF);
    // An incident is open (values are kept for one).
    await page.evaluate(() => {
      const now = Date.now();
      localStorage.setItem(
        'rb-incident',
        JSON.stringify({ id: 'i22', started: now, opened: now, operator: '', values: {}, ticks: {} }),
      );
    });
    await page.reload();
    const note = page.locator('.rb-template[data-label="Handoff note"]');
    const copies = note.getByRole('button', { name: 'Copy', exact: true });
    await expect(copies).toHaveCount(2);
    // The second Copy comes after the last field.
    const lastField = await note.getByRole('textbox').last().boundingBox();
    const bottom = await copies.last().boundingBox();
    expect(bottom!.y).toBeGreaterThan(lastField!.y + lastField!.height);

    await note.getByRole('textbox', { name: 'ROTATION' }).fill('kestrel-primary');
    await page.reload();
    await expect(note.getByRole('textbox', { name: 'ROTATION' })).toHaveValue('kestrel-primary');
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('rb-incident')!).values)).toEqual({
      ROTATION: 'kestrel-primary',
    });

    await copies.last().click();
    const warning = note.locator('.rb-template__warn').last();
    await expect(warning).toBeVisible();
    await expect(warning.locator('.rb-template__warn-text')).toHaveText(
      /^25 fields still blank: FROM, TO, WEEK OF, OPEN INCIDENT, OPEN SEVERITY, OPEN STATUS and 19 more\.$/,
    );
    await expect(warning.getByRole('button', { name: 'Fill in' })).toBeFocused();
    await warning.getByRole('button', { name: 'Fill in' }).click();
    await expect(note.getByRole('textbox', { name: 'FROM' })).toBeFocused();
    await copies.last().click();
    await warning.getByRole('button', { name: 'Copy anyway' }).click();
    await expect(note.getByRole('status').last()).toHaveText('Copied with 25 blanks');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(
      /^On-call handoff - kestrel-primary - <FROM> to <TO> - week of <WEEK OF>\n/,
    );
    const log = await page.evaluate(
      () => JSON.parse(localStorage.getItem('rb-incident-log') ?? '[]') as { block: string; site: object }[],
    );
    expect(log.map((e) => [e.block, e.site])).toEqual([
      [
        'handoff-note',
        {
          action: 'template',
          detail: 'Handoff note',
          values: expect.arrayContaining(['FROM', 'TO', 'NOTES']) as string[],
        },
      ],
    ]);
  });
});

/** Serves the communication page with a variables form holding `fields` in front of its first template. */
async function withVariablesForm(page: Page, fields: string) {
  await page.route(`**${COMMUNICATION}`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '<div class="rb-template"',
      `<form class="rb-vars" data-rb-vars>${fields}</form><div class="rb-template"`,
    );
    await route.fulfill({ response, body: html });
  });
}

test('a template field and the runbook variables form of the same name share one value', async ({ page }) => {
  // No page of the example site has both yet: serve the communication page with a variables
  // form put in front of its first template, as PageTitle renders one.
  await withVariablesForm(
    page,
    '<label>START_TIME_UTC <input name="START_TIME_UTC" data-var-input value="02:58"></label>',
  );
  await page.goto(COMMUNICATION);
  const kickoff = page.locator('.rb-template[data-label="Internal kickoff"]');
  await expect(kickoff.getByRole('textbox', { name: 'START TIME UTC' })).toHaveValue('02:58');
  await expect(kickoff.locator('.rb-template__preview')).toContainText('(since 02:58)');
  await page.locator('[data-rb-vars] input').fill('03:01');
  await expect(
    page.locator('.rb-template[data-label="Status page: resolved"]').getByRole('textbox', { name: 'START TIME UTC' }),
  ).toHaveValue('03:01');
  await kickoff.getByRole('textbox', { name: 'START TIME UTC' }).fill('03:02');
  await expect(page.locator('[data-rb-vars] input')).toHaveValue('03:02');
});

test.describe('accessibility', () => {
  for (const theme of ['light', 'dark']) {
    for (const [name, url] of [
      ['checklist', CHECKLIST],
      ['communication', COMMUNICATION],
      ['handoff', '/handbook/on-call-handoff/'],
    ]) {
      test(`${name} page, ${theme}: no serious or critical axe violations`, async ({ page }) => {
        if (name === 'checklist') await stopClockAtStart(page);
        await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
        await page.goto(url);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        if (name === 'checklist') {
          await page.getByRole('button', { name: 'Start incident clock' }).click();
          await task(page, /Acknowledge the page/).check();
          await page.clock.runFor('03:00');
          await expect(band(page, 'Acknowledge')).toHaveAttribute('data-state', 'overdue');
          // axe waits on timers of its own: let time flow again.
          await page.clock.resume();
        } else if (name === 'handoff') {
          await page.getByRole('checkbox').first().check();
          // The warning about blanks, shown.
          await page.locator('.rb-template').getByRole('button', { name: 'Copy', exact: true }).last().click();
          await expect(page.locator('.rb-template__warn').last()).toBeVisible();
        } else {
          await page.locator('.rb-template').first().getByRole('textbox', { name: 'SEVERITY' }).fill('SEV-1');
        }
        const { violations } = await new AxeBuilder({ page }).analyze();
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
          [],
        );
      });
    }
  }
});

test('a template value is never kept under the name of a secret of the page, and leaves when the incident ends', async ({
  page,
  context,
}) => {
  // The communication page with a secret variable SERVICE, as the variables form renders one.
  await withVariablesForm(page, '<div data-var="SERVICE" data-secret>SERVICE secret</div>');
  await page.goto('/incident/');
  await page.getByRole('button', { name: 'Start incident' }).click();
  await page.goto(COMMUNICATION);
  const kickoff = page.locator('.rb-template[data-label="Internal kickoff"]');
  await kickoff.getByRole('textbox', { name: 'SERVICE' }).fill('s3cr3t-value');
  await kickoff.getByRole('textbox', { name: 'SEVERITY' }).fill('SEV-2');
  await expect(kickoff.locator('.rb-template__preview')).toContainText('s3cr3t-value');
  const kept = () => page.evaluate(() => localStorage.getItem('rb-incident') ?? '');
  await expect.poll(async () => JSON.parse(await kept()).values).toEqual({ SEVERITY: 'SEV-2' });

  // Another tab ends the incident: this page's templates forget its values.
  const other = await context.newPage();
  await other.goto('/incident/');
  await other.getByRole('button', { name: 'End incident…' }).click();
  await other.getByRole('button', { name: 'End and clear' }).click();
  await expect(kickoff.getByRole('textbox', { name: 'SEVERITY' })).toHaveValue('');
  await expect(kickoff.getByRole('textbox', { name: 'SERVICE' })).toHaveValue('');
  await expect(kickoff.locator('.rb-template__preview')).toContainText('<SEVERITY>');
  await expect(kickoff.locator('.rb-template__preview')).not.toContainText('s3cr3t-value');
});
