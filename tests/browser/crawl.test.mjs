// The whole demo, page by page (issue 21): every link reachable from the
// home page, followed as every demo user (one per member, and the
// administrator), answers without a server error, never an empty 404, HTML
// where HTML was asked for, and names where names exist; and axe-core, run
// in Chromium, finds no serious or critical accessibility violation on any
// kind of page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startDemo, launchChromium } from './demo.mjs';

const bin = process.env.COALESCE_BIN;
let demo, base, password;

before(async () => {
  assert.ok(bin, 'set COALESCE_BIN to the coalesce binary');
  ({ demo, password, base } = await startDemo(bin, 'crawl'));
});

after(() => demo?.kill('SIGTERM'));

/** A logged-in user reading pages as a browser asks for them. */
class Reader {
  constructor(user) { this.user = user; this.jar = new Map(); }

  absorb(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }

  cookies() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  async get(path) {
    const res = await fetch(new URL(path, base), {
      headers: { cookie: this.cookies(), accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    this.absorb(res);
    return { status: res.status, type: res.headers.get('content-type') || '', location: res.headers.get('location'), body: await res.text() };
  }

  async login() {
    const form = await this.get('/login');
    const csrf = form.body.match(/name="csrf" value="([^"]+)"/)[1];
    const res = await fetch(new URL('/login', base), {
      method: 'POST', redirect: 'manual',
      headers: { cookie: this.cookies(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, username: this.user, password }) });
    this.absorb(res);
    assert.equal(res.status, 303, `${this.user} logs in`);
    return this;
  }
}

const unescape = (s) => s
  .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
  .replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The site's own addresses a page links to (path and query). */
function linksOf(html, from) {
  const out = [];
  for (const [, raw] of html.matchAll(/href="([^"]+)"/g)) {
    const href = unescape(raw);
    if (href.startsWith('#')) continue;
    let u;
    try { u = new URL(href, new URL(from, base)); } catch { continue; }
    if (u.origin !== new URL(base).origin || u.pathname.startsWith('/static/')) continue;
    out.push(u);
  }
  return out;
}

/** The text a reader sees, as separate pieces: text nodes outside the
 * head, scripts, styles and code, split where pages join values with a
 * middle dot. (A slug that is a whole piece stands where a name should;
 * one inside a sentence is prose.) */
function pieces(html) {
  const body = html.replace(/<head[\s\S]*?<\/head>/, '')
    .replace(/<(script|style|code)\b[\s\S]*?<\/\1>/g, ' ');
  return body.split(/<[^>]*>/).flatMap((t) => unescape(t).split('·')).map((t) => t.trim()).filter(Boolean);
}

/** Addresses that are files or the API, where HTML is not the answer. */
const notAPage = (path) => path.startsWith('/api/') || path.startsWith('/taxii') || /\.(csv|xml|json|pdf|ics|typ)(\?|$)/.test(path.split('?')[0]);

/** Follows every link reachable from the home page, once per address (and
 * at most three query strings with the same parameters per path), and
 * returns what is wrong and the pages seen. */
async function crawl(reader, slugs) {
  const problems = [];
  const pages = [];
  const seen = new Set(['/']);
  const variants = new Map();
  const queue = ['/'];
  while (queue.length) {
    const path = queue.shift();
    const res = await reader.get(path);
    const who = `${reader.user} ${path}`;
    if (res.status >= 500) problems.push(`${who}: ${res.status}`);
    if (res.status >= 300 && res.status < 400) {
      const u = new URL(res.location, new URL(path, base));
      if (u.pathname === '/login') problems.push(`${who}: sent to log in again`);
      else queue.push(...[u].map((x) => x.pathname + x.search).filter((k) => !seen.has(k) && seen.add(k)));
      continue;
    }
    if (res.status === 404 && !res.body.trim()) problems.push(`${who}: an empty 404`);
    if (!res.type.includes('text/html')) {
      if (!notAPage(path)) problems.push(`${who}: ${res.type || 'nothing'} where HTML was asked for`);
      continue;
    }
    if (res.status === 200) pages.push(path);
    const text = pieces(res.body);
    for (const [slug, name] of slugs) {
      if (text.includes(slug)) problems.push(`${who}: the slug ${slug} where its name "${name}" belongs`);
    }
    for (const u of linksOf(res.body, path)) {
      const key = u.pathname + u.search;
      if (seen.has(key)) continue;
      const shape = `${u.pathname}?${[...u.searchParams.keys()].sort().join('&')}`;
      const n = variants.get(shape) || 0;
      if (u.search && n >= 3) continue;
      variants.set(shape, n + 1);
      seen.add(key);
      queue.push(key);
    }
  }
  return { problems, pages };
}

/** Lines of effort and item categories whose slug differs from how its
 * name reads, from the who-does-what-where filters. */
function namedSlugs(whoPage) {
  const slugs = [];
  for (const field of ['line_of_effort', 'category']) {
    const select = whoPage.match(new RegExp(`<select name="${field}">([\\s\\S]*?)</select>`));
    assert.ok(select, `the ${field} filter`);
    for (const [, slug, name] of select[1].matchAll(/<option value="([^"]+)"[^>]*>([^<]+)</g)) {
      if (slug.toLowerCase() !== unescape(name).toLowerCase()) slugs.push([slug, unescape(name)]);
    }
  }
  return slugs;
}

