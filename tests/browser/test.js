#!/usr/bin/env node
/*
 * tests/browser/test.js -- Swarm's web UI and HTML report in a real headless
 * Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser
 * is ever downloaded). Run by tests/e2e/browser.sh:
 *
 *   node tests/browser/test.js ui URL TARGET_URL OUT_DIR
 *       URL: a load binary serving its UI, ready (no --users); TARGET_URL:
 *       the host to start it against; OUT_DIR: screenshots and downloads.
 *   node tests/browser/test.js report FILE OUT_DIR [JSON_FILE]
 *       FILE: an --html report; JSON_FILE: the --json of the same run.
 *   node tests/browser/test.js open URL TARGET_URL OUT_DIR
 *       issue 10 (tests/e2e/browser_open.sh): URL serves open.swarm, ready,
 *       with --threshold 'all rps > 0.5'; the form starts the open model at
 *       10/s, Edit re-scales it to 5/s, the thresholds table and the
 *       "cancelled at stop" note are checked against /stats/requests and the
 *       demo target's own counts (TARGET_URL/__stats).
 *   node tests/browser/test.js numbers FILE JSON_FILE OUT_DIR
 *       FILE: the --html report of an open-model run of open.swarm stopped
 *       with held requests in flight; JSON_FILE: its --json. The report's
 *       thresholds, notes, arrival rate and self-check figures are the
 *       document's.
 *   node tests/browser/test.js slaves URL TARGET_URL OUT_DIR
 *       URL: a master of 2 slaves (--processes 2) serving open.swarm,
 *       ready: the form starts the open model at 10/s; the Slaves tab shows
 *       each slave's share of the rate, users, loop lag and mark as the
 *       master's /stats/requests workers[] has them.
 *   node tests/browser/test.js busy URL TARGET_URL OUT_DIR
 *       URL serves burn.swarm (the self-check's fixture), ready: started
 *       from the form, the page must say "results include up to N ms of
 *       Swarm's own delay" with the N of /stats/requests.
 *
 * Prints one "ok - ..." / "not ok - ..." line per check (tests/run.sh counts
 * them) and exits 1 when any failed. Every wait is bounded.
 */
'use strict';

const fs = require('fs');
const path = require('path');
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

/* Response times as every view but the console and CSV shows them (docs/
 * measurement.md, "Rounding"), written apart from app.js: a JSON time under
 * 10 ms with two decimals, from 10 ms a whole number with thousands commas.
 * A JSON time of 10 ms or more that is not whole breaks the rule. */
const TWO = /^\d\.\d\d$/, WHOLE = /^\d{1,3}(,\d{3})*$/;
function expectTime(v) {
    if (typeof v !== 'number') return '?';
    if (v < 10) return v.toFixed(2);
    return Number.isInteger(v) ? v.toLocaleString('en-US') : 'not whole: ' + v;
}
/* A shown time obeys the rule: "d.dd" under 10, whole ms from 10. */
function timeShape(t) { return TWO.test(t) || (WHOLE.test(t) && toNum(t) >= 10); }
/* Cells of the statistics table holding times: median, 95%, 99%, average,
 * min, max (after Type, Name, # requests, # fails). */
const TIME_CELLS = [[4, 'median_response_time'], [5, 'response_time_percentile_0.95'],
                    [6, 'response_time_percentile_0.99'], [7, 'avg_response_time'],
                    [8, 'min_response_time'], [9, 'max_response_time']];

/* The statistics table as the user sees it: names and the Aggregated row. */
function readTable() {
    const rows = Array.from(document.querySelectorAll('#stats-body tr:not(.empty)')).map(
        (tr) => Array.from(tr.cells).map((c) => c.textContent));
    const f = document.querySelector('#stats-foot tr');
    return { rows, agg: f ? Array.from(f.cells).map((c) => c.textContent) : null };
}

/* Points drawn by each chart: [rps points, max rps, rt points, user points, max users]. */
function chartPoints() {
    const C = window.Chart;
    const get = (id) => C && C.getChart(document.getElementById(id));
    const pts = (ch, i) => (ch ? ch.data.datasets[i].data.filter((v) => typeof v === 'number') : []);
    const rps = get('chart-rps'), rt = get('chart-rt'), users = get('chart-users');
    const r = pts(rps, 0), u = pts(users, 0), m = pts(rt, 0);
    return { rps: r.length, maxRps: Math.max(0, ...r), rt: m.length, users: u.length,
             maxUsers: Math.max(0, ...u), lastUsers: u.length ? u[u.length - 1] : null };
}

/* How many pixels of a canvas are drawn (not transparent). */
function canvasInk(id) {
    const c = document.getElementById(id);
    if (!c || !c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
}

async function launch() {
    return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30000 });
}

/* ---------------------------------------------------------------- live UI */

