// End-to-end: start `coalesce demo` on a free port, then in headless
// Chromium log in as desk officers of three members and check that a note
// USA marks REL TO GBR is shown to GBR, with its marking banner, and to no
// one else. Screenshots go to $COALESCE_SCREENSHOTS (default: os tmpdir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startDemo, launchChromium } from './demo.mjs';

const bin = process.env.COALESCE_BIN;
const shots = process.env.COALESCE_SCREENSHOTS || tmpdir();
let demo, base, password, browser;

before(async () => {
  assert.ok(bin, 'set COALESCE_BIN to the coalesce binary');
  ({ demo, password, base } = await startDemo(bin, 'e2e'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  demo?.kill('SIGTERM');
});

// The widths every main journey is walked at: a desktop and a phone.
const WIDTHS = [1280, 390];

async function loginAs(username, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 720 } });
  const page = await context.newPage();
  await page.goto(base);
  assert.match(page.url(), /\/login$/, 'anonymous visitors are sent to the login page');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(base);
  return { context, page };
}

// The page is never wider than the screen (wide tables scroll in their box).
async function fits(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  if (scroll > inner) await page.screenshot({ path: join(shots, `too-wide-${inner}-${what.replace(/\W+/g, '_')}.png`), fullPage: true });
  assert.ok(scroll <= inner, `${what} is ${scroll} px wide on a ${inner} px screen`);
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
  // REL TO as chips: the members are behind "Members by name"; the box
  // beside them takes any other code.
  const audience = usa.page.getByRole('group', { name: 'Releasable to' });
  assert.ok(await audience.getByRole('checkbox', { name: /The whole coalition/ }).isVisible());
  await audience.getByText(/Members by name/).click();
  await audience.getByRole('checkbox', { name: /\bGBR$/ }).check();
  assert.equal(await audience.getByRole('checkbox', { name: /\bUSA$/ }).count(), 0, 'its own member is not a choice');
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

for (const width of WIDTHS) test(`an analyst screens a party, marks a false positive, and it is not re-alerted (${width} px)`, async () => {
  // Decisions are per member: each width's analysts are of other members.
  const [analyst, other] = width === 1280 ? ['gbr', 'fra'] : ['esp', 'prt'];
  const { context, page } = await loginAs(analyst, width);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Screening' }).click();
  await page.getByLabel('Name').fill('Mohamed Youssef');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const row = page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.equal(await row.count(), 1, 'the listed entry is found under another transliteration');
  assert.match(await row.textContent(), /Alert: review/);
  await fits(page, `/screen as ${analyst}`);
  await page.screenshot({ path: join(shots, `screen-${analyst}-${width}.png`), fullPage: true });
  await row.getByLabel('False positive').check();
  await row.getByLabel('Reason').fill('Different person: born 1990, British passport seen');
  await row.getByRole('button', { name: 'Record decision' }).click();
  await page.getByLabel('Name').fill('Mohamed Youssef');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const again = page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.match(await again.textContent(), /suppressed/);
  assert.doesNotMatch(await again.textContent(), /Alert: review/);
  // Another member's analyst still gets the alert: decisions are per member.
  const fra = await loginAs(other, width);
  await fra.page.goto(`${base}screen`);
  await fra.page.getByLabel('Name').fill('Mohamed Youssef');
  await fra.page.getByRole('button', { name: 'Screen', exact: true }).click();
  assert.match(await fra.page.locator('table.results tbody tr').filter({ hasText: 'QDi.901' }).textContent(), /Alert: review/);
  await fits(page, `/screen as ${analyst} after the decision`);
  await fits(fra.page, `/screen as ${other}`);
  await context.close();
  await fra.context.close();
});

async function figures(page) {
  const cell = async (id) => (await page.locator(`td#${id}`).textContent()).trim();
  return {
    pledged: await cell('pledged'), committed: await cell('committed'), delivered: await cell('delivered'),
    received: await cell('received'), gap: await cell('gap'),
  };
}

test('the humanitarian dashboard shows the Amerli delivery by all four members', async () => {
  const { context, page } = await loginAs('pol');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lines of effort' }).click();
  await page.getByRole('link', { name: 'Addressing humanitarian crises' }).click();
  const row = page.locator('tr').filter({ hasText: 'Amerli airdrop of humanitarian supplies' }).first();
  assert.match(await row.textContent(), /Australia, France, United Kingdom, United States/);
  assert.match(await row.textContent(), /receipt confirmed/);
  assert.ok(await page.locator('svg').count() >= 2, 'gap bars and charts are drawn');
  await page.screenshot({ path: join(shots, 'dashboard-humanitarian.png'), fullPage: true });
  await page.goto(`${base}lines-of-effort/military-support`);
  await page.screenshot({ path: join(shots, 'dashboard-military-support.png'), fullPage: true });
  await page.goto(`${base}indicators`);
  assert.match(await page.locator('main').textContent(), /Share of Iraqi territory held by ISIL/);
  await page.screenshot({ path: join(shots, 'indicators.png'), fullPage: true });
  await context.close();
});

for (const width of WIDTHS) test(`irq asks, dnk and nor pledge, dnk commits and delivers part, irq confirms: the figures at each step (${width} px)`, async () => {
  const irq = await loginAs('irq', width);
  await irq.page.goto(`${base}requirements/new`);
  await fits(irq.page, '/requirements/new');
  await irq.page.getByLabel('Title').fill(`Police training for Ramadi (${width} px)`);
  await irq.page.getByLabel('Line of effort').selectOption('stabilisation');
  await irq.page.getByLabel('Item category').selectOption('police');
  await irq.page.getByLabel('Quantity, or amount').fill('10');
  await irq.page.getByLabel('Unit (e.g.').fill('course');
  await irq.page.getByLabel('Town (optional)').fill('Ramadi');
  await irq.page.getByLabel('From', { exact: true }).fill('2016-01-01');
  await irq.page.getByLabel('Until', { exact: true }).fill('2016-12-31');
  await irq.page.getByRole('button', { name: 'Post the requirement' }).click();
  await irq.page.waitForURL(/\/requirements\/[0-9a-f-]{36}$/);
  const requirementUrl = irq.page.url();
  await fits(irq.page, 'the new requirement');
  assert.deepEqual(await figures(irq.page), { pledged: '0 course', committed: '0 course', delivered: '0 course', received: '0 course', gap: '10 course' });

  const pledge = async (user, title, n) => {
    const s = await loginAs(user, width);
    await s.page.goto(requirementUrl);
    await fits(s.page, `the requirement as ${user}`);
    await s.page.getByLabel('Title').fill(title);
    await s.page.getByLabel('Amount (course)').fill(String(n));
    await s.page.getByRole('button', { name: 'Pledge' }).click();
    await s.page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
    await fits(s.page, `the pledge of ${user}`);
    return { ...s, url: s.page.url() };
  };
  const dnk = await pledge('dnk', 'Danish police course', 4);
  const nor = await pledge('nor', 'Norwegian police course', 3);
  await irq.page.goto(requirementUrl);
  assert.deepEqual(await figures(irq.page), { pledged: '7 course', committed: '0 course', delivered: '0 course', received: '0 course', gap: '10 course' });

  await dnk.page.getByRole('button', { name: 'Commit' }).click();
  await dnk.page.waitForURL(dnk.url);
  assert.equal((await dnk.page.locator('#status').textContent()).trim(), 'committed');
  await irq.page.goto(requirementUrl);
  assert.deepEqual(await figures(irq.page), { pledged: '3 course', committed: '4 course', delivered: '0 course', received: '0 course', gap: '6 course' });

  await dnk.page.getByLabel('Delivered on').fill('2016-03-01');
  await dnk.page.getByLabel('Amount delivered').fill('2');
  await dnk.page.getByLabel('Evidence').fill('Course certificates signed in Ramadi');
  await dnk.page.getByRole('button', { name: 'Record the delivery' }).click();
  await dnk.page.waitForURL(dnk.url);
  await irq.page.goto(requirementUrl);
  assert.deepEqual(await figures(irq.page), { pledged: '3 course', committed: '2 course', delivered: '2 course', received: '0 course', gap: '6 course' });

  // Iraq confirms receipt with what arrived: one of the two courses, on
  // the 3rd, and why.
  await irq.page.goto(dnk.url);
  await fits(irq.page, 'the delivery to confirm');
  await irq.page.getByLabel('Received (of 2 course)').fill('1');
  await irq.page.getByLabel('Arrived on').fill('2016-03-03');
  await irq.page.getByLabel('Note (what was missing or damaged)').fill('The second course was postponed');
  await irq.page.getByRole('button', { name: 'Confirm receipt' }).click();
  await irq.page.waitForURL(dnk.url);
  const receipt = await irq.page.locator('main').textContent();
  assert.match(receipt, /1 course received on 2016-03-03, confirmed by irq \(IRQ\)/);
  assert.match(receipt, /The second course was postponed/);
  await irq.page.goto(requirementUrl);
  assert.deepEqual(await figures(irq.page), { pledged: '3 course', committed: '2 course', delivered: '2 course', received: '1 course', gap: '6 course' });
  await fits(irq.page, 'the requirement after the receipt');
  await irq.page.screenshot({ path: join(shots, `requirement-irq-${width}.png`), fullPage: true });
  for (const s of [irq, dnk, nor]) await s.context.close();
});

test('a contribution marked REL TO GROUP:small-group is absent for a member outside the group', async () => {
  const title = 'Police training by the Carabinieri';
  const ita = await loginAs('ita');
  await ita.page.goto(`${base}who?member=ITA`);
  assert.match(await ita.page.locator('main').textContent(), new RegExp(title));
  const pol = await loginAs('pol');
  for (const path of ['lines-of-effort/stabilisation', 'who', 'who?member=ITA', 'members/ITA', 'duplication']) {
    await pol.page.goto(`${base}${path}`);
    assert.ok(!(await pol.page.content()).includes(title), `${path} shows it to POL`);
  }
  for (const path of ['api/v1/export/contributions.csv', 'api/v1/export/iati.xml', 'api/v1/contributions?member=ITA']) {
    const r = await pol.page.request.get(`${base}${path}`);
    assert.ok(!(await r.text()).includes(title), `${path} gives it to POL`);
  }
  // The IATI export of what USA may read, for the XSD check in scripts/test.
  const usa = await loginAs('usa');
  const iati = await usa.page.request.get(`${base}api/v1/export/iati.xml`);
  assert.equal(iati.status(), 200);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(shots, 'demo-iati.xml'), await iati.text());
  // And its STIX 2.1 export, for stix2-validator --strict.
  const stix = await usa.page.request.get(`${base}api/v1/export/stix`);
  assert.equal(stix.status(), 200);
  const bundle = await stix.text();
  assert.match(bundle, /Flow of foreign fighters into Syria/);
  writeFileSync(join(shots, 'demo-stix.json'), bundle);
  for (const s of [ita, pol, usa]) await s.context.close();
});

