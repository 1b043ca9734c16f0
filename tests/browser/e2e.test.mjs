// End-to-end: start `coalesce demo` on a free port, then in headless
// Chromium log in as desk officers of three members and check that a note
// USA marks REL TO GBR is shown to GBR, with its marking banner, and to no
// one else. Screenshots go to $COALESCE_SCREENSHOTS (default: os tmpdir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const bin = process.env.COALESCE_BIN;
const shots = process.env.COALESCE_SCREENSHOTS || tmpdir();
let demo, base, password, browser;
// Small hand-written lists in the real UN and OFAC formats.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'screen', 'tests', 'fixtures');

function startDemo() {
  return new Promise((resolve, reject) => {
    const db = `sqlite://${join(tmpdir(), `coalesce-e2e-${process.pid}.db`)}`;
    demo = spawn(bin, ['demo', '--listen', '127.0.0.1:0', '--database', db,
      '--sanctions', join(fixtures, 'un-sample.xml'), '--sanctions', join(fixtures, 'ofac')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 60000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const pw = out.match(/^demo password: (\S+)$/m);
      const url = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (pw && url) { clearTimeout(timer); resolve({ password: pw[1], base: url[1] }); }
    });
    demo.on('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
  });
}

before(async () => {
  assert.ok(bin, 'set COALESCE_BIN to the coalesce binary');
  ({ password, base } = await startDemo());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  demo?.kill('SIGTERM');
});

async function loginAs(username) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  assert.match(page.url(), /\/login$/, 'anonymous visitors are sent to the login page');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(base);
  return { context, page };
}

test('a note marked REL TO GBR is read by GBR with its banner and hidden from FRA', async () => {
  const usa = await loginAs('usa');
  assert.equal(await usa.page.getByRole('heading', { level: 1 }).textContent(), 'The coalition at a glance');
  assert.match(await usa.page.locator('main').textContent(), /62\s+members/);
  await usa.page.screenshot({ path: join(shots, 'home-usa.png'), fullPage: true });

  await usa.page.getByRole('link', { name: 'Share a note' }).first().click();
  await usa.page.getByLabel('Title').fill('Amerli airdrop: landing zones');
  await usa.page.getByLabel('Text').fill('Drop zones agreed with the UN team on the ground. المنطقة الآمنة');
  await usa.page.getByLabel('TLP level').selectOption('AMBER');
  await usa.page.getByLabel('Releasable to').fill('GBR');
  await usa.page.getByRole('button', { name: 'Share' }).click();
  await usa.page.waitForURL(/\/notes\/[0-9a-f-]{36}$/);
  const noteUrl = usa.page.url();
  const banners = usa.page.getByRole('note', { name: 'Marking' });
  assert.equal(await banners.count(), 2, 'banner at top and bottom');
  assert.equal((await banners.first().textContent()).trim(), 'TLP:AMBER REL TO GBR, USA');
  await usa.page.screenshot({ path: join(shots, 'note-usa.png'), fullPage: true });

  const gbr = await loginAs('gbr');
  await gbr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notes' }).click();
  await gbr.page.getByRole('link', { name: 'Amerli airdrop: landing zones' }).click();
  assert.equal(gbr.page.url(), noteUrl);
  assert.equal((await gbr.page.getByRole('note', { name: 'Marking' }).first().textContent()).trim(), 'TLP:AMBER REL TO GBR, USA');

  const fra = await loginAs('fra');
  await fra.page.goto(`${base}notes`);
  assert.equal(await fra.page.getByRole('link', { name: 'Amerli airdrop: landing zones' }).count(), 0);
  const resp = await fra.page.goto(noteUrl);
  assert.equal(resp.status(), 404);
  assert.ok(!(await fra.page.content()).includes('landing zones'));

  // Log out: the session ends.
  await gbr.page.getByRole('button', { name: 'Log out' }).click();
  await gbr.page.waitForURL(/\/login$/);
  await gbr.page.goto(noteUrl);
  assert.match(gbr.page.url(), /\/login$/);
  for (const s of [usa, gbr, fra]) await s.context.close();
});

test('an analyst screens a party, marks a false positive, and it is not re-alerted', async () => {
  const { context, page } = await loginAs('gbr');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Screening' }).click();
  await page.getByLabel('Name').fill('Mohamed Youssef');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const row = page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.equal(await row.count(), 1, 'the listed entry is found under another transliteration');
  assert.match(await row.textContent(), /Alert: review/);
  await page.screenshot({ path: join(shots, 'screen-gbr.png'), fullPage: true });
  await row.getByLabel('False positive').check();
  await row.getByLabel('Reason').fill('Different person: born 1990, British passport seen');
  await row.getByRole('button', { name: 'Record decision' }).click();
  await page.getByLabel('Name').fill('Mohamed Youssef');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const again = page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.match(await again.textContent(), /suppressed/);
  assert.doesNotMatch(await again.textContent(), /Alert: review/);
  // Another member's analyst still gets the alert: decisions are per member.
  const fra = await loginAs('fra');
  await fra.page.goto(`${base}screen`);
  await fra.page.getByLabel('Name').fill('Mohamed Youssef');
  await fra.page.getByRole('button', { name: 'Screen', exact: true }).click();
  assert.match(await fra.page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' }).textContent(), /Alert: review/);
  await context.close();
  await fra.context.close();
});
