/*
 * tests/browser/open.js -- issue 10's parts of the page (test.js's modes
 * open, numbers, slaves and busy; see test.js for their arguments): the
 * open model's form field and header, the thresholds table, the notes and
 * the self-check's figures, checked against /stats/requests, the --json
 * document and the demo target's own counts.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { ok, waitFor, toNum, launch } = require('./lib');

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

/* The tab bar's live self-check figures equal those of /stats/requests:
 * the very body the page itself received on its next poll (the figures
 * move every second, the page polls every 2 s, so a second read of the API
 * would race with it), once the page has drawn it. */
async function liveFigures(page) {
    const resp = await page.waitForResponse((r) => /\/stats\/requests$/.test(new URL(r.url()).pathname)
        && r.request().method() === 'GET', { timeout: 15000 });
    const sc = (await resp.json()).self_check;
    const want = 'Swarm\u2019s loop lag p99 ' + msText(sc.lag_p99_ms) + ' ms, CPU ' + sc.cpu_percent.toFixed(0) + '%';
    let meta = null;
    for (let i = 0; i < 20 && meta !== want; i++) {
        if (i) await page.waitForTimeout(50);
        meta = await page.textContent('#meta');
    }
    return { meta, want, same: meta === want };
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
        /* The mark can come at any second (a busy machine delays the
         * probe) and the page polls every 2 s: read until they agree. */
        let sc = {}, n2 = '';
        for (let i = 0; i < 20; i++) {
            n2 = await page.evaluate(notesText);
            sc = (await api()).self_check || {};
            if (/Swarm\u2019s own delay/.test(n2) === !!sc.overloaded) break;
            await page.waitForTimeout(300);
        }
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
        const want = (doc.thresholds || []).map((t) => [t.passed ? 'PASS' : 'FAIL',
            t.threshold + (t.aborted ? ' (aborted the run)' : ''), expectObserved(t)]);
        ok(shown.shown && want.length === 4 && JSON.stringify(shown.rows) === JSON.stringify(want),
           'the report\'s thresholds table is the document\'s: ' + want.map((r) => r.join(' ')).join('; '),
           JSON.stringify(shown.rows));
        const ab = (doc.thresholds || []).filter((t) => t.aborted).map((t) => t.threshold);
        ok(ab.length === 1 && ab[0] === 'all max < 2s abort' && shown.rows.some((r) => r[1] === ab[0] + ' (aborted the run)'),
           'the row of the abort threshold that stopped the run says so', JSON.stringify(ab));
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
        /* After the stop the loop is idle: the largest lag hardly grows
         * (only a busy machine's hiccup could); read until both agree. */
        let sc = {}, note = '', m = null;
        const same = () => m && Math.abs(toNum(m[1]) - sc.max_lag_ms) <= (sc.max_lag_ms < 10 ? 0.006 : 0.5);
        for (let i = 0; i < 20; i++) {
            await page.waitForTimeout(i ? 300 : 2500);
            sc = (await api()).self_check || {};
            note = await page.evaluate(notesText);
            m = /results include up to ([\d,.]+) ms of Swarm\u2019s own delay/.exec(note);
            if (same()) break;
        }
        ok(same() && sc.max_lag_ms > 10,
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

module.exports = { testOpen, testNumbers, testSlaves, testBusy };