for (const width of WIDTHS) test(`usa files a financing report with its route, commodity and payment; gbr reads it, fra does not (${width} px)`, async () => {
  // Each width's buyer has a surname of its own, so each finds its report.
  const surname = width === 1280 ? 'Testari' : 'Testarov';
  const usa = await loginAs('usa', width);
  await usa.page.goto(`${base}reports/new`);
  await fits(usa.page, '/reports/new');
  // First what is reported (a step that works without script), then only
  // that kind's details; changing the kind switches them live.
  await usa.page.getByRole('radio', { name: 'Financing' }).check();
  await usa.page.getByRole('button', { name: 'Continue' }).click();
  await usa.page.waitForURL(/\/reports\/new\?kind=financing/);
  assert.equal(await usa.page.getByLabel('Kind', { exact: true }).inputValue(), 'financing');
  const travelOnly = usa.page.getByLabel('Travel: documents used, one a line');
  const moneyOnly = usa.page.getByLabel('Financing: commodity');
  assert.ok(!(await travelOnly.isVisible()) && (await moneyOnly.isVisible()), 'financing shows its own details');
  await usa.page.getByLabel('Kind', { exact: true }).selectOption('foreign-fighter-travel');
  assert.ok((await travelOnly.isVisible()) && !(await moneyOnly.isVisible()), 'travel shows its own details');
  await usa.page.getByLabel('Kind', { exact: true }).selectOption('financing');
  await usa.page.getByLabel('Title').fill('Crude sold across the border at Akcakale');
  await usa.page.getByLabel('Text').fill('Tanker trucks loaded near Raqqa, unloaded across the border.');
  await usa.page.getByLabel('Origin country (ISO 3166-1 alpha-3)').fill('SYR');
  await usa.page.getByLabel('Destination country').fill('TUR');
  await usa.page.getByLabel('Financing: commodity').selectOption('crude-oil');
  await usa.page.getByLabel('Financing: quantity (whole number)').fill('12000');
  await usa.page.getByLabel('Unit (barrel, tonne, litre, truckload)').fill('barrel');
  await usa.page.getByLabel('Financing: a payment (amount, e.g. 300000.00)').fill('300000.00');
  await usa.page.getByLabel('Currency (ISO 4217)').fill('USD');
  // The buyer, spelled as a clerk would spell the listed man's name.
  await usa.page.getByLabel('Kind of entity').selectOption('person');
  await usa.page.getByLabel('Name (leave empty for none)').fill(`Mohamed Youssef Abdelkarim ${surname}`);
  await usa.page.getByLabel('Date of birth (YYYY, YYYY-MM or YYYY-MM-DD)').fill('1970-05-04');
  await usa.page.getByLabel('Nationality (ISO 3166-1 alpha-3)').fill('IRQ');
  await usa.page.getByLabel('Role in the report (e.g. traveller, buyer, vessel)').fill('buyer');
  await usa.page.getByLabel('TLP level').selectOption('AMBER');
  await usa.page.getByLabel(/^Other codes/).fill('GBR');
  await usa.page.getByRole('button', { name: 'File the report' }).click();
  await usa.page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
  const url = usa.page.url();
  const details = await usa.page.locator('dl.details').textContent();
  assert.match(details, /SYR\s*\(origin\)\s*→\s*TUR/);
  assert.match(details, /crude oil/);
  assert.match(details, /12000 barrel/);
  assert.match(details, /300000\.00 USD/);
  // The report's page screens its buyer: the listed man, with the date of birth as evidence.
  const screening = usa.page.locator('section#screening');
  const hit = screening.locator('table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.equal(await hit.count(), 1, 'the buyer is screened from the report page');
  assert.match(await hit.textContent(), /Alert: review/);
  assert.match(await hit.textContent(), /birth_date \+/);
  await fits(usa.page, 'the financing report');
  await usa.page.screenshot({ path: join(shots, `report-financing-usa-${width}.png`), fullPage: true });

  const gbr = await loginAs('gbr', width);
  await gbr.page.goto(url);
  assert.match(await gbr.page.locator('h1').textContent(), /Crude sold across the border/);
  // GBR reviews the hit on the page itself and is brought back to it.
  const row = gbr.page.locator('section#screening table.results tbody tr').filter({ hasText: 'QDi.901' });
  await row.getByLabel('Confirmed').check();
  await row.getByLabel('Reason').fill('Same date of birth and nationality as the listed man');
  await row.getByRole('button', { name: 'Record decision' }).click();
  await gbr.page.waitForURL(`${url}#screening`);
  const after = gbr.page.locator('section#screening table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.match(await after.textContent(), /Confirmed/);
  await fits(gbr.page, 'the report after the decision');
  await gbr.page.screenshot({ path: join(shots, `report-screening-gbr-${width}.png`), fullPage: true });
  // GBR finds the report again by the buyer's name, spelled another way.
  await gbr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
  await gbr.page.getByLabel('Words').fill(`Muhammad Yusuf ${surname}`);
  await gbr.page.getByRole('button', { name: 'Search', exact: true }).click();
  assert.match(await gbr.page.getByRole('status').first().textContent(), /Also searched for .*Youssef.* for .*Yusuf/s);
  // Its own buyer only (one surname is the start of the other).
  const found = gbr.page.locator('ol.hits li').filter({ hasText: new RegExp(`Mohamed Youssef Abdelkarim ${surname}\\b`) });
  assert.equal(await found.count(), 1, await gbr.page.locator('main').textContent());
  assert.deepEqual(await found.locator('mark').allTextContents(), ['Mohamed', 'Youssef', surname], 'the words found are marked');
  await fits(gbr.page, 'the search');
  await gbr.page.screenshot({ path: join(shots, `search-misspelt-gbr-${width}.png`), fullPage: true });
  // The person's page leads to the report about them.
  await found.getByRole('link').first().click();
  await gbr.page.waitForURL(/\/entities\/[0-9a-f-]{36}$/);
  assert.equal(await gbr.page.getByRole('link', { name: 'Crude sold across the border at Akcakale' }).count(), 1);
  await gbr.page.goBack();
  await gbr.page.getByLabel('Save this search as').fill(`${surname} buyer`);
  await gbr.page.getByRole('button', { name: 'Save', exact: true }).click();
  await gbr.page.waitForURL(/\/search\?q=/);
  assert.equal(await gbr.page.getByRole('link', { name: `${surname} buyer` }).count(), 1);
  const fra = await loginAs('fra', width);
  await fra.page.goto(`${base}search?q=Muhammad+Yusuf+${surname}`);
  assert.equal(await fra.page.locator('ol.hits li').count(), 0);
  // No other spelling from an entity fra may not read, nor gbr's saved search.
  assert.equal(await fra.page.getByRole('status').filter({ hasText: 'Also searched for' }).count(), 0);
  assert.doesNotMatch(await fra.page.locator('main').textContent(), new RegExp(`${surname} buyer`));
  const res = await fra.page.goto(url);
  assert.equal(res.status(), 404);
  for (const s of [usa, gbr, fra]) await s.context.close();
});

test('the parties of a contribution are kept on its page and screened there', async () => {
  const usa = await loginAs('usa');
  await usa.page.goto(`${base}who`);
  await usa.page.getByRole('link', { name: 'Amerli airdrop of humanitarian supplies' }).first().click();
  const parties = usa.page.locator('h2#parties + table');
  assert.match(await parties.textContent(), /implementing partner\s*organisation\s*United Nations/, 'the UN team of the documents');
  // A carrier is added through the page's form: the listed man, spelled otherwise.
  const form = usa.page.locator('form').filter({ has: usa.page.getByRole('button', { name: 'Save the parties' }) });
  await form.getByLabel('Role').nth(1).selectOption('carrier');
  await form.getByLabel('Kind').nth(1).selectOption('person');
  await form.getByLabel('Name').nth(1).fill('Muhammad Yusuf Abd al-Karim al-Testari');
  await form.getByRole('button', { name: 'Save the parties' }).click();
  await usa.page.waitForURL(/#parties$/);
  assert.match(await usa.page.locator('h2#parties + table').textContent(), /carrier\s*person\s*Muhammad Yusuf/);
  const hit = usa.page.locator('section#screening table.results tbody tr').filter({ hasText: 'QDi.901' });
  assert.equal(await hit.count(), 1);
  assert.match(await hit.textContent(), /carrier: Muhammad Yusuf/);
  assert.match(await hit.textContent(), /Alert: review/);
  await usa.page.screenshot({ path: join(shots, 'contribution-parties-usa.png'), fullPage: true });
  await usa.context.close();
});

test('an analyst uploads a CSV file of parties and gets the hits with explanations', async () => {
  const { context, page } = await loginAs('gbr');
  await page.goto(`${base}screen`);
  await page.getByLabel('Upload a CSV file').setInputFiles({
    name: 'shipment-parties.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,name,schema\r\nS-1,Mohamed Yousef Abdelkarim Testari,Person\r\nS-2,Jane Quietly Unlisted,Person\r\n'),
  });
  await page.getByRole('button', { name: 'Screen batch' }).click();
  assert.match(await page.locator('main').textContent(), /2 parties screened/);
  const row = page.locator('table.results tbody tr').filter({ hasText: 'S-1' });
  assert.match(await row.textContent(), /QDi\.901/);
  assert.equal(await page.locator('table.results tbody tr').filter({ hasText: 'S-2' }).count(), 0);
  await page.screenshot({ path: join(shots, 'screen-upload-gbr.png'), fullPage: true });
  await context.close();
});

// The stabilisation fund (issue 16): the fund manager records a pledge, its
// commitment, a deposit in EUR, an allocation to a window, a project
// approval and a disbursement through the fund page's form, and the status
// table and charts change; a deposit beyond its commitment is refused with
// the rule it breaks; a member outside the small group is told the totals
// are partial (the demo's Kuwaiti pledge is marked for the small group).
async function statusRow(page, label) {
  const row = page.locator('table.fund-status').first().locator('tr').filter({ hasText: label }).first();
  return (await row.locator('td.num').textContent()).trim();
}

async function recordOperation(page, fields) {
  const form = page.locator('form.fund-op');
  await form.getByLabel('Operation').selectOption(fields.op);
  await form.getByLabel('Value date').fill(fields.date);
  for (const [label, value] of [['Amount', fields.amount], ['Currency', fields.currency], ['Donor', fields.donor],
    ['Pledge id', fields.pledge], ['Organisation', fields.organisation]]) {
    if (value) await form.getByLabel(label, { exact: true }).fill(value);
  }
  if (fields.window) await form.getByLabel('Window').selectOption(fields.window);
  if (fields.project) await form.getByLabel('Project').selectOption(fields.project);
  await form.getByRole('button', { name: 'Record' }).click();
  await page.waitForLoadState();
}

test('the fund manager records a pledge, a EUR deposit, an allocation and a disbursement; the status and charts follow', async () => {
  const usa = await loginAs('usa');
  await usa.page.goto(`${base}funds`);
  await usa.page.getByRole('link', { name: /Funding Facility for Immediate Stabilization/ }).click();
  await usa.page.waitForURL(/\/funds\/[0-9a-f-]{36}$/);
  const fundUrl = usa.page.url();
  assert.equal(await statusRow(usa.page, 'Deposits'), 'USD 14,820,000.00');
  assert.equal(await statusRow(usa.page, 'Transfers to organisations'), 'USD 2,900,000.00');
  const windowChart = () => usa.page.locator('figure.chart').nth(1).innerHTML();
  const before = await windowChart();
  assert.doesNotMatch(before, />W3</);
  await usa.page.screenshot({ path: join(shots, 'fund-usa-before.png'), fullPage: true });

  await recordOperation(usa.page, { op: 'pledge', date: '2015-08-01', amount: '1000000.00', currency: 'EUR', donor: 'FRA' });
  assert.equal(usa.page.url(), fundUrl);
  const pledgeRow = usa.page.locator('table.transfers tbody tr').first();
  assert.match(await pledgeRow.textContent(), /pledge \(pending\)/);
  const pledgeId = (await pledgeRow.locator('td').first().textContent()).trim();
  await recordOperation(usa.page, { op: 'commit', date: '2015-08-02', pledge: pledgeId });
  await recordOperation(usa.page, { op: 'deposit', date: '2015-08-03', pledge: pledgeId, amount: '1000000.00', currency: 'EUR' });
  // EUR 1,000,000 at the demo's rate of 1.10 from 2015-07-01.
  assert.equal(await statusRow(usa.page, 'Deposits'), 'USD 15,920,000.00');
  assert.match(await usa.page.locator('table.transfers tbody tr').filter({ hasText: 'deposit' }).first().textContent(), /EUR 1,000,000\.00 at 1\.10/);

  // A second deposit beyond the commitment: refused, naming the rule; nothing changes.
  await recordOperation(usa.page, { op: 'deposit', date: '2015-08-04', pledge: pledgeId, amount: '1.00', currency: 'EUR' });
  assert.match(await usa.page.getByRole('alert').textContent(), /would go below zero.*nothing was written/);
  assert.equal(await statusRow(usa.page, 'Deposits'), 'USD 15,920,000.00');

  await recordOperation(usa.page, { op: 'allocate', date: '2015-08-05', window: 'W3', amount: '100000.00', currency: 'USD' });
  await recordOperation(usa.page, { op: 'approve', date: '2015-08-06', window: 'W3', project: 'FFS-RMD-002', amount: '60000.00', currency: 'USD' });
  await recordOperation(usa.page, { op: 'disburse', date: '2015-08-07', project: 'FFS-RMD-002', organisation: 'UNDP', amount: '50000.00', currency: 'USD' });
  assert.equal(await statusRow(usa.page, 'Transfers to organisations'), 'USD 2,950,000.00');
  assert.equal(await statusRow(usa.page, 'Indirect costs'), 'USD 206,500.00');
  const after = await windowChart();
  assert.notEqual(after, before, 'the per-window chart changed');
  assert.match(after, />W3</);
  await usa.page.screenshot({ path: join(shots, 'fund-usa-after.png'), fullPage: true });

  // Albania is outside the small group: the Kuwaiti pledge is not in its totals, and it is told so.
  const alb = await loginAs('alb');
  await alb.page.goto(fundUrl);
  assert.match(await alb.page.getByRole('status').textContent(), /Partial totals/);
  assert.doesNotMatch(await alb.page.locator('main').textContent(), /kwt-2015/);
  assert.equal(await alb.page.locator('form.fund-op').count(), 0, 'only fund managers get the form');
  await alb.page.screenshot({ path: join(shots, 'fund-alb.png'), fullPage: true });
  for (const s of [usa, alb]) await s.context.close();
});

// Meetings (issue 17): the secretariat's user records a meeting with a
// decision and an action item through the forms; the owning member's user
// sees the item on their digest; the board shows the demo's overdue items
// first; the Wales statement's Arabic text is shown right to left.
test('the secretariat records a meeting with a decision and an action item; the owner sees it on its digest', async () => {
  const usa = await loginAs('usa');
  await usa.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meetings' }).click();
  await usa.page.waitForURL(/\/meetings$/);
  assert.ok(await usa.page.getByRole('link', { name: 'Core coalition meeting at the NATO summit, Wales' }).count() === 1);
  const form = usa.page.locator('form.meeting-form');
  await form.getByLabel('Kind').selectOption('working_group');
  await form.getByLabel('Title').fill('Stabilisation working group, Berlin');
  await form.getByLabel('Place').fill('Auswärtiges Amt, Berlin');
  await form.getByLabel('Starts (local time)').fill('2016-12-16T10:00');
  await form.getByLabel('Ends (local time)').fill('2016-12-16T13:00');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('Host (member code)').fill('DEU');
  await form.getByLabel('Group', { exact: true }).selectOption('stabilisation');
  await form.getByLabel('Attending (member codes)').fill('DEU ARE USA GBR');
  await form.getByLabel('Agenda (one item per line)').fill('Electricity and water in retaken towns\nPolice');
  await form.getByRole('button', { name: 'Record the meeting' }).click();
  await usa.page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
  const meetingUrl = usa.page.url();
  assert.match(await usa.page.locator('main').textContent(), /2016-12-16 10:00 CET/);

  const outcome = usa.page.locator('form.outcome-form');
  await outcome.getByLabel('Agenda item').selectOption('1');
  await outcome.getByLabel('Outcome').selectOption('decision');
  await outcome.getByLabel('Text').fill('Restore the water network of Tikrit before the summer.');
  await outcome.getByLabel('Adopted by (member codes)').fill('DEU ARE');
  await outcome.getByRole('button', { name: 'Record' }).click();
  await usa.page.waitForURL(meetingUrl);
  assert.match(await usa.page.locator('ol.agenda li.decision').first().textContent(), /Restore the water network of Tikrit/);

  const action = usa.page.locator('form.commitment-form');
  await action.getByLabel('Agenda item').selectOption('1');
  await action.getByLabel('Owner (member code)').fill('GBR');
  await action.getByLabel('What').fill('Send water engineers to Tikrit');
  await action.getByLabel('Due').fill('2016-12-20');
  await action.getByLabel('Line of effort').selectOption('stabilisation');
  // Fulfilled by the strongholds retaken, toward 15 (11 by the demo's date).
  await action.getByLabel('Fulfilled by').fill('indicator strongholds-retaken 1 15');
  await action.getByRole('button', { name: 'Record the action item' }).click();
  await usa.page.waitForURL(meetingUrl);
  const item = await usa.page.locator('ol.agenda ul.actions').first().textContent();
  assert.match(item, /United Kingdom.*Send water engineers to Tikrit.*due 2016-12-20/s);
  assert.match(item, /Progress\s+73 %/);
  assert.match(item, /Former ISIL strongholds retaken: 73 %/);

  // A due date before the meeting: refused, said, nothing recorded.
  await usa.page.locator('form.commitment-form').getByLabel('Owner (member code)').fill('GBR');
  await usa.page.locator('form.commitment-form').getByLabel('What').fill('Too early');
  await usa.page.locator('form.commitment-form').getByLabel('Due').fill('2016-12-01');
  await usa.page.locator('form.commitment-form').getByRole('button', { name: 'Record the action item' }).click();
  assert.match(await usa.page.getByRole('alert').textContent(), /before the meeting/);
  await usa.page.goto(meetingUrl);
  assert.doesNotMatch(await usa.page.locator('main').textContent(), /Too early/);
  await usa.page.screenshot({ path: join(shots, 'meeting-usa.png'), fullPage: true });

  // GBR's user sees the item on its digest.
  const gbr = await loginAs('gbr');
  await gbr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Digest' }).click();
  await gbr.page.waitForURL(/\/digest$/);
  const mine = gbr.page.locator('ul.mine');
  assert.match(await mine.textContent(), /Send water engineers to Tikrit.*due 2016-12-20/s);
  await gbr.page.screenshot({ path: join(shots, 'digest-gbr.png'), fullPage: true });

  // The board: the demo's overdue items first, by member and by line.
  await gbr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commitments' }).click();
  assert.match(await gbr.page.locator('main > p').first().textContent(), /overdue as of/);
  const firstRow = gbr.page.locator('table.board tbody tr').first();
  assert.match(await firstRow.textContent(), /Overdue/);
  await gbr.page.getByRole('link', { name: 'line of effort' }).click();
  assert.match(await gbr.page.locator('main').textContent(), /stabilisation/);
  await gbr.page.screenshot({ path: join(shots, 'commitments-gbr.png'), fullPage: true });
  // Each commitment has its page: progress part by part, where it was made.
  await gbr.page.getByRole('link', { name: 'Send water engineers to Tikrit' }).click();
  await gbr.page.waitForURL(/\/commitments\/[0-9a-f-]{36}$/);
  const commitment = await gbr.page.locator('main').textContent();
  assert.match(commitment, /Progress\s*73 %/);
  assert.match(commitment, /Former ISIL strongholds retaken: 73 %/);
  assert.equal(await gbr.page.getByRole('note', { name: 'Marking' }).count(), 2, 'banner at top and bottom');

  // The Wales statement: Arabic right to left, paragraphs addressable.
  await gbr.page.goto(`${base}meetings`);
  await gbr.page.getByRole('link', { name: 'Core coalition meeting at the NATO summit, Wales' }).click();
  const ar = gbr.page.locator('article[lang="ar"]');
  assert.equal(await ar.getAttribute('dir'), 'rtl');
  assert.equal(await gbr.page.locator('#p-en-5').count(), 1);
  assert.match(await ar.textContent(), /ستُشكَّل فرقة عمل/);
  // Where the meeting comes from: the documents quoted, the demo's
  // additions labelled; the scenario's day in the header.
  const source = gbr.page.getByRole('complementary', { name: 'Source' }).first();
  assert.match(await source.textContent(), /seed document 000/);
  assert.match(await source.locator('.label-illustrative').textContent(), /Illustrative/);
  assert.match(await gbr.page.locator('.scenario').textContent(), /Demo scenario as of 16 Dec 2016/);
  assert.equal(await gbr.page.locator('.scenario time').getAttribute('datetime'), '2016-12-16');
  await gbr.page.screenshot({ path: join(shots, 'meeting-wales-gbr.png'), fullPage: true });
  for (const s of [usa, gbr]) await s.context.close();
});

// The plenary report (issue 18): the page of the user's member, its
// marking banner and sections, the PDF button; another member's differs.
test('a member reads its plenary report as a page and downloads it as PDF', async () => {
  const gbr = await loginAs('gbr');
  await gbr.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Plenary report' }).click();
  await gbr.page.waitForURL(/\/report$/);
  assert.equal(await gbr.page.getByRole('heading', { level: 1 }).textContent(), 'Progress report to the plenary');
  assert.match(await gbr.page.getByRole('note', { name: 'Marking' }).first().textContent(), /REL TO GBR/);
  assert.ok(await gbr.page.locator('section.section').count() >= 9);
  assert.match(await gbr.page.locator('#commitments').textContent(), /5 overdue/);
  assert.match(await gbr.page.locator('main, body').first().textContent(), /Carabinieri/);
  await gbr.page.screenshot({ path: join(shots, 'report-gbr.png'), fullPage: true });
  const pdfHref = await gbr.page.getByRole('link', { name: 'PDF' }).getAttribute('href');
  const resp = await gbr.page.request.get(new URL(pdfHref, base).toString());
  assert.equal(resp.status(), 200);
  assert.equal(resp.headers()['content-type'], 'application/pdf');
  assert.equal((await resp.body()).subarray(0, 5).toString(), '%PDF-');

  const alb = await loginAs('alb');
  await alb.page.goto(`${base}report`);
  assert.match(await alb.page.getByRole('note', { name: 'Marking' }).first().textContent(), /REL TO ALB/);
  assert.doesNotMatch(await alb.page.locator('body').textContent(), /Carabinieri/);
  for (const s of [gbr, alb]) await s.context.close();
});

test('the home page is an inbox: irq sees the delivery waiting for its confirmation and opens it', async () => {
  const { context, page } = await loginAs('irq');
  const inbox = page.locator('section.inbox');
  assert.match(await inbox.getByRole('heading', { level: 2 }).textContent(), /Waiting for Iraq \(\d+\)/);
  const deliveries = inbox.locator('li').filter({ hasText: /^Deliveries to confirm: \d+/ });
  assert.equal(await deliveries.count(), 1, await inbox.textContent());
  await page.screenshot({ path: join(shots, 'home-inbox-irq.png'), fullPage: true });
  await deliveries.getByRole('link').first().click();
  await page.waitForURL(/\/contributions\/[0-9a-f-]{36}$/);
  // A member with nothing to do is told so, with what to do instead.
  const dnk = await loginAs('dnk');
  assert.match(await dnk.page.locator('section.inbox').textContent(), /Nothing waits for Denmark/);
  // Its own requirements are one filter away, with their gaps.
  await page.goto(`${base}requirements?member=mine`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Requirements');
  const rows = page.locator('main table tbody tr');
  assert.ok(await rows.count() >= 3, 'Iraq asks for several things');
  assert.match(await rows.first().textContent(), /Iraq/);
  assert.doesNotMatch(await page.locator('main table').textContent(), /stabilisation ·/, 'lines of effort by name, not slug');
  // Who does what where names members and lines of effort too.
  await page.goto(`${base}who?member=DEU`);
  const who = await page.locator('main table tbody').first().textContent();
  assert.match(who, /Germany/);
  assert.match(who, /Military support to Iraqi partners/);
  assert.doesNotMatch(who, /military-support ·/);
  // An indicator with a target and no value yet says so, with no empty chart.
  await page.goto(`${base}indicators`);
  const brigades = page.locator('figure.chart').filter({ hasText: 'New Iraqi brigades raised' });
  assert.match(await brigades.textContent(), /no value reported yet; the target is 12 by 2015-12-31/);
  assert.equal(await brigades.locator('svg').count(), 0);
  await context.close();
  await dnk.context.close();
});

test('an unknown address answers a page in the site layout, or problem+json to an API client', async () => {
  const { context, page } = await loginAs('gbr');
  const res = await page.goto(`${base}no/such/page`);
  assert.equal(res.status(), 404);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Not found');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 1, 'the layout, with its navigation');
  const api = await fetch(`${base}no/such/page`, { headers: { accept: 'application/json' } });
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /application\/problem\+json/);
  assert.equal((await api.json()).code, 'not_found');
  await context.close();
});

for (const width of WIDTHS) test(`five wrong passwords lock a user out; the administrator sees it and unlocks it (${width} px)`, async () => {
  // Each width locks out and resets users of its own.
  const [lockedOut, forgetful] = width === 1280 ? ['cze', 'nld'] : ['svk', 'svn'];
  for (let i = 0; i < 7; i++) {
    await fetch(`${base}api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: lockedOut, password: `not-the-password-${i}` }),
    });
  }
  const locked = await fetch(`${base}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: lockedOut, password }),
  });
  assert.equal(locked.status, 429, 'even the right password waits');
  const { context, page } = await loginAs('admin', width);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  const row = page.locator('main table tbody tr').filter({ has: page.getByRole('rowheader', { name: lockedOut, exact: true }) });
  assert.match(await row.textContent(), /locked out/);
  await fits(page, '/admin');
  await page.screenshot({ path: join(shots, `admin-users-${width}.png`), fullPage: true });
  await row.getByRole('button', { name: `Unlock ${lockedOut}` }).click();
  await page.waitForURL(/\/admin\?done=unlock/);
  assert.match(await page.getByRole('status').textContent(), new RegExp(`${lockedOut} is unlocked`));
  assert.doesNotMatch(await page.locator('main table tbody tr').filter({ has: page.getByRole('rowheader', { name: lockedOut, exact: true }) }).textContent(), /locked out/);
  // It logs in at once; the unlock is in the audit log the console shows.
  const back = await loginAs(lockedOut, width);
  await back.context.close();
  await page.goto(`${base}admin/audit?action=user.unlock`);
  assert.match(await page.locator('main table tbody').textContent(), new RegExp(`user\\.unlock\\s*${lockedOut}`));
  // A forgotten password: the administrator resets it and reads the new one
  // once; the old one no longer opens the door, the new one does.
  await page.goto(`${base}admin`);
  await page.locator('main table tbody tr').filter({ has: page.getByRole('rowheader', { name: forgetful, exact: true }) })
    .getByRole('button', { name: `Reset password of ${forgetful}` }).click();
  assert.match(await page.getByRole('status').textContent(), new RegExp(`The new password of ${forgetful}`));
  const fresh = (await page.locator('code.secret').textContent()).trim();
  const old = await fetch(`${base}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: forgetful, password }),
  });
  assert.equal(old.status, 401, 'the old password no longer works');
  const renewed = await fetch(`${base}api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: forgetful, password: fresh }),
  });
  assert.equal(renewed.status, 200, 'the new one does');
  // An API token for a dashboard: issued once, then revoked.
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('User', { exact: true }).selectOption('irq');
  await page.getByLabel('What uses it').fill(`Baghdad dashboard ${width}`);
  await page.getByLabel('Valid for (days)').fill('30');
  await page.getByRole('button', { name: 'Issue the token' }).click();
  const token = (await page.locator('code.secret').textContent()).trim();
  const asIrq = await fetch(`${base}api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(asIrq.status, 200);
  await fits(page, '/admin/tokens');
  await page.screenshot({ path: join(shots, `admin-tokens-${width}.png`), fullPage: true });
  await page.getByRole('button', { name: new RegExp(`Revoke the token “Baghdad dashboard ${width}” of irq`) }).click();
  assert.match(await page.getByRole('status').textContent(), /is revoked/);
  const after = await fetch(`${base}api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.status, 401);
  await context.close();
});