async function testUI(url, target, out) {
    const origin = new URL(url).origin;
    const browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = [], foreign = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        /* The refused start below logs its 400 on purpose. */
        if (m.type() === 'error' && !/status of 400/.test(m.text())) errors.push('console: ' + m.text());
    });
    page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
    });
    page.setDefaultTimeout(15000);

    try {
        const resp = await page.goto(url, { waitUntil: 'load' });
        ok(resp && resp.status() === 200, 'GET / serves the page', resp && resp.status());
        ok(await page.title() === 'Swarm', 'the page is titled Swarm');
        ok(await page.evaluate(() => typeof window.Chart === 'function' && window.Chart.version),
           'the embedded Chart.js loads');
        ok(await waitFor(page, () => document.getElementById('swarm-dialog').open, null, 5000),
           'a ready runner opens the start form');
        ok(await page.evaluate(() => document.getElementById('state').textContent) === 'ready',
           'the header shows the ready state');

        /* A refused start shows the server's own message and changes nothing. */
        await page.fill('#user_count', '3');
        await page.fill('#spawn_rate', '3');
        await page.fill('#host_input', target);
        await page.fill('#run_time', 'banana');
        const [bad] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/swarm') && r.request().method() === 'POST'),
            page.click('#btn-submit')]);
        const badMsg = await waitFor(page, () => {
            const e = document.getElementById('form-error');
            return !e.hidden && e.textContent;
        }, null, 5000);
        ok(bad.status() === 400 && badMsg && badMsg.length > 5,
           'a bad run time is refused with the server\'s message in the form', bad.status() + ' ' + badMsg);
        ok(await page.evaluate(() => document.getElementById('swarm-dialog').open),
           'the form stays open after a refusal');

        /* Start: 4 users at 4/s against the demo target. */
        await page.fill('#user_count', '4');
        await page.fill('#spawn_rate', '4');
        await page.fill('#run_time', '');
        const [start] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/swarm') && r.request().method() === 'POST'),
            page.click('#btn-submit')]);
        const startBody = await start.json().catch(() => ({}));
        ok(start.status() === 200 && startBody.success === true, 'POST /swarm from the form starts the run',
           start.status() + ' ' + JSON.stringify(startBody));
        const postData = start.request().postData() || '';
        ok(/user_count=4/.test(postData) && /spawn_rate=4/.test(postData) &&
           postData.includes('host=' + encodeURIComponent(target)),
           'the form posts user_count, spawn_rate and host form-encoded', postData);
        ok(await waitFor(page, () => !document.getElementById('swarm-dialog').open, null, 5000),
           'the form closes once the run starts');
        const st = await waitFor(page, () => {
            const s = document.getElementById('state').textContent;
            return (s === 'running' || s === 'hatching') && s;
        }, null, 10000);
        ok(st, 'the header shows the run hatching or running', st);
        ok(await waitFor(page, () => document.getElementById('m-users').textContent === '4', null, 10000),
           'the header reaches 4 users');

        /* The table fills: ui.swarm's six entries and the Aggregated row. */
        const filled = await waitFor(page, () => {
            const rows = document.querySelectorAll('#stats-body tr:not(.empty)');
            const f = document.querySelector('#stats-foot tr');
            return rows.length >= 6 && f && Number(f.cells[2].textContent.replace(/,/g, '')) > 0 && rows.length;
        }, null, 20000);
        ok(filled >= 6, 'the statistics table fills with rows', filled);
        const tab = await page.evaluate(readTable);
        const names = tab.rows.map((r) => r[1]);
        const want = ['/delay/{ms}', '/echo', '/garbage', '/status/500', '/things', '/things/{created.json.id}'];
        ok(want.every((n) => names.includes(n)), 'the rows carry the script\'s request names', names.join(' '));
        const fails = tab.rows.filter((r) => toNum(r[3]) > 0).map((r) => r[1]);
        ok(fails.length === 1 && fails[0] === '/status/500', 'only /status/500 counts failures', fails.join(' '));
        ok(tab.agg && tab.agg[1] === 'Aggregated' && tab.agg.length === 13,
           'the Aggregated row comes last with all 13 columns', tab.agg && tab.agg.join('|'));
        const sum = tab.rows.reduce((s, r) => s + toNum(r[2]), 0);
        ok(tab.agg && Math.abs(sum - toNum(tab.agg[2])) <= 0, 'the rows\' request counts add up to the Aggregated row',
           sum + ' vs ' + (tab.agg && tab.agg[2]));
        const api = await page.evaluate(() => fetch('stats/requests').then((r) => r.json()));
        const apiAgg = (api.stats || []).find((e) => e.name === 'Aggregated');
        ok(apiAgg && toNum(tab.agg[2]) <= apiAgg.num_requests && toNum(tab.agg[2]) > 0,
           'the table shows the API\'s numbers (shown ' + (tab.agg && tab.agg[2]) + ' <= now ' +
           (apiAgg && apiAgg.num_requests) + ')');
        /* Times: two decimals under 10 ms, whole ms from 10. */
        const shapeBad = [];
        for (const r of tab.rows.concat(tab.agg ? [tab.agg] : []))
            for (const [i] of TIME_CELLS) if (!timeShape(r[i])) shapeBad.push(r[1] + ':' + r[i]);
        ok(shapeBad.length === 0, 'every time cell shows two decimals under 10 ms, whole ms from 10',
           shapeBad.join(' '));
        const echo = tab.rows.find((r) => r[1] === '/echo');
        ok(echo && TWO.test(echo[4]) && TWO.test(echo[8]) && toNum(echo[8]) <= toNum(echo[4]),
           'the fast /echo row shows its sub-10 ms min and median with two decimals',
           echo && echo[8] + ' ' + echo[4]);
        const slow = tab.rows.find((r) => r[1] === '/delay/{ms}');
        ok(slow && WHOLE.test(slow[9]) && toNum(slow[9]) >= 10 && toNum(slow[9]) <= 1000,
           'the /delay/{ms} row (2..40 ms) shows its max in whole ms', slow && slow[9]);
        const align = await page.evaluate(() => {
            const td = document.querySelector('#stats-body tr td.num');
            const cs = td && getComputedStyle(td);
            return cs ? cs.textAlign + ' ' + cs.fontVariantNumeric : '';
        });
        ok(/right/.test(align) && /tabular-nums/.test(align), 'numbers are right-aligned in tabular figures', align);

        /* The charts draw the run's history. */
        const pts = await waitFor(page, () => {
            const C = window.Chart;
            const u = C && C.getChart(document.getElementById('chart-users'));
            const r = C && C.getChart(document.getElementById('chart-rps'));
            const nu = u ? u.data.datasets[0].data.filter((v) => v > 0).length : 0;
            const nr = r ? r.data.datasets[0].data.filter((v) => v > 0).length : 0;
            return nu >= 2 && nr >= 2 && nr;
        }, null, 15000);
        ok(pts >= 2, 'the RPS and user charts have data points', pts);
        const cp = await page.evaluate(chartPoints);
        ok(cp.maxUsers === 4 && cp.rt >= 2, 'the user chart reaches 4 users and the response-time chart has points',
           JSON.stringify(cp));
        const p95 = await page.evaluate(() => {
            const ch = window.Chart.getChart(document.getElementById('chart-rt'));
            return Math.max(0, ...ch.data.datasets[1].data.filter((v) => typeof v === 'number'));
        });
        ok(p95 >= 2 && p95 <= 1000, 'the 95th-percentile line shows the /delay latencies (2..40 ms)', p95);
        for (const id of ['chart-rps', 'chart-rt', 'chart-users'])
            ok(await page.evaluate(canvasInk, id) > 2000, 'the ' + id + ' canvas is drawn');

        /* A refresh moves nothing. */
        const box = () => page.evaluate(() => {
            const r = (s) => document.querySelector(s).getBoundingClientRect();
            return [r('#stats thead').top, r('#stats-foot').top, r('.charts').top, r('#stats th:nth-child(3)').left,
                    r('#controls').left].map(Math.round).join(',');
        });
        const b1 = await box();
        await page.waitForTimeout(4500);
        const b2 = await box();
        ok(b1 === b2, 'two refreshes later nothing on the page has moved', b1 + ' -> ' + b2);

        /* Sorting by a column header: descending, ascending, the server's order. */
        const col = (i) => page.evaluate((i) => Array.from(document.querySelectorAll('#stats-body tr'))
            .map((tr) => Number(tr.cells[i].textContent.replace(/,/g, ''))), i);
        const sorted = (a, dir) => a.every((v, i) => i === 0 || dir * (v - a[i - 1]) >= 0);
        await page.click('#stats th[data-key="num_requests"]');
        const desc = await col(2);
        await page.click('#stats th[data-key="num_requests"]');
        const asc = await col(2);
        await page.click('#stats th[data-key="num_requests"]');
        const back = await page.evaluate(() => Array.from(document.querySelectorAll('#stats-body tr'))
            .map((tr) => tr.cells[1].textContent));
        ok(sorted(desc, -1) && sorted(asc, 1) && desc.length === 6 &&
           back.join() === back.slice().sort().join() && !(await page.$('#stats th.sorted-asc, #stats th.sorted-desc')),
           'clicking # Requests sorts the rows down, up, then back to the server\'s order by name',
           desc.join() + ' / ' + asc.join() + ' / ' + back.join());

        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'running.png') });
        ok(fs.existsSync(path.join(out, 'running.png')), 'screenshot saved to ' + path.join(out, 'running.png'));

        /* The live report route. */
        const rep = await page.evaluate(() => fetch('stats/report').then(async (r) =>
            [r.status, r.headers.get('content-type') || '', (await r.text()).includes('window.SWARM_REPORT = {')]));
        ok(rep[0] === 200 && /text\/html/.test(rep[1]) && rep[2], 'GET /stats/report serves the HTML report so far',
           JSON.stringify(rep));

        /* Re-scale from the form in edit mode. */
        ok(await page.isVisible('#btn-edit') && !(await page.isVisible('#btn-new')),
           'while running the start button becomes Edit');
        await page.click('#btn-edit');
        ok(await waitFor(page, () => document.getElementById('swarm-dialog').open &&
                         document.getElementById('swarm-dialog').classList.contains('editing'), null, 3000),
           'Edit opens the form in edit mode');
        ok(!(await page.isVisible('#host_input')), 'the edit form hides host and run time');
        ok(await page.inputValue('#user_count') === '4', 'the edit form starts from the current user count');
        await page.fill('#user_count', '2');
        const [rescale] = await Promise.all([
            page.waitForResponse((r) => r.url().endsWith('/swarm') && r.request().method() === 'POST'),
            page.click('#btn-submit')]);
        ok(rescale.status() === 200, 'the re-scale is accepted', rescale.status());
        ok(await waitFor(page, () => document.getElementById('m-users').textContent === '2', null, 10000),
           'the header follows the re-scale down to 2 users');
        const apiUsers = await page.evaluate(() => fetch('stats/requests').then((r) => r.json()).then((d) => d.user_count));
        ok(apiUsers === 2, 'the runner runs 2 users after the re-scale', apiUsers);

        /* Tabs. */
        ok(toNum(await page.textContent('#n-failures')) === 1 && toNum(await page.textContent('#n-exceptions')) === 1,
           'the tab badges count one failure and one exception');
        await page.click('.tab[data-tab="failures"]');
        ok(await page.isVisible('#failures') && !(await page.isVisible('#stats')), 'the failures tab shows its table');
        const frow = await page.evaluate(() => Array.from(document.querySelectorAll('#failures tbody tr'))
            .map((tr) => Array.from(tr.cells).map((c) => c.textContent).join('|')));
        ok(frow.length === 1 && /^\d+\|GET\|\/status\/500\|.*500/.test(frow[0]),
           'the failures tab lists GET /status/500 with its HTTP 500', frow.join(' / '));
        await page.click('.tab[data-tab="exceptions"]');
        const xrow = await page.evaluate(() => Array.from(document.querySelectorAll('#exceptions tbody tr'))
            .map((tr) => Array.from(tr.cells).map((c) => c.textContent).join('|')));
        ok(await page.isVisible('#exceptions') && xrow.length === 1 && /ui\.swarm:26/.test(xrow[0]),
           'the exceptions tab lists the script error at ui.swarm:26', xrow.join(' / '));

        /* Downloads. */
        await page.click('.tab[data-tab="downloads"]');
        const checks = [['Request statistics (CSV)', /^Type,Name,Request Count,Failure Count,Median Response Time/],
                        ['Failures (CSV)', /^Method,Name,Error,Occurrences/],
                        ['Exceptions (CSV)', /^Count,Message,Traceback,Nodes/]];
        for (const [label, header] of checks) {
            try {
                const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }),
                                                page.click('text=' + label)]);
                const file = path.join(out, dl.suggestedFilename());
                await dl.saveAs(file);
                const text = fs.readFileSync(file, 'utf8');
                ok(header.test(text), 'downloading "' + label + '" gives a CSV with its header',
                   text.split('\n')[0]);
                if (label.startsWith('Request')) {
                    const lines = text.trim().split(/\r?\n/);
                    ok(lines.length >= 5 && /^,"?Aggregated"?,/.test(lines[lines.length - 1]),
                       'the statistics CSV ends with the Aggregated row', lines[lines.length - 1]);
                }
            } catch (e) {
                ok(false, 'downloading "' + label + '"', e.message.split('\n')[0]);
            }
        }
        await page.click('.tab[data-tab="stats"]');

        /* Stop. */
        await page.click('#btn-stop');
        ok(await waitFor(page, () => document.getElementById('state').textContent === 'stopped', null, 10000),
           'Stop stops the run (the header shows stopped)');
        ok(await page.isDisabled('#btn-stop') && await page.isVisible('#btn-new'),
           'after stopping, Stop is disabled and New test is offered');

        /* Reset. */
        await page.click('#btn-reset');
        ok(await waitFor(page, () => {
            const f = document.querySelector('#stats-foot tr');
            return document.querySelectorAll('#stats-body tr:not(.empty)').length === 0 &&
                   (!f || f.cells[2].textContent === '0');
        }, null, 8000), 'Reset stats empties the table');

        ok(foreign.length === 0, 'the page makes no request outside its own server', foreign.slice(0, 3).join(' '));
        ok(errors.length === 0, 'no script error in the page', errors.slice(0, 3).join(' | '));
    } catch (e) {
        ok(false, 'the UI test ran to its end', e.message.split('\n')[0]);
        try {
            fs.mkdirSync(out, { recursive: true });
            await page.screenshot({ path: path.join(out, 'failure.png') });
        } catch (e2) { /* best effort */ }
    } finally {
        await browser.close();
    }
}

