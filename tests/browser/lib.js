/*
 * tests/browser/lib.js -- what the browser tests share (test.js, open.js):
 * the TAP-ish ok(), bounded waits, launching Debian's chromium.
 */
'use strict';

const { chromium } = require('playwright-core');

const CHROMIUM = process.env.SWARM_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
              '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let failed = 0;

function ok(cond, what, detail) {
    if (cond) console.log('ok - browser: ' + what);
    else {
        failed++;
        console.log('not ok - browser: ' + what + (detail !== undefined ? ' (' + detail + ')' : ''));
    }
    return !!cond;
}

/* Wait for fn (run in the page) to return a truthy value; the value, or null
 * after timeout ms. */
async function waitFor(page, fn, arg, timeout) {
    try {
        const h = await page.waitForFunction(fn, arg, { timeout: timeout || 15000, polling: 200 });
        return await h.jsonValue();
    } catch (e) {
        return null;
    }
}

function toNum(text) { return Number(String(text).replace(/,/g, '')); }
async function launch() {
    return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30000 });
}

function failures() { return failed; }

module.exports = { ok, waitFor, toNum, launch, failures };