// Every page of the main navigation, for a desk officer and the node's
// administrator, on a phone (390 px) and a desktop (1280 px): it answers
// HTML without a server error, and the page is never wider than the
// screen (wide tables scroll inside their box).
test('a governorate picked by its Arabic name shows on the 3W map as a gap to the audience only', async () => {
  const irq = await loginAs('irq');
  const { page } = irq;
  await page.goto(`${base}requirements/new`);
  await page.getByLabel('Title').fill('Water trucks for Ramadi');
  await page.getByLabel('Line of effort').selectOption('humanitarian');
  await page.getByLabel('Item category').selectOption('water');
  await page.getByLabel(/^Quantity/).fill('8');
  await page.getByLabel(/^Unit/).fill('truck');
  await page.getByLabel(/^Country/).fill('IRQ');
  // The picker offers the governorates by their names in three languages.
  const options = await page.locator('datalist#place-choices option').evaluateAll(
    (os) => os.map((o) => `${o.value} ${o.textContent}`));
  assert.ok(options.some((o) => o.startsWith('Al-Anbar (IQG01)') && o.includes('الأنبار')), options.slice(0, 3).join('; '));
  await page.getByLabel(/^Governorate/).fill('الأنبار');
  await page.getByLabel('From').fill('2016-01-01');
  await page.getByLabel('Until').fill('2016-03-31');
  await page.getByLabel('TLP level').selectOption('AMBER');
  const audience = page.getByRole('group', { name: 'Releasable to' });
  // The form starts at the whole coalition; this one is for GBR only.
  await audience.getByRole('checkbox', { name: /The whole coalition/ }).uncheck();
  await audience.getByText(/Members by name/).click();
  await audience.getByRole('checkbox', { name: /\bGBR$/ }).check();
  await page.getByRole('button', { name: 'Post the requirement' }).click();
  await page.waitForURL(/\/requirements\/[0-9a-f-]{36}$/);
  assert.match(await page.locator('main').textContent(), /Al-Anbar \(IQG01\)/);

  const gbr = await loginAs('gbr');
  await gbr.page.goto(`${base}who`);
  await gbr.page.getByRole('link', { name: 'See these on the map' }).click();
  await gbr.page.waitForURL(/\/who\/map/);
  const anbar = gbr.page.locator('svg a[data-pcode="IQG01"]');
  assert.equal(await anbar.getAttribute('data-coverage'), 'unmet');
  const fill = await anbar.locator('path').evaluate((p) => getComputedStyle(p).fill);
  assert.equal(fill, 'rgb(213, 94, 0)', 'an unmet requirement colours its governorate as a gap');
  await gbr.page.screenshot({ path: join(shots, 'map-gbr.png'), fullPage: true });
  // The shape leads to the table of that governorate.
  await anbar.click();
  await gbr.page.waitForURL(/\/who\?.*admin1=IQG01/);

  const fra = await loginAs('fra');
  await fra.page.goto(`${base}who/map`);
  const theirs = fra.page.locator('svg a[data-pcode="IQG01"]');
  if (await theirs.count()) assert.equal(await theirs.getAttribute('data-coverage'), 'none');
  assert.doesNotMatch(await fra.page.locator('main').textContent(), /Al-Anbar IQG01/);
  for (const s of [irq, gbr, fra]) await s.context.close();
});