/* ------------------------------------------------------------- HTML report */

async function testReport(file, out, jsonFile) {
    const fileUrl = 'file://' + path.resolve(file);
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const requests = [], errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    try {
        await page.goto(fileUrl, { waitUntil: 'load' });
        await page.waitForTimeout(1000);
        const rep = await page.evaluate(() => window.SWARM_REPORT && typeof window.SWARM_REPORT === 'object');
        ok(rep, 'the report embeds the result document');
        ok(await page.evaluate(() => !!window.Chart), 'the report carries Chart.js inline');
        const cp = await page.evaluate(chartPoints);
        ok(cp.rps >= 2 && cp.rt >= 2 && cp.users >= 2 && cp.maxRps > 0,
           'the report\'s charts have data points', JSON.stringify(cp));
        for (const id of ['chart-rps', 'chart-rt', 'chart-users'])
            ok(await page.evaluate(canvasInk, id) > 2000, 'the report draws its ' + id + ' canvas');
        const tab = await page.evaluate(readTable);
        ok(tab.rows.length >= 1 && tab.agg && tab.agg[1] === 'Aggregated', 'the report shows the statistics table',
           tab.rows.length);
        const doc = jsonFile ? JSON.parse(fs.readFileSync(jsonFile, 'utf8'))
                             : await page.evaluate(() => window.SWARM_REPORT);
        const agg = (doc.stats || []).find((e) => e.name === 'Aggregated' && !e.method);
        ok(agg && tab.agg && toNum(tab.agg[2]) === agg.num_requests && toNum(tab.agg[3]) === agg.num_failures,
           'the report\'s Aggregated row equals the ' + (jsonFile ? '--json file' : 'embedded document'),
           (tab.agg && tab.agg[2]) + ' vs ' + (agg && agg.num_requests));
        ok(await page.isHidden('#controls'), 'the report shows no run controls');
        const nf = toNum(await page.textContent('#n-failures')), nx = toNum(await page.textContent('#n-exceptions'));
        ok(nf === (doc.errors || []).length && nx === (doc.exceptions || []).length && nf > 0 && nx > 0,
           'the report\'s failure and exception tabs count the document\'s', nf + ', ' + nx);
        ok(await page.evaluate(() => document.querySelectorAll('#pct tbody tr').length > 0),
           'the report has the percentile table');

        /* Times: each cell is the document's value shown by the rule. */
        const byName = {};
        (doc.stats || []).forEach((e) => { byName[(e.method || '') + ' ' + e.name] = e; });
        const diffs = [];
        let two = 0, whole = 0;
        for (const r of tab.rows.concat(tab.agg ? [tab.agg] : [])) {
            const e = byName[(r[0] || '') + ' ' + r[1]];
            if (!e) { diffs.push('no entry for ' + r[1]); continue; }
            for (const [i, k] of TIME_CELLS) {
                if (k === 'avg_response_time') {          /* exact in the JSON, rounded when shown */
                    const lim = e[k] < 9.995 ? 0.0051 : 0.51;
                    if (!timeShape(r[i]) || Math.abs(toNum(r[i]) - e[k]) > lim) diffs.push(r[1] + ' avg ' + r[i] + ' vs ' + e[k]);
                } else if (r[i] !== expectTime(e[k])) {
                    diffs.push(r[1] + ' ' + k + ' ' + r[i] + ' vs ' + e[k]);
                }
                if (TWO.test(r[i])) two++;
                else if (WHOLE.test(r[i])) whole++;
            }
        }
        ok(diffs.length === 0 && two > 0 && whole > 0,
           'the report\'s times are the document\'s, two decimals under 10 ms and whole ms from 10 (' +
           two + ' and ' + whole + ' cells)', diffs.slice(0, 4).join('; '));
        const pct = await page.evaluate(() => Array.from(document.querySelectorAll('#pct tbody tr'))
            .map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
        const keys = Object.keys((doc.stats || [])[0].percentiles || {}).sort((a, b) => Number(a) - Number(b));
        const pdiffs = [];
        pct.forEach((r) => {
            const e = byName[(r[0] || '') + ' ' + r[1]];
            keys.forEach((k, j) => {
                if (!e || r[j + 2] !== expectTime(e.percentiles[k])) pdiffs.push(r[1] + ' ' + k + ' ' + r[j + 2]);
            });
        });
        ok(pct.length === (doc.stats || []).length && keys.length === 11 && pdiffs.length === 0,
           'the report\'s percentile table shows the document\'s percentiles by the same rule',
           pdiffs.slice(0, 4).join('; '));
        const echo = byName['GET /echo'];
        ok(echo && echo.median_response_time < 10 &&
           Math.abs(echo.median_response_time * 100 - Math.round(echo.median_response_time * 100)) < 1e-6,
           'the JSON gives the fast /echo median in ms with two decimals', echo && echo.median_response_time);
        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'report.png'), fullPage: true });
        ok(requests.length === 1 && requests[0] === fileUrl, 'the report makes no request but for the file itself',
           requests.length + ': ' + requests.slice(0, 3).join(' '));
        ok(errors.length === 0, 'no script error in the report', errors.slice(0, 3).join(' | '));
    } catch (e) {
        ok(false, 'the report test ran to its end', e.message.split('\n')[0]);
    } finally {
        await browser.close();
    }
}

