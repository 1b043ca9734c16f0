// What the browser tests share: a `coalesce demo` started on a free port
// with a fresh SQLite database and the small sanctions fixtures, and
// Debian's Chromium launched the way this machine lets it run.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// Small hand-written lists in the real UN and OFAC formats.
export const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'screen', 'tests', 'fixtures');

/** Starts the demo; resolves to { demo, base, password } once it serves. */
export function startDemo(bin, name) {
  return new Promise((resolve, reject) => {
    const db = `sqlite://${join(tmpdir(), `coalesce-${name}-${process.pid}.db`)}`;
    const demo = spawn(bin, ['demo', '--listen', '127.0.0.1:0', '--database', db,
      '--sanctions', join(fixtures, 'un-sample.xml'), '--sanctions', join(fixtures, 'ofac')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 60000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const pw = out.match(/^demo password: (\S+)$/m);
      const url = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (pw && url) { clearTimeout(timer); resolve({ demo, password: pw[1], base: url[1] }); }
    });
    demo.on('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)));
  });
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