// On a phone: the coordinator runs the allocation engine and accepts a
// proposal; the offering member sees it accepted and commits it. No page
// of the journey is wider than the screen.
test('on a phone, the coordinator accepts an allocation proposal and the offering member commits it', async () => {
  const phone = async (user) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(base);
    return { context, page };
  };
  const fits = async (page, what) => {
    const { scroll, inner } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    assert.ok(scroll <= inner, `${what} is ${scroll} px wide on a ${inner} px phone`);
  };
  const usa = await phone('usa');
  await usa.page.goto(`${base}allocation`);
  await usa.page.getByRole('button', { name: 'Run the allocation now' }).click();
  // The run is a job: the page says so and shows the result when done.
  for (let i = 0; i < 120 && !(await usa.page.getByRole('heading', { name: 'Latest run' }).count()); i++) {
    await usa.page.waitForTimeout(500);
    await usa.page.goto(`${base}allocation`);
  }
  await fits(usa.page, '/allocation');
  const proposal = usa.page.locator('table.proposals tbody tr').filter({ has: usa.page.getByRole('button', { name: 'Accept' }) }).first();
  assert.equal(await proposal.count(), 1, 'a proposal to decide');
  const offer = (await proposal.locator('td').first().locator('a').textContent()).trim();
  const member = (await proposal.locator('td').first().textContent()).match(/\(([^)]+)\)\s*$/)[1];
  await proposal.getByLabel('Reason').fill('Matches the Tikrit need');
  await proposal.getByRole('button', { name: 'Accept' }).click();
  await usa.page.waitForURL(/\/allocation/);
  const decided = usa.page.locator('table.proposals tbody tr').filter({ hasText: offer }).first();
  assert.match(await decided.textContent(), /accepted/);
  await usa.page.screenshot({ path: join(shots, 'allocation-phone-usa.png'), fullPage: true });
  await fits(usa.page, '/allocation after the decision');

  // The offering member's user finds it under its proposals and commits.
  const codes = { 'United Kingdom': 'gbr', 'Denmark': 'dnk', 'Norway': 'nor', 'Italy': 'ita', 'Germany': 'deu', 'United States': 'usa', 'France': 'fra', 'Netherlands': 'nld', 'Canada': 'can', 'Australia': 'aus' };
  const code = codes[member];
  assert.ok(code, `a demo login for ${member}`);
  const them = code === 'usa' ? usa : await phone(code);
  await them.page.goto(`${base}allocation`);
  const mine = them.page.locator('main table').last().locator('tbody tr').filter({ hasText: offer }).first();
  assert.match(await mine.textContent(), /accepted/);
  await mine.getByRole('button', { name: 'Commit' }).click();
  await them.page.goto(`${base}allocation`);
  const after = them.page.locator('main table').last().locator('tbody tr').filter({ hasText: offer }).first();
  assert.match(await after.textContent(), /committed/);
  await fits(them.page, `/allocation as ${code}`);
  await them.page.screenshot({ path: join(shots, `allocation-phone-${code}.png`), fullPage: true });
  for (const s of new Set([usa, them])) await s.context.close();
});