/* --------------------------------------------- issue 10: open model etc. */

/* GET a JSON document with Node itself (not the page: the target is another
 * origin, and the page must make no request outside its own server). */
function getJSON(url) {
    return new Promise((resolve) => {
        const req = require('http').get(url, { timeout: 5000 }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => { body += c; });
            res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { resolve(null); } });
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(null));
    });
}

/* The thresholds table as shown: [result, threshold, observed] per row. */
function readThresholds() {
    const wrap = document.getElementById('thr-wrap');
    return { shown: !!wrap && !wrap.hidden && wrap.getBoundingClientRect().height > 0,
             badge: document.getElementById('n-thr-failed').textContent,
             rows: Array.from(document.querySelectorAll('#thresholds tbody tr')).map(
                 (tr) => Array.from(tr.cells).map((c) => c.textContent)) };
}

function notesText() {
    const n = document.getElementById('numbers-notes');
    return n && !n.hidden ? n.textContent : '';
}

/* A threshold's observed value as the page should show it, written apart
 * from app.js: ms by the time rule, a ratio in percent, a rate per second. */
function expectObserved(t) {
    const v = t.observed;
    if (v === null || v === undefined) return 'no requests';
    if (t.unit === 'ratio') {
        const p = v * 100;
        return v === 0 ? '0%' : (p < 1 ? p.toFixed(2) : p < 10 ? p.toFixed(1) : p.toFixed(0)) + '%';
    }
    if (t.unit === '1/s') return (v === 0 ? '0' : v < 10 ? v.toFixed(2) : v.toFixed(1)) + '/s';
    return (v < 9.995 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US')) + ' ms';
}
function msText(v) { return v < 9.995 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US'); }

/* The tab bar's live self-check figures equal those of /stats/requests: the
 * page polls every 2 s and the figures move every second, so read both a
 * few times until a pair agrees. The last pair. */
async function liveFigures(page) {
    let last = null;
    for (let i = 0; i < 25; i++) {
        const meta = await page.textContent('#meta');
        const sc = await page.evaluate(() => fetch('stats/requests', { cache: 'no-store' })
            .then((r) => r.json()).then((d) => d.self_check));
        const want = 'Swarm\u2019s loop lag p99 ' + msText(sc.lag_p99_ms) + ' ms, CPU ' + sc.cpu_percent.toFixed(0) + '%';
        last = { meta, want, same: meta === want };
        if (last.same) break;
        await page.waitForTimeout(300);
    }
    return last;
}

/* Open the page, check the ready form; returns { browser, page, errors, foreign }. */
async function openPage(url) {
    const origin = new URL(url).origin;
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors = [], foreign = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
    });
    page.setDefaultTimeout(15000);
    const resp = await page.goto(url, { waitUntil: 'load' });
    ok(resp && resp.status() === 200, 'GET / serves the page', resp && resp.status());
    ok(await waitFor(page, () => document.getElementById('swarm-dialog').open, null, 5000),
       'a ready runner opens the start form');
    return { browser, page, errors, foreign };
}

