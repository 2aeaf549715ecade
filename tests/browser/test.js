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
 * The issue-10 modes (open, numbers, slaves, busy) are in open.js, the shared
 * helpers in lib.js.
 *
 *   node tests/browser/test.js open URL TARGET_URL OUT_DIR
 *       issue 10 (tests/e2e/browser_open.sh): URL serves open.swarm, ready,
 *       with --threshold 'all rps > 0.5'; the form starts the open model at
 *       10/s, Edit re-scales it to 5/s, the thresholds table and the
 *       "cancelled at stop" note are checked against /stats/requests and the
 *       demo target's own counts (TARGET_URL/__stats).
 *   node tests/browser/test.js numbers FILE JSON_FILE OUT_DIR
 *       FILE: the --html report of an open-model run of open.swarm stopped
 *       by an abort threshold with held requests in flight; JSON_FILE: its
 *       --json. The report's thresholds (the aborting one marked), notes,
 *       arrival rate and self-check figures are the document's.
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
const { ok, waitFor, toNum, launch, failures } = require('./lib');
const { testOpen, testNumbers, testSlaves, testBusy } = require('./open');

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
    process.exit(failures() ? 1 : 0);
}

main().catch((e) => {
    ok(false, 'the browser could be driven', e.message.split('\n')[0]);
    process.exit(1);
});