test('no page is wider than a phone screen or a desktop one', async () => {
  for (const user of ['usa', 'admin']) {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 844 } });
      const page = await context.newPage();
      await page.goto(base);
      await page.getByLabel('Username').fill(user);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(base);
      const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll(
        (as) => as.map((a) => a.getAttribute('href')));
      // The forms, and a record of each main kind, reached from its list.
      links.push('/requirements/new', '/contributions/new', '/notes/new', '/reports/new', '/reports/new?kind=financing', '/lines-of-effort/humanitarian', '/members/IRQ', '/who/map');
      for (const [list, pattern] of [['requirements', /^\/requirements\/[0-9a-f-]{36}$/], ['who', /^\/contributions\/[0-9a-f-]{36}$/],
        ['funds', /^\/funds\/[0-9a-f-]{36}$/], ['meetings', /^\/meetings\/[0-9a-f-]{36}$/], ['reports', /^\/reports\/[0-9a-f-]{36}$/]]) {
        await page.goto(`${base}${list}`);
        const hrefs = await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        const first = hrefs.find((h) => h && pattern.test(h));
        assert.ok(first, `a record linked from /${list}`);
        links.push(first);
      }
      for (const href of links) {
        const res = await page.goto(new URL(href, base).href);
        assert.ok(res.status() < 500, `${user} ${href}: ${res.status()}`);
        assert.match(res.headers()['content-type'], /text\/html/, `${user} ${href}`);
        const { scroll, inner } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) {
          await page.screenshot({ path: join(shots, `too-wide-${user}-${width}-${href.replace(/\W+/g, '_')}.png`), fullPage: true });
        }
        assert.ok(scroll <= inner, `${user} at ${width} px: ${href} is ${scroll} px wide`);
      }
      if (width === 390) await page.screenshot({ path: join(shots, `phone-${user}-last.png`), fullPage: true });
      await context.close();
    }
  }
});