/* Submit the open form; the POST /swarm response. */
async function submit(page) {
    const [r] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/swarm') && r.request().method() === 'POST'),
        page.click('#btn-submit')]);
    return r;
}

async function testOpen(url, target, out) {
    const { browser, page, errors, foreign } = await openPage(url);
    const api = () => page.evaluate(() => fetch('stats/requests', { cache: 'no-store' }).then((r) => r.json()));
    try {
        ok(await page.isVisible('#arrival_rate'), 'the start form has the arrival rate field');
        const before = await api();
        ok(before.arrival === null, 'the binary starts in the closed model (arrival null)', JSON.stringify(before.arrival));
        ok(await page.textContent('#arrival-hint') === '(open model: iterations per second; empty: closed model)' &&
           await page.isHidden('#m-arrival-box'), 'the field says empty means the closed model; no arrival rate in the header');
        const f0 = await liveFigures(page);
        ok(f0.same, 'the tab bar shows the self-check\'s lag p99 and CPU of /stats/requests', f0.meta + ' vs ' + f0.want);

        /* Start: 50 users, the open model at 10 iterations/s. */
        await page.fill('#user_count', '50');
        await page.fill('#spawn_rate', '50');
        await page.fill('#host_input', target);
        await page.fill('#arrival_rate', '10');
        const start = await submit(page);
        const post = new URLSearchParams(start.request().postData() || '');
        ok(start.status() === 200 && post.get('rate') === '10' && post.get('user_count') === '50',
           'the form posts rate=10 with user_count=50 and the run starts',
           start.status() + ' ' + (start.request().postData() || ''));
        ok(await waitFor(page, () => !document.getElementById('swarm-dialog').open, null, 5000),
           'the form closes once the run starts');
        const a1 = (await api()).arrival;
        ok(a1 && a1.rate === 10 && a1.poisson === false, 'the runner runs the open model at 10/s', JSON.stringify(a1));
        ok(await waitFor(page, () => document.getElementById('m-arrival').textContent === '10.0/s' &&
                         !document.getElementById('m-arrival-box').hidden, null, 6000),
           'the header shows the arrival rate 10.0/s', await page.textContent('#m-arrival'));

        /* Thresholds: two from the script, one from --threshold. They all
         * have a value once a held request (5 s) has come back. */
        const ready = await waitFor(page, () => {
            const rows = document.querySelectorAll('#thresholds tbody tr');
            return rows.length === 3 && Array.from(rows).every((tr) => !/no requests/.test(tr.cells[2].textContent))
                && rows.length;
        }, null, 20000);
        ok(ready === 3, 'the thresholds table shows three results, each with a value', ready);
        const shown = await page.evaluate(readThresholds);
        const doc = await api();
        const th = doc.thresholds || [];
        ok(shown.shown && shown.rows.length === th.length, 'the table is visible with one row per threshold of the API',
           shown.rows.length + ' vs ' + th.length);
        const diffs = [];
        th.forEach((t, i) => {
            const r = shown.rows[i] || [];
            if (r[0] !== (t.passed ? 'PASS' : 'FAIL')) diffs.push(t.threshold + ': ' + r[0]);
            if (r[1] !== t.threshold) diffs.push('text ' + r[1] + ' vs ' + t.threshold);
            const v = toNum(String(r[2]).replace(/ ms$|\/s$|%$/, ''));
            const want = t.unit === 'ratio' ? t.observed * 100 : t.observed;
            /* the page polled a moment before the API was read: rates move */
            const tol = t.unit === '1/s' ? Math.max(0.5, want * 0.3) : t.unit === 'ms' ? Math.max(0.01, want * 0.01) : 0.01;
            if (!(Math.abs(v - want) <= tol)) diffs.push(t.threshold + ' shows ' + r[2] + ', API ' + t.observed);
        });
        ok(diffs.length === 0, 'each row shows the API\'s verdict, text and observed value', diffs.join('; '));
        const byText = {};
        shown.rows.forEach((r) => { byText[r[1]] = r; });
        const held = byText['"GET /held" p50 < 1s'], fr = byText['all fail_ratio < 1%'], cli = byText['all rps > 0.5'];
        ok(held && held[0] === 'FAIL' && toNum(held[2].replace(/ ms$/, '')) >= 5000,
           'the held entry\'s p50 < 1s shows FAIL with at least the 5,000 ms the target held it', held && held.join('|'));
        ok(fr && fr[0] === 'PASS' && fr[2] === '0%', 'fail_ratio < 1% shows PASS at 0%', fr && fr.join('|'));
        ok(cli && cli[0] === 'PASS' && /\/s$/.test(cli[2]), 'the --threshold rps > 0.5 shows PASS in requests/s',
           cli && cli.join('|'));
        ok(shown.badge === '1 failed', 'the thresholds heading counts 1 failed', shown.badge);
        const tgt0 = await getJSON(target + '/__stats');
        const st = tgt0 && tgt0.statuses ? Object.keys(tgt0.statuses).filter((c) => !/^2/.test(c)) : ['?'];
        ok(st.length === 0, 'ground truth: the target answered no request with an error (fail_ratio 0 is right)',
           JSON.stringify(tgt0 && tgt0.statuses));

        /* Edit: the rate field is there; 5/s re-scales the running schedule. */
        await page.click('#btn-edit');
        ok(await waitFor(page, () => document.getElementById('swarm-dialog').classList.contains('editing'), null, 3000) &&
           await page.isVisible('#arrival_rate'), 'Edit opens the form with the arrival rate field');
        ok(await page.textContent('#arrival-hint') === '(open model: iterations per second; empty: keep 10.0/s)' &&
           await page.isEnabled('#arrival_rate'), 'in the open model the field says empty keeps 10.0/s',
           await page.textContent('#arrival-hint'));
        await page.fill('#arrival_rate', '5');
        const edit = await submit(page);
        const epost = new URLSearchParams(edit.request().postData() || '');
        ok(edit.status() === 200 && epost.get('rate') === '5' && !epost.has('host'),
           'the edit form posts rate=5 (and no host)', edit.status() + ' ' + (edit.request().postData() || ''));
        const a2 = (await api()).arrival;
        ok(a2 && a2.rate === 5 && a2.peak_rate === 10, 'the runner now runs at 5/s (peak 10/s)', JSON.stringify(a2));
        ok(await waitFor(page, () => document.getElementById('m-arrival').textContent === '5.00/s', null, 6000),
           'the header follows the re-scale to 5.00/s', await page.textContent('#m-arrival'));

        /* Stop: the held requests in flight are cancelled, and the page says so. */
        await page.waitForTimeout(1500);
        await page.click('#btn-stop');
        ok(await waitFor(page, () => document.getElementById('state').textContent === 'stopped', null, 10000),
           'Stop stops the run');
        const note = await waitFor(page, () => {
            const n = document.getElementById('numbers-notes');
            return n && !n.hidden && /cancelled at stop/.test(n.textContent) && n.textContent;
        }, null, 8000);
        const fin = await api();
        const c = fin.cancelled_at_stop || { total: -1, entries: [] };
        const m = /^([\d,]+) requests in flight cancelled at stop \(([^)]*)\)/.exec(note || '');
        const listed = m ? m[2].split(', ') : [];
        const want = c.entries.map((e) => e.method + ' ' + e.name + ': ' + e.count.toLocaleString('en-US'));
        ok(m && toNum(m[1]) === c.total && c.total > 0 && listed.join() === want.join(),
           'the page says "' + (m ? m[0] : note) + '", the API\'s ' + c.total + ' per entry (' + want.join(', ') + ')');
        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'open.png'), fullPage: true });

        /* Ground truth: once the target has answered every held request,
         * each request it received is one Swarm completed or cancelled, and
         * each iteration the open model started sent exactly one. */
        await page.waitForTimeout(5600);
        const tgt = await getJSON(target + '/__stats');
        const doc2 = await api();
        const ent = (n) => (doc2.stats || []).find((e) => e.name === n && e.method === 'GET') || { num_requests: 0 };
        const canc = (n) => ((doc2.cancelled_at_stop || {}).entries || []).filter((e) => e.name === n)
            .reduce((s, e) => s + e.count, 0);
        const req = (k) => (tgt && tgt.requests && tgt.requests[k]) || 0;
        const heldT = req('GET /delay/{ms}'), echoT = req('GET /echo');
        ok(tgt && heldT === ent('/held').num_requests + canc('/held') && canc('/held') === c.total,
           'ground truth: the target received ' + heldT + ' held requests = ' + ent('/held').num_requests +
           ' completed + ' + canc('/held') + ' cancelled');
        ok(tgt && echoT === ent('/echo').num_requests + canc('/echo'),
           'ground truth: the target received ' + echoT + ' GET /echo, Swarm completed ' + ent('/echo').num_requests);
        ok(doc2.arrival && heldT + echoT === doc2.arrival.started,
           'ground truth: the ' + (heldT + echoT) + ' requests the target received are the ' +
           (doc2.arrival && doc2.arrival.started) + ' iterations the open model started');

        /* The self-check: no mark unless the API has one. */
        const sc = doc2.self_check || {};
        const n2 = await page.evaluate(notesText);
        ok(/Swarm\u2019s own delay/.test(n2) === !!sc.overloaded,
           'the page marks Swarm\'s own delay exactly when the API does (' + !!sc.overloaded + ')', n2);

        /* A new test with the rate left empty keeps the open model at its
         * last rate, as the field says. */
        await page.click('#btn-new');
        ok(await waitFor(page, () => document.getElementById('swarm-dialog').open, null, 3000) &&
           await page.textContent('#arrival-hint') === '(open model: iterations per second; empty: keep 5.00/s)',
           'after the stop the field says empty keeps 5.00/s', await page.textContent('#arrival-hint'));
        await page.fill('#arrival_rate', '');
        const again = await submit(page);
        const apost = new URLSearchParams(again.request().postData() || '');
        const a3 = (await api()).arrival;
        ok(again.status() === 200 && !apost.has('rate') && a3 && a3.rate === 5,
           'a new test with an empty rate posts none and runs the open model at 5/s', JSON.stringify(a3));
        await page.click('#btn-stop');
        ok(await waitFor(page, () => document.getElementById('state').textContent === 'stopped', null, 10000),
           'Stop stops the second run');
        ok(foreign.length === 0, 'the page makes no request outside its own server', foreign.slice(0, 3).join(' '));
        ok(errors.length === 0, 'no script error in the page', errors.slice(0, 3).join(' | '));
    } catch (e) {
        ok(false, 'the open-model UI test ran to its end', e.message.split('\n')[0]);
        try { await page.screenshot({ path: path.join(out, 'open-failure.png') }); } catch (e2) { /* best effort */ }
    } finally {
        await browser.close();
    }
}