/** Runs `work` over `items`, `width` at a time. */
async function inBatches(items, width, work) {
  const out = [];
  for (let i = 0; i < items.length; i += width) out.push(...await Promise.all(items.slice(i, i + width).map(work)));
  return out;
}

let pagesOf = {};

test('every link of the demo, as every demo user: no 5xx, no empty 404, no raw JSON for a page, no slug for a name', async () => {
  const admin = await new Reader('admin').login();
  const members = await admin.get('/members');
  const users = [...new Set([...members.body.matchAll(/href="\/members\/([A-Z][A-Z0-9-]*)"/g)].map((m) => m[1].toLowerCase()))];
  assert.ok(users.length >= 60, `the demo's members: ${users.length}`);
  users.push('admin');
  // COALESCE_CRAWL_USERS=usa,irq narrows the crawl while mending a page.
  const only = process.env.COALESCE_CRAWL_USERS?.split(',');
  if (only) users.splice(0, users.length, ...users.filter((u) => only.includes(u)));
  const slugs = namedSlugs((await admin.get('/who')).body);
  assert.ok(slugs.some(([s]) => s === 'military-support'), 'the lines of effort have slugs');
  const results = await inBatches(users, 3, async (user) => [user, await crawl(await new Reader(user).login(), slugs)]);
  const problems = results.flatMap(([, r]) => r.problems);
  for (const [user, r] of results) pagesOf[user] = r.pages;
  const total = results.reduce((n, [, r]) => n + r.pages.length, 0);
  assert.ok(!pagesOf.usa || pagesOf.usa.length > 150, `usa reads ${pagesOf.usa?.length} pages`);
  console.log(`crawled ${total} pages as ${users.length} users`);
  // One line per kind of page and problem; the addresses say where.
  const kinds = [...new Set(problems.map((p) => p.replace(/^\S+ /, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\/members\/[A-Z-]+/, '/members/:code')))];
  assert.deepEqual(kinds.slice(0, 80), [], `${problems.length} problems, of ${kinds.length} kinds`);
});

test('axe-core finds no serious or critical violation on any kind of page', async () => {
  const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await launchChromium();
  const violations = [];
  let checked = 0;
  try {
    for (const user of ['usa', 'irq', 'admin']) {
      // One page of each kind: records of one kind share their template.
      const kinds = new Map();
      const pages = pagesOf[user] || ['/'];
      for (const path of pages) {
        const u = new URL(path, base);
        const segments = u.pathname.split('/').filter(Boolean);
        const kind = `${segments.slice(0, 1).join('/')}/${segments.length}/${[...u.searchParams.keys()].sort().join('&')}${segments[2] || ''}`;
        if (!kinds.has(kind)) kinds.set(kind, path);
      }
      // Pages reached by a GET form, not a link: the report form's second step.
      kinds.set('reports/new?kind', '/reports/new?kind=financing');
      // The site's Content-Security-Policy forbids inline scripts, axe's too.
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(new URL('/login', base).href);
      await page.getByLabel('Username').fill(user);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(base);
      for (const path of kinds.values()) {
        await page.goto(new URL(path, base).href);
        await page.addScriptTag({ content: axe });
        const found = await page.evaluate(async () => {
          const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
          });
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help} — ${v.nodes[0].target.join(' ')}`);
        });
        checked += 1;
        for (const v of found) violations.push(`${user} ${path}: ${v}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`axe-core checked ${checked} pages`);
  assert.ok(checked > 40, `${checked} pages checked`);
  assert.deepEqual(violations.slice(0, 40), [], `${violations.length} violations`);
});
