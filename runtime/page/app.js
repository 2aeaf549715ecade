/*
 * app.js -- Swarm's web UI (runtime/page/index.html) and HTML report.
 *
 * Live mode: reads GET stats/requests every 2 s (header, statistics table,
 * failures, exceptions) and GET stats/history (the charts over the whole
 * run), and drives the run with POST swarm, GET stop and GET stats/reset.
 * The JSON shapes are those of docs/results-json.md. Every URL is relative,
 * so the page also works behind a proxy under a sub-path.
 *
 * Report mode: when window.SWARM_REPORT holds a result document (the --json
 * shape, embedded by runtime/html.c), the same tables and charts are drawn
 * from it once and no request is made at all.
 *
 * Updates change cells in place (never rebuild the table), so a refresh does
 * not move the page, lose a hover or reset a scroll position.
 */
(function () {
    'use strict';

    var REPORT = window.SWARM_REPORT || null;
    var POLL_MS = 2000;

    function $(id) { return document.getElementById(id); }
    function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

    /* ---- formatting ------------------------------------------------------ */

    var intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

    function fmtInt(v) {
        v = num(v);
        return v === null ? '\u2013' : intFmt.format(Math.round(v));
    }
    /* A response time in ms by the rule of every output but the console
     * and CSV (timetext.h, sw_time_ms_text): two decimals under 10 ms (0.37,
     * 9.99, 0.00), whole ms from 10 on (10, 427, 4,270), rounded half up at
     * the resolution shown, so 9.996 is 10. The JSON's times already follow
     * it; averages arrive exact and are rounded here. */
    function fmtMs(v) {
        v = num(v);
        if (v === null) return '\u2013';
        if (v < 0) v = 0;
        var h = Math.round(v * 100);
        if (h < 1000) return (h / 100).toFixed(2);
        return intFmt.format(Math.round(v));
    }
    function fmtRate(v) {
        v = num(v);
        if (v === null) return '\u2013';
        if (v === 0) return '0';
        return v < 10 ? v.toFixed(2) : v.toFixed(1);
    }
    function fmtRatio(r) {
        r = num(r);
        if (r === null || r === 0) return '0%';
        var p = r * 100;
        return (p < 1 ? p.toFixed(2) : p < 10 ? p.toFixed(1) : p.toFixed(0)) + '%';
    }
    /* HH:MM:SS of a Unix time, to the nearest second (history rows are
     * taken at whole seconds, give or take a timer's jitter). */
    function fmtTime(t) {
        var d = new Date(Math.round(t) * 1000);
        function two(n) { return (n < 10 ? '0' : '') + n; }
        return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
    }
    function fmtDate(t) {
        var d = new Date(t * 1000);
        function two(n) { return (n < 10 ? '0' : '') + n; }
        return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + fmtTime(t);
    }
    function fmtDuration(s) {
        s = Math.max(0, Math.round(s));
        var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
        return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + x + 's';
    }

    function setText(el, text) {
        if (el.textContent !== text) el.textContent = text;
    }

    /* ---- the statistics table ------------------------------------------- */

    /* The columns after Type and Name: [field, formatter]. The two rate
     * columns read the whole-run rates in a report (see setReportColumns). */
    var COLUMNS = [
        ['num_requests', fmtInt],
        ['num_failures', fmtInt],
        ['median_response_time', fmtMs],
        ['response_time_percentile_0.95', fmtMs],
        ['response_time_percentile_0.99', fmtMs],
        ['avg_response_time', fmtMs],
        ['min_response_time', fmtMs],
        ['max_response_time', fmtMs],
        ['avg_content_length', fmtInt],
        ['current_rps', fmtRate],
        ['current_fail_per_sec', fmtRate]
    ];
    var rows = {};          /* "METHOD name" -> <tr> in the table body */
    var order = [];         /* keys in the order last shown */
    var sortKey = null, sortDir = 1;
    var lastEntries = [];

    function isAggregate(e) { return e && e.name === 'Aggregated' && !e.method; }

    function makeRow() {
        var tr = document.createElement('tr');
        var td = document.createElement('td');
        td.className = 'method';
        tr.appendChild(td);
        td = document.createElement('td');
        td.className = 'name';
        tr.appendChild(td);
        for (var i = 0; i < COLUMNS.length; i++) {
            td = document.createElement('td');
            td.className = 'num';
            tr.appendChild(td);
        }
        return tr;
    }

    function fillRow(tr, e) {
        var c = tr.cells;
        setText(c[0], e.method || '');
        setText(c[1], e.name || '');
        if (c[1].title !== (e.name || '')) c[1].title = e.name || '';
        for (var i = 0; i < COLUMNS.length; i++)
            setText(c[i + 2], COLUMNS[i][1](e[COLUMNS[i][0]]));
        var failing = num(e.num_failures) > 0;
        c[3].classList.toggle('fail', failing);
        c[12].classList.toggle('fail', num(e[COLUMNS[10][0]]) > 0);
    }

    function sortEntries(list) {
        if (!sortKey) return list;
        var k = sortKey, dir = sortDir;
        return list.slice().sort(function (a, b) {
            var x = a[k], y = b[k];
            if (typeof x === 'string' || typeof y === 'string')
                return dir * String(x || '').localeCompare(String(y || ''));
            return dir * ((num(x) || 0) - (num(y) || 0));
        });
    }

    function renderStats(entries) {
        var body = $('stats-body'), foot = $('stats-foot');
        var list = [], agg = null, i;
        entries = entries || [];
        lastEntries = entries;
        for (i = 0; i < entries.length; i++) {
            if (isAggregate(entries[i])) agg = entries[i];
            else list.push(entries[i]);
        }
        list = sortEntries(list);

        var seen = {}, keys = [];
        for (i = 0; i < list.length; i++) {
            var key = (list[i].method || '') + ' ' + (list[i].name || '');
            if (seen[key]) continue;
            seen[key] = true;
            keys.push(key);
            if (!rows[key]) rows[key] = makeRow();
            fillRow(rows[key], list[i]);
        }
        for (var k in rows)
            if (!seen[k]) { rows[k].remove(); delete rows[k]; }
        if (keys.join('\n') !== order.join('\n') || body.rows.length !== keys.length) {
            body.textContent = '';
            for (i = 0; i < keys.length; i++) body.appendChild(rows[keys[i]]);
            order = keys;
        }
        if (!keys.length) {
            var tr = document.createElement('tr');
            tr.className = 'empty';
            var td = document.createElement('td');
            td.colSpan = 13;
            td.textContent = REPORT ? 'No requests were made.' : 'No requests yet.';
            tr.appendChild(td);
            body.appendChild(tr);
            order = [];
        }

        if (agg) {
            var row = foot.rows[0];
            if (!row) { row = makeRow(); foot.appendChild(row); }
            fillRow(row, agg);
        } else {
            foot.textContent = '';
        }
    }

    function setupSorting() {
        var ths = document.querySelectorAll('#stats th[data-key]');
        Array.prototype.forEach.call(ths, function (th) {
            th.addEventListener('click', function () {
                var k = th.getAttribute('data-key');
                if (REPORT && (k === 'current_rps' || k === 'current_fail_per_sec'))
                    k = k === 'current_rps' ? 'total_rps' : 'total_fail_per_sec';
                var text = k === 'method' || k === 'name';
                if (sortKey === k) {
                    if (sortDir === (text ? 1 : -1)) sortDir = -sortDir;
                    else { sortKey = null; }
                } else {
                    sortKey = k;
                    sortDir = text ? 1 : -1;
                }
                Array.prototype.forEach.call(ths, function (h) {
                    h.classList.remove('sorted-asc', 'sorted-desc');
                });
                if (sortKey) th.classList.add(sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
                renderStats(lastEntries);
            });
        });
    }

    /* ---- failures and exceptions ------------------------------------------ */

    var lastFailures = null, lastExceptions = null;

    function cell(tr, text, cls) {
        var td = document.createElement('td');
        if (cls) td.className = cls;
        td.textContent = text;
        tr.appendChild(td);
        return td;
    }

    function emptyRow(body, cols, text) {
        var tr = document.createElement('tr');
        tr.className = 'empty';
        var td = cell(tr, text);
        td.colSpan = cols;
        body.appendChild(tr);
    }

    function setCount(id, n) {
        var el = $(id);
        setText(el, fmtInt(n));
        el.classList.toggle('bad', n > 0);
    }

    /* ---- issue 10: thresholds, cancelled requests, Swarm's own delay ---- */

    function fmtObserved(t) {
        if (t.observed === null || t.observed === undefined) return 'no requests';
        if (t.unit === 'ratio') return fmtRatio(t.observed);
        if (t.unit === '1/s') return fmtRate(t.observed) + '/s';
        return fmtMs(t.observed) + ' ms';
    }
    function renderNumbers(d) {
        var list = d.thresholds || [];
        $('thr-wrap').hidden = !list.length;
        var body = document.querySelector('#thresholds tbody');
        body.textContent = '';
        var failed = 0;
        list.forEach(function (t) {
            var tr = document.createElement('tr');
            cell(tr, t.passed ? 'PASS' : 'FAIL', t.passed ? 'pass' : 'fail');
            cell(tr, t.threshold + (t.aborted ? ' (aborted the run)' : ''), 'mono');
            cell(tr, fmtObserved(t), 'num');
            body.appendChild(tr);
            if (!t.passed) failed++;
        });
        setText($('n-thr-failed'), failed ? failed + ' failed' : '');
        var notes = [];
        var c = d.cancelled_at_stop;
        if (c && num(c.total)) {
            notes.push(fmtInt(c.total) + ' requests in flight cancelled at stop (' +
                       (c.entries || []).map(function (e) {
                           return e.method + ' ' + e.name + ': ' + fmtInt(e.count);
                       }).join(', ') + ')');
        }
        var sc = d.self_check;
        if (sc && sc.overloaded) notes.push('results include up to ' + fmtMs(sc.max_lag_ms) + ' ms of Swarm\u2019s own delay');
        if (d.arrival && num(d.arrival.dropped)) notes.push(fmtInt(d.arrival.dropped) + ' iterations dropped (backlog full)');
        $('numbers-notes').hidden = !notes.length;
        setText($('numbers-notes'), notes.join(' \u00b7 '));
    }

    /* The open model's current rate in the header (hidden in the closed model). */
    function renderArrival(a) {
        $('m-arrival-box').hidden = !a;
        if (a) setText($('m-arrival'), fmtRate(a.rate) + '/s');
    }
    /* Swarm's own figures (the self-check), for the tab bar: live, the last
     * window; in a report, the whole run. */
    function selfFigures(sc, report) {
        if (!sc) return '';
        if (report)
            return 'Swarm\u2019s loop lag p99 ' + fmtMs(sc.lag_run_p99_ms) + ' ms (max ' + fmtMs(sc.lag_max_ms) +
                   ' ms), CPU up to ' + (num(sc.cpu_max_percent) || 0).toFixed(0) + '%';
        return 'Swarm\u2019s loop lag p99 ' + fmtMs(sc.lag_p99_ms) + ' ms, CPU ' +
               (num(sc.cpu_percent) || 0).toFixed(0) + '%';
    }

    function renderFailures(errors) {
        errors = (errors || []).slice().sort(function (a, b) {
            return (num(b.occurrences) || 0) - (num(a.occurrences) || 0);
        });
        var sig = JSON.stringify(errors);
        if (sig === lastFailures) return;
        lastFailures = sig;
        var body = document.querySelector('#failures tbody');
        body.textContent = '';
        var total = 0;
        errors.forEach(function (e) {
            var tr = document.createElement('tr');
            cell(tr, fmtInt(e.occurrences), 'num fail');
            cell(tr, e.method || '', 'method');
            cell(tr, e.name || '', 'name').title = e.name || '';
            cell(tr, e.error || '', 'wrap mono');
            body.appendChild(tr);
            total += num(e.occurrences) || 0;
        });
        if (!errors.length) emptyRow(body, 4, 'No failures.');
        setCount('n-failures', errors.length);
    }

    function renderExceptions(list) {
        list = (list || []).slice().sort(function (a, b) {
            return (num(b.count) || 0) - (num(a.count) || 0);
        });
        var sig = JSON.stringify(list);
        if (sig === lastExceptions) return;
        lastExceptions = sig;
        var body = document.querySelector('#exceptions tbody');
        body.textContent = '';
        list.forEach(function (e) {
            var tr = document.createElement('tr');
            cell(tr, fmtInt(e.count), 'num fail');
            cell(tr, e.message || '', 'wrap');
            cell(tr, e.traceback || '', 'wrap mono');
            cell(tr, Array.isArray(e.nodes) ? e.nodes.join(', ') : String(e.nodes || ''));
            body.appendChild(tr);
        });
        if (!list.length) emptyRow(body, 4, 'No exceptions.');
        setCount('n-exceptions', list.length);
    }

    /* ---- a master's slaves (workers[] live, slaves[] in a report) -------- */

    function renderSlaves(list) {
        if (!Array.isArray(list)) return;
        $('tab-btn-slaves').hidden = false;
        var body = document.querySelector('#slaves tbody');
        body.textContent = '';
        list.forEach(function (w) {
            var tr = document.createElement('tr');
            cell(tr, String(w.id || ''), 'mono');
            cell(tr, String(w.state || ''), w.state === 'missing' ? 'fail' : '');
            cell(tr, fmtInt(w.user_count), 'num');
            cell(tr, (num(w.cpu_usage) || 0).toFixed(1), 'num');
            cell(tr, ((num(w.memory_usage) || 0) / 1048576).toFixed(1) + ' MB', 'num');
            cell(tr, (num(w.seconds_since_report) || 0).toFixed(1) + ' s', 'num');
            cell(tr, fmtInt(w.times_missing || 0), 'num');
            /* a Swarm slave's self-check and open-model share (a Locust worker has neither) */
            var has = w.lag_p99_ms !== undefined;
            cell(tr, has ? (num(w.lag_p99_ms) || 0).toFixed(1) + ' ms' : '\u2014', 'num');
            cell(tr, !has ? '\u2014' : w.overloaded
                 ? 'yes: up to ' + Math.ceil(num(w.max_lag_ms) || 0) + ' ms' : 'no',
                 w.overloaded ? 'fail' : '');
            cell(tr, w.arrival_rate !== undefined ? (num(w.arrival_rate) || 0).toFixed(2) + '/s'
                 : '\u2014', 'num');
            body.appendChild(tr);
        });
        if (!list.length) emptyRow(body, 10, 'No slave connected.');
        setCount('n-slaves', list.length);
    }

    /* ---- charts ---------------------------------------------------------- */

    var charts = {};
    var MAX_POINTS = 600;

    /* ms != 0: a response-time chart, whose axis and tooltips show times
     * as the table does (sub-millisecond values included). */
    function makeChart(id, series, ms) {
        var canvas = $(id);
        if (!window.Chart || !canvas) return null;
        return new window.Chart(canvas.getContext('2d'), {
            type: 'line',
            data: {
                labels: [],
                datasets: series.map(function (s) {
                    return {
                        label: s[0], data: [], borderColor: s[1], backgroundColor: s[1] + '22',
                        fill: !!s[2], borderWidth: 2, pointRadius: 0, pointHitRadius: 6, pointStyle: 'line',
                        cubicInterpolationMode: 'monotone', spanGaps: false
                    };
                })
            },
            options: {
                animation: false,
                responsive: true,
                maintainAspectRatio: false,
                interaction: { mode: 'index', intersect: false },
                scales: {
                    x: { ticks: { maxTicksLimit: 6, maxRotation: 0, color: '#667085' }, grid: { display: false } },
                    y: { beginAtZero: true,
                         ticks: ms ? { maxTicksLimit: 6, color: '#667085', callback: function (v) { return fmtMs(v); } }
                                   : { maxTicksLimit: 6, color: '#667085', precision: 0 },
                         grid: { color: '#eef0f4' } }
                },
                plugins: {
                    legend: { position: 'top', align: 'end',
                              labels: { usePointStyle: true, boxWidth: 18, color: '#1c2430' } },
                    tooltip: { callbacks: ms ? {
                        label: function (c) { return c.dataset.label + ': ' + fmtMs(c.parsed.y) + ' ms'; }
                    } : {} }
                }
            }
        });
    }

    function setupCharts() {
        charts.rps = makeChart('chart-rps', [['RPS', '#1f9d55', true], ['Failures/s', '#d23f31']]);
        charts.rt = makeChart('chart-rt', [['Median', '#2f6fde'], ['95th percentile', '#d98a04']], 1);
        charts.users = makeChart('chart-users', [['Users', '#5b5bd6', true]]);
        window.swarmCharts = charts;   /* for the browser tests and the curious */
    }

    /* Thin out a long history to at most MAX_POINTS points: rates and the
     * median are averaged over each group of seconds, the 95th percentile
     * takes the group's worst second, the user count its last. */
    function thin(history) {
        var n = history.length;
        if (n <= MAX_POINTS) return history;
        var step = Math.ceil(n / MAX_POINTS), out = [];
        for (var i = 0; i < n; i += step) {
            var g = history.slice(i, i + step), r = {};
            var avg = function (k) {
                var s = 0, c = 0;
                g.forEach(function (h) { if (num(h[k]) !== null) { s += h[k]; c++; } });
                return c ? s / c : null;
            };
            r.time = g[0].time;
            r.rps = avg('rps');
            r.fail_per_sec = avg('fail_per_sec');
            r.p50 = avg('p50');
            r.p95 = g.reduce(function (m, h) { return Math.max(m, num(h.p95) || 0); }, 0);
            r.user_count = g[g.length - 1].user_count;
            out.push(r);
        }
        return out;
    }

    function renderCharts(history) {
        if (!charts.rps) return;
        var h = thin(history || []);
        var labels = h.map(function (r) { return fmtTime(num(r.time) || 0); });
        function col(k) { return h.map(function (r) { return num(r[k]); }); }
        function put(chart, cols) {
            chart.data.labels = labels;
            cols.forEach(function (c, i) { chart.data.datasets[i].data = c; });
            chart.update('none');
        }
        put(charts.rps, [col('rps'), col('fail_per_sec')]);
        put(charts.rt, [col('p50'), col('p95')]);
        put(charts.users, [col('user_count')]);
    }

    /* ---- header ---------------------------------------------------------- */

    function setState(s) {
        var el = $('state');
        setText(el, s);
        if (el.getAttribute('data-state') !== s) el.setAttribute('data-state', s);
    }

    function renderHeader(stateName, users, rps, ratio) {
        setState(stateName);
        setText($('m-users'), fmtInt(users));
        setText($('m-rps'), fmtRate(rps));
        setText($('m-fail'), fmtRatio(ratio));
        $('m-fail').classList.toggle('bad', num(ratio) > 0);
    }

    /* The script's load shape (LANGUAGE.md 9): "stage k / n" while it plays;
     * hidden for a script without one. */
    function renderShape(stage, stages) {
        var n = num(stages) || 0;
        $('m-shape-box').hidden = n <= 0;
        if (n > 0) setText($('m-shape'), fmtInt(stage) + ' / ' + fmtInt(n));
    }

    /* ---- live mode ------------------------------------------------------- */

    var current = { state: 'ready', users: 0, arrival: null };  /* arrival: the open model's rate, or null */
    var formShownOnce = false;
    var timers = { stats: 0, history: 0 };
    var historyEvery = POLL_MS;

    function banner(text, bad) {
        var b = $('banner');
        if (!text) { b.hidden = true; return; }
        b.textContent = text;
        b.classList.toggle('bad', !!bad);
        b.hidden = false;
    }

    function getJSON(url) {
        return fetch(url, { cache: 'no-store', headers: { 'Accept': 'application/json' } })
            .then(function (r) {
                if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
                return r.json();
            });
    }

    function updateControls(s) {
        var running = s === 'hatching' || s === 'spawning' || s === 'running';
        $('btn-new').hidden = running;
        $('btn-new').disabled = s === 'stopping' || s === 'offline';
        $('btn-reset').disabled = s === 'offline';
        $('btn-edit').hidden = !running;
        $('btn-stop').disabled = !running;
    }

    function renderLive(d) {
        var s = String(d.state || 'ready');
        current.state = s;
        current.users = num(d.user_count) || 0;
        current.arrival = d.arrival ? num(d.arrival.rate) || 0 : null;
        renderHeader(s, d.user_count, d.total_rps, d.fail_ratio);
        renderShape(d.shape_stage, d.shape_stages);
        if (d.host) {
            setText($('host'), d.host);
            if (!$('host_input').value) $('host_input').placeholder = d.host;
        }
        renderStats(d.stats);
        renderFailures(d.errors);
        renderExceptions(d.exceptions);
        renderSlaves(d.workers);
        renderNumbers(d);
        if (d.arrival && num(d.arrival.rate) && !$('arrival_rate').value)
            $('arrival_rate').placeholder = String(d.arrival.rate);
        renderArrival(d.arrival);
        var fig = selfFigures(d.self_check, false);
        setText($('meta'), fig);
        $('meta').title = fig;
        updateControls(s);
        if (s === 'ready' && !formShownOnce) {
            formShownOnce = true;
            openForm('start');
        }
    }

    function pollStats() {
        clearTimeout(timers.stats);
        if (document.hidden) { timers.stats = setTimeout(pollStats, POLL_MS); return; }
        getJSON('stats/requests').then(function (d) {
            banner(null);
            renderLive(d);
        }, function () {
            setState('offline');
            updateControls('offline');
            banner('Lost contact with the load generator; retrying every 2 seconds.', true);
        }).then(function () {
            timers.stats = setTimeout(pollStats, POLL_MS);
        });
    }

    function pollHistory() {
        clearTimeout(timers.history);
        if (document.hidden) { timers.history = setTimeout(pollHistory, POLL_MS); return; }
        getJSON('stats/history').then(function (d) {
            var h = (d && d.history) || [];
            renderCharts(h);
            /* The whole history comes every time: poll a very long run's
             * less often (a day of seconds is ~86,000 rows). */
            historyEvery = h.length > 20000 ? 10000 : h.length > 3600 ? 5000 : POLL_MS;
        }, function () { /* the stats poll reports lost contact */ }).then(function () {
            timers.history = setTimeout(pollHistory, historyEvery);
        });
    }

    function refreshSoon() {
        setTimeout(function () { pollStats(); pollHistory(); }, 150);
    }

    /* ---- the start / edit form -------------------------------------------- */

    var lastRate = null;

    function openForm(mode) {
        var dlg = $('swarm-dialog');
        var editing = mode === 'edit';
        dlg.classList.toggle('editing', editing);
        setText($('form-title'), editing ? 'Change the running load test' : 'Start a new load test');
        setText($('btn-submit'), editing ? 'Update' : 'Start swarming');
        $('form-error').hidden = true;
        if (editing) $('user_count').value = String(current.users);
        /* issue 10: what an empty rate means, and no rate for a running
         * closed-model test (the server refuses it: stop it first). */
        var closedRun = editing && current.arrival === null;
        $('arrival_rate').disabled = closedRun;
        if (closedRun) $('arrival_rate').value = '';
        setText($('arrival-hint'), closedRun ? '(this test runs the closed model: stop it to start one with a rate)'
                : current.arrival === null ? '(open model: iterations per second; empty: closed model)'
                : '(open model: iterations per second; empty: keep ' + fmtRate(current.arrival) + '/s)');
        if (lastRate !== null) $('spawn_rate').value = String(lastRate);
        if (!dlg.open) {
            if (dlg.showModal) dlg.showModal(); else dlg.setAttribute('open', '');
        }
        $('user_count').focus();
        $('user_count').select();
    }

    function closeForm() {
        var dlg = $('swarm-dialog');
        if (dlg.open) { if (dlg.close) dlg.close(); else dlg.removeAttribute('open'); }
    }

    function formError(msg) {
        var e = $('form-error');
        e.textContent = msg;
        e.hidden = false;
    }

    function submitForm(ev) {
        ev.preventDefault();
        var editing = $('swarm-dialog').classList.contains('editing');
        var users = $('user_count').value.trim(), rate = $('spawn_rate').value.trim();
        if (!/^\d+$/.test(users)) return formError('The number of users must be a whole number, 0 or more.');
        if (!(Number(rate) > 0)) return formError('The hatch rate must be a number above 0.');
        var body = new URLSearchParams();
        body.set('user_count', users);
        body.set('spawn_rate', rate);
        var arr = $('arrival_rate').value.trim();       /* issue 10: the open model */
        if (arr && !$('arrival_rate').disabled) {
            if (!(Number(arr) > 0)) return formError('The arrival rate must be a number above 0.');
            body.set('rate', arr);
        }
        if (!editing) {
            var host = $('host_input').value.trim(), rt = $('run_time').value.trim();
            if (host) body.set('host', host);
            if (rt) body.set('run_time', rt);
        }
        var btn = $('btn-submit');
        btn.disabled = true;
        fetch('swarm', { method: 'POST', body: body, cache: 'no-store' })
            .then(function (r) {
                return r.json().catch(function () { return { success: r.ok, message: 'HTTP ' + r.status }; })
                    .then(function (j) { return { ok: r.ok, j: j || {} }; });
            })
            .then(function (res) {
                if (!res.ok || res.j.success === false)
                    return formError(res.j.message || 'The load generator refused the request.');
                lastRate = rate;
                if (res.j.host) setText($('host'), res.j.host);
                closeForm();
                refreshSoon();
            }, function () {
                formError('Could not reach the load generator.');
            })
            .then(function () { btn.disabled = false; });
    }

    function action(url, what) {
        return fetch(url, { cache: 'no-store' }).then(function (r) {
            if (!r.ok) banner(what + ' failed: HTTP ' + r.status, true);
            refreshSoon();
        }, function () {
            banner(what + ' failed: could not reach the load generator.', true);
        });
    }

    function setupLive() {
        $('btn-new').addEventListener('click', function () { openForm('start'); });
        $('btn-edit').addEventListener('click', function () { openForm('edit'); });
        $('btn-cancel').addEventListener('click', closeForm);
        $('btn-stop').addEventListener('click', function () { action('stop', 'Stop'); });
        $('btn-reset').addEventListener('click', function () { action('stats/reset', 'Reset'); });
        $('swarm-form').addEventListener('submit', submitForm);
        document.addEventListener('visibilitychange', function () {
            if (!document.hidden) { pollStats(); pollHistory(); }
        });
        pollStats();
        pollHistory();
    }

    /* ---- report mode ------------------------------------------------------ */

    function renderPercentiles(entries) {
        var keys = {};
        entries.forEach(function (e) {
            if (e.percentiles) Object.keys(e.percentiles).forEach(function (k) { keys[k] = true; });
        });
        var ps = Object.keys(keys).sort(function (a, b) { return Number(a) - Number(b); });
        if (!ps.length) return;
        var head = '<tr><th style="width:68px">Type</th><th>Name</th>' + ps.map(function (p) {
            return '<th class="num" style="width:74px">' + (Number(p) * 100).toString() + '%</th>';
        }).join('') + '</tr>';
        var table = $('pct');
        table.tHead.innerHTML = head;
        var body = table.tBodies[0];
        body.textContent = '';
        entries.forEach(function (e) {
            var tr = document.createElement('tr');
            cell(tr, e.method || '', 'method');
            cell(tr, e.name || '', 'name').title = e.name || '';
            ps.forEach(function (p) { cell(tr, fmtMs(e.percentiles ? e.percentiles[p] : null), 'num'); });
            if (isAggregate(e)) tr.style.fontWeight = '700';
            body.appendChild(tr);
        });
        $('pct-wrap').hidden = false;
    }

    function renderReport(r) {
        document.title = 'Swarm report' + (r.script ? ' \u2013 ' + r.script : '');
        $('controls').hidden = true;
        $('btn-reset').hidden = true;
        var opts = r.options || {};
        var stats = r.stats || [], history = r.history || [];
        var agg = stats.filter(isAggregate)[0] || {};
        var peak = history.reduce(function (m, h) { return Math.max(m, num(h.user_count) || 0); }, 0);
        var users = peak || num(opts.users) || num(r.user_count) || 0;
        var reqs = num(agg.num_requests) || 0;
        setText($('m-rps-label'), 'RPS (avg)');
        renderHeader(String(r.state || 'stopped'), users,
                     num(agg.total_rps) !== null ? agg.total_rps : agg.current_rps,
                     reqs ? (num(agg.num_failures) || 0) / reqs : 0);
        $('m-users').parentNode.querySelector('dt').textContent = 'Peak users';
        setText($('host'), opts.host || '');

        var meta = [];
        if (r.script) meta.push(r.script);
        if (num(r.start_time)) {
            var span = fmtDate(r.start_time);
            if (num(r.end_time)) span += ' \u2192 ' + fmtTime(r.end_time) + ' (' + fmtDuration(r.end_time - r.start_time) + ')';
            meta.push(span);
        }
        if (r.swarm_version) meta.push('Swarm ' + r.swarm_version);
        if (r.self_check) meta.push(selfFigures(r.self_check, true));
        var http = r.http;
        if (http && http.requests) {
            /* engines that carried the run, and the average phase times */
            var eng = [];
            if (num(http.requests.native)) eng.push('native ' + http.requests.native);
            if (num(http.requests.curl)) eng.push('curl ' + http.requests.curl);
            var ph = http.phases_ms || {};
            meta.push('HTTP engine ' + (eng.join(', ') || http.mode) +
                      ' \u00b7 connect ' + (num(ph.connect) || 0).toFixed(2) + ' ms' +
                      (num(ph.tls) ? ', TLS ' + ph.tls.toFixed(2) + ' ms' : '') +
                      ', first byte ' + (num(ph.ttfb) || 0).toFixed(2) + ' ms' +
                      ', download ' + (num(ph.download) || 0).toFixed(2) + ' ms');
        }
        setText($('meta'), meta.join(' \u00b7 '));

        /* Whole-run rates in the two rate columns. */
        setText($('h-rps'), 'RPS');
        setText($('h-fps'), 'Failures/s');
        COLUMNS[9][0] = 'total_rps';
        COLUMNS[10][0] = 'total_fail_per_sec';
        stats = stats.map(function (e) {
            var c = Object.assign({}, e);
            if (num(c.total_rps) === null) c.total_rps = c.current_rps;
            if (num(c.total_fail_per_sec) === null) c.total_fail_per_sec = c.current_fail_per_sec;
            return c;
        });
        renderStats(stats);
        renderFailures(r.errors);
        renderExceptions(r.exceptions);
        renderSlaves(r.slaves);
        renderNumbers(r);
        renderArrival(r.arrival);
        renderCharts(history);
        renderPercentiles(stats);

        /* Downloads: the embedded result itself; the CSV routes need the server. */
        var list = $('downloads');
        list.textContent = '';
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.textContent = 'Result (JSON)';
        a.download = 'swarm_result.json';
        a.href = URL.createObjectURL(new Blob([JSON.stringify(r, null, 2)], { type: 'application/json' }));
        li.appendChild(a);
        var span = document.createElement('span');
        span.textContent = 'the complete result this report was made from (the --json document)';
        li.appendChild(span);
        list.appendChild(li);
    }

    /* ---- tabs ------------------------------------------------------------ */

    function setupTabs() {
        var tabs = document.querySelectorAll('.tab');
        Array.prototype.forEach.call(tabs, function (t) {
            t.addEventListener('click', function () {
                Array.prototype.forEach.call(tabs, function (u) {
                    var on = u === t;
                    u.setAttribute('aria-selected', on ? 'true' : 'false');
                    $('tab-' + u.getAttribute('data-tab')).hidden = !on;
                });
            });
        });
    }

    setupTabs();
    setupSorting();
    setupCharts();
    renderStats([]);
    renderFailures([]);
    renderExceptions([]);
    if (REPORT) {
        renderReport(REPORT);
    } else {
        setupLive();
    }
})();