/* A master's Slaves tab against its workers[]. */
async function testSlaves(url, target, out) {
    const { browser, page, errors, foreign } = await openPage(url);
    const api = () => page.evaluate(() => fetch('stats/requests', { cache: 'no-store' }).then((r) => r.json()));
    try {
        await page.fill('#user_count', '20');
        await page.fill('#spawn_rate', '20');
        await page.fill('#host_input', target);
        await page.fill('#arrival_rate', '10');
        const start = await submit(page);
        ok(start.status() === 200, 'the form starts the cluster in the open model', start.status());
        ok(await waitFor(page, () => document.getElementById('n-slaves').textContent === '2' &&
                         !document.getElementById('tab-btn-slaves').hidden, null, 10000),
           'the Slaves tab counts 2 slaves');
        await page.click('.tab[data-tab="slaves"]');
        /* Both sides move with each slave report: read until they agree. */
        let rows = [], want = [], d = null;
        for (let i = 0; i < 30; i++) {
            rows = await page.evaluate(() => Array.from(document.querySelectorAll('#slaves tbody tr'))
                .map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
            d = await api();
            want = (d.workers || []).map((w) => [w.id, String(w.user_count), w.lag_p99_ms.toFixed(1) + ' ms',
                w.overloaded ? 'yes: up to ' + Math.ceil(w.max_lag_ms) + ' ms' : 'no', w.arrival_rate.toFixed(2) + '/s']);
            const got = rows.map((r) => [r[0], r[2], r[7], r[8], r[9]]);
            if (want.length === 2 && JSON.stringify(got) === JSON.stringify(want) &&
                want.every((w) => w[1] === '10')) break;
            await page.waitForTimeout(400);
        }
        const got = rows.map((r) => [r[0], r[2], r[7], r[8], r[9]]);
        ok(want.length === 2 && JSON.stringify(got) === JSON.stringify(want),
           'each slave\'s row shows its id, users, loop lag p99, mark and arrival rate as workers[] has them',
           JSON.stringify(got) + ' vs ' + JSON.stringify(want));
        const rates = (d.workers || []).map((w) => w.arrival_rate);
        ok(rates.length === 2 && rates[0] + rates[1] === 10 && d.arrival && d.arrival.rate === 10,
           'ground truth: the master split its 10/s over its slaves (' + rates.join(' + ') + ')');
        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'slaves.png') });
        await page.click('.tab[data-tab="stats"]');
        await page.click('#btn-stop');
        ok(await waitFor(page, () => document.getElementById('state').textContent === 'stopped', null, 10000),
           'Stop stops the cluster');
        ok(foreign.length === 0 && errors.length === 0, 'no foreign request and no script error in the page',
           foreign.concat(errors).slice(0, 3).join(' | '));
    } catch (e) {
        ok(false, 'the slaves UI test ran to its end', e.message.split('\n')[0]);
    } finally {
        await browser.close();
    }
}