test('a liaison officer reads the interface in Arabic, right to left, on a phone', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Username').fill('jor');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(base);
  await page.getByLabel('Language').selectOption('ar');
  await page.getByRole('button', { name: 'Change' }).click();
  await page.waitForURL(base);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'التحالف في لمحة');
  // Counts in Arabic-Indic digits.
  assert.match(await page.locator('.card .n').first().textContent(), /^[٠-٩٬]+$/);
  await page.screenshot({ path: join(shots, 'home-ar-390.png'), fullPage: true });
  const links = await page.getByRole('navigation', { name: 'الرئيسية' }).getByRole('link').evaluateAll(
    (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length > 10, `${links.length} links in the Arabic navigation`);
  const violations = [];
  for (const href of [...links, '/search?q=oil', '/login-not-a-page']) {
    const res = await page.goto(new URL(href, base).href);
    assert.ok(res.status() < 500, `${href}: ${res.status()}`);
    // The plenary report is a document of its own, written in English.
    if (href !== '/report') assert.equal(await page.locator('html').getAttribute('dir'), 'rtl', href);
    const { scroll, inner } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    if (scroll > inner) await page.screenshot({ path: join(shots, `too-wide-ar-${href.replace(/\W+/g, '_')}.png`), fullPage: true });
    assert.ok(scroll <= inner, `in Arabic at 390 px: ${href} is ${scroll} px wide`);
    await page.addScriptTag({ content: axe });
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes[0].target.join(' ')}`);
    });
    for (const v of found) violations.push(`${href}: ${v}`);
  }
  assert.deepEqual(violations, []);
  await page.goto(`${base}search?q=oil`);
  await page.screenshot({ path: join(shots, 'search-ar-390.png'), fullPage: true });
  // Back to English with the chooser, in Arabic.
  await page.getByLabel('اللغة').selectOption('en');
  await page.getByRole('button', { name: 'تغيير' }).click();
  await page.waitForURL(/\/search\?q=oil$/);
  assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Search');
  await context.close();
});