/* Issue 10's parts of an HTML report against its --json document. */
async function testNumbers(file, jsonFile, out) {
    const fileUrl = 'file://' + path.resolve(file);
    const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    const browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const requests = [], errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    try {
        await page.goto(fileUrl, { waitUntil: 'load' });
        const shown = await page.evaluate(readThresholds);
        const want = (doc.thresholds || []).map((t) => [t.passed ? 'PASS' : 'FAIL', t.threshold, expectObserved(t)]);
        ok(shown.shown && want.length === 3 && JSON.stringify(shown.rows) === JSON.stringify(want),
           'the report\'s thresholds table is the document\'s: ' + want.map((r) => r.join(' ')).join('; '),
           JSON.stringify(shown.rows));
        const nf = want.filter((r) => r[0] === 'FAIL').length;
        ok(shown.badge === (nf ? nf + ' failed' : ''), 'the heading counts ' + nf + ' failed', shown.badge);
        const c = doc.cancelled_at_stop;
        const note = await page.evaluate(notesText);
        const line = c.total.toLocaleString('en-US') + ' requests in flight cancelled at stop (' +
            c.entries.map((e) => e.method + ' ' + e.name + ': ' + e.count.toLocaleString('en-US')).join(', ') + ')';
        ok(c.total > 0 && note.split(' \u00b7 ')[0] === line, 'the report says "' + line + '"', note);
        const sc = doc.self_check;
        const mark = 'results include up to ' + msText(sc.max_lag_ms) + ' ms of Swarm\u2019s own delay';
        ok(note.includes(mark) === !!sc.overloaded && (!sc.overloaded || /delay/.test(note)),
           'the report marks Swarm\'s own delay exactly when the document does (' + sc.overloaded + ')', note);
        const meta = await page.textContent('#meta');
        const fig = 'Swarm\u2019s loop lag p99 ' + msText(sc.lag_run_p99_ms) + ' ms (max ' + msText(sc.lag_max_ms) +
            ' ms), CPU up to ' + sc.cpu_max_percent.toFixed(0) + '%';
        ok(meta.includes(fig), 'the report shows the run\'s self-check figures: ' + fig, meta);
        const rate = await page.textContent('#m-arrival');
        ok(await page.isVisible('#m-arrival-box') && rate === '10.0/s' && doc.arrival.rate === 10,
           'the report\'s header shows the open model\'s 10.0/s', rate);
        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'report-open.png'), fullPage: true });
        ok(requests.length === 1 && errors.length === 0, 'the report makes no request and has no script error',
           requests.length + ' ' + errors.slice(0, 2).join(' | '));
    } catch (e) {
        ok(false, 'the report test ran to its end', e.message.split('\n')[0]);
    } finally {
        await browser.close();
    }
}

/* The self-check's mark on a run that keeps Swarm's event loop busy. */
async function testBusy(url, target, out) {
    const { browser, page, errors } = await openPage(url);
    const api = () => page.evaluate(() => fetch('stats/requests', { cache: 'no-store' }).then((r) => r.json()));
    try {
        await page.fill('#user_count', '4');
        await page.fill('#spawn_rate', '100');
        await page.fill('#host_input', target);
        const start = await submit(page);
        ok(start.status() === 200, 'the form starts the busy run', start.status());
        let marked = false;
        for (let i = 0; i < 40 && !marked; i++) {
            await page.waitForTimeout(500);
            const d = await api();
            marked = !!(d.self_check && d.self_check.overloaded);
        }
        ok(marked, 'the runner marks itself overloaded (/stats/requests self_check.overloaded)');
        ok(await page.isHidden('#m-arrival-box'), 'a closed-model run shows no arrival rate in the header');
        await page.click('#btn-edit');
        ok(await waitFor(page, () => document.getElementById('swarm-dialog').classList.contains('editing'), null, 3000) &&
           await page.isDisabled('#arrival_rate') &&
           await page.textContent('#arrival-hint') === '(this test runs the closed model: stop it to start one with a rate)',
           'editing a closed-model run disables the rate field and says why', await page.textContent('#arrival-hint'));
        await page.click('#btn-cancel');
        await page.click('#btn-stop');
        ok(await waitFor(page, () => document.getElementById('state').textContent === 'stopped', null, 10000),
           'Stop stops the run');
        /* After the stop the loop is idle: the largest lag no longer grows. */
        await page.waitForTimeout(2500);
        const sc = (await api()).self_check || {};
        const note = await page.evaluate(notesText);
        const m = /results include up to ([\d,.]+) ms of Swarm\u2019s own delay/.exec(note);
        ok(m && Math.abs(toNum(m[1]) - sc.max_lag_ms) <= (sc.max_lag_ms < 10 ? 0.006 : 0.5) && sc.max_lag_ms > 10,
           'the page says "' + (m ? m[0] : note) + '", the API\'s max_lag_ms ' + sc.max_lag_ms);
        fs.mkdirSync(out, { recursive: true });
        await page.screenshot({ path: path.join(out, 'busy.png') });
        ok(errors.length === 0, 'no script error in the page', errors.slice(0, 3).join(' | '));
    } catch (e) {
        ok(false, 'the busy UI test ran to its end', e.message.split('\n')[0]);
    } finally {
        await browser.close();
    }
}

async function main() {
    const [mode, ...args] = process.argv.slice(2);
    const guard = setTimeout(() => {
        ok(false, mode + ' test finished within 150 s');
        process.exit(1);
    }, 150000);
    if (mode === 'ui' && args.length >= 3) await testUI(args[0], args[1], args[2]);
    else if (mode === 'report' && args.length >= 2) await testReport(args[0], args[1], args[2]);
    else if (mode === 'open' && args.length >= 3) await testOpen(args[0], args[1], args[2]);
    else if (mode === 'numbers' && args.length >= 3) await testNumbers(args[0], args[1], args[2]);
    else if (mode === 'slaves' && args.length >= 3) await testSlaves(args[0], args[1], args[2]);
    else if (mode === 'busy' && args.length >= 3) await testBusy(args[0], args[1], args[2]);
    else {
        console.error('usage: test.js ui|open|slaves|busy URL TARGET_URL OUT_DIR | report FILE OUT_DIR [JSON_FILE] | numbers FILE JSON_FILE OUT_DIR');
        process.exit(2);
    }
    clearTimeout(guard);
    process.exit(failed ? 1 : 0);
}

main().catch((e) => {
    ok(false, 'the browser could be driven', e.message.split('\n')[0]);
    process.exit(1);
});
