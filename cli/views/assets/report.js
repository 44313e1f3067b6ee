/*
 * report.js: draws a cargo-profiler page from the data inside it: the JSON
 * report (#cprof-data, "cprof-report-1" or "cprof-diff-1", exactly what
 * --format json prints) and, for a profile, #cprof-meta (the ratios the
 * events allow, each thread of each process) and #cprof-part-N (a thread's
 * own report): the summary, the table, the call tree, the threads and
 * processes (a comparison: report_diff.js). Nothing is fetched: the page
 * works opened from disk. It runs last of the page's scripts
 * (report_figures.js, report_dom.js, report_table.js, report_tree.js,
 * report_diff.js before it).
 */
(function () {
  'use strict';
  var fixed = cprofFigures.fixed;
  var fmtTime = cprofFigures.fmtTime;
  var fmtCount = cprofFigures.fmtCount;
  var fmtValue = cprofFigures.fmtValue;
  var fmtPercent = cprofFigures.fmtPercent;
  var fmtSigned = cprofFigures.fmtSigned;
  var location = cprofFigures.location;
  var label = cprofFigures.label;
  var el = cprofDom.el;
  var data = cprofDom.data;
  var section = cprofDom.section;
  var PAGE = cprofDom.PAGE;
  var nav = cprofDom.nav;
  var Table = cprofTable.Table;
  var Tree = cprofTree.Tree;

  /* ---- the profile page --------------------------------------------------- */

  function summary(d, meta, extra) {
    var items = [];
    function add(k, v) { if (v != null && v !== '') items.push(el('dt', {text: k}), el('dd', {}, [v])); }
    add(d.tool === 'cprof' ? 'command' : 'tool', d.tool === 'cprof' ? d.command || d.tool : d.tool);
    if (d.command && d.tool !== 'cprof') add('command', d.command);
    if (d.host || d.cpu) add('host', (d.host || '?') + (d.cpu ? ' (' + d.cpu + ')' : ''));
    add('events', (d.tool === 'cprof' ? ['time'] : []).concat(d.events).join(', ') || 'none');
    (extra || []).forEach(function (kv) { add(kv[0], kv[1]); });
    if (d.runs) add('runs', d.runs + ' (every figure is their mean; intervals at ' + fixed(100 * d.confidence, 0) + '%)');
    if (d.program) add('program', d.program.signal ? 'killed by signal ' + d.program.signo + ' (' + d.program.signal + ')'
                                                   : 'exited with status ' + d.program.status);
    var warn = [];
    d.missing.forEach(function (m) { warn.push(el('li', {cls: 'cprof-warn'}, ['missing: ' + m.name + ': ' + m.reason])); });
    if (d.program && (d.program.signal || d.program.status)) items[items.length - 1].classList.add('cprof-warn');
    var notes = d.notes.map(function (n) {
      return el('li', {cls: /^warning/.test(n) ? 'cprof-warn' : ''}, [n]);
    });
    if (d.compensated === false && !d.notes.some(function (n) { return /compensation/.test(n); }))
      notes.push(el('li', {text: 'overhead compensation: off (--no-compensate)'}));
    var s = document.getElementById('cprof-summary');
    s.appendChild(el('h1', {}, ['cargo-profiler ', el('span', {cls: 'cprof-kind', text: d.tool === 'cprof' ? 'regions' : d.tool})]));
    s.appendChild(el('dl', {cls: 'cprof-facts'}, items));
    if (warn.length) s.appendChild(el('ul', {cls: 'cprof-missing', 'aria-label': 'missing events'}, warn));
    if (notes.length) s.appendChild(el('ul', {cls: 'cprof-notes', 'aria-label': 'notes'}, notes));
  }


  function counter(r, ev, which) { var c = r.counters && r.counters[ev]; return c ? c[which] : 0; }

  function derivedValue(dv, vals) {
    var num = 0, den = 0;
    dv.num.forEach(function (m) { num += vals(m); });
    dv.den.forEach(function (m) { den += vals(m); });
    return den > 0 ? (dv.scale || 1) * num / den : -1;
  }
  function derivedText(dv, v) {
    return v < 0 ? '-' : dv.count ? fmtCount(v) : dv.percent ? fixed(100 * v, 1) + '%' : fixed(v, 2);
  }
  function derivedColumns(meta, vals) {
    return ((meta && meta.derived) || []).map(function (dv) {
      return {title: dv.label, num: true, help: dv.num.join('+') + ' / ' + dv.den.join('+'),
              get: function (r) { return derivedValue(dv, vals(r)); },
              show: function (r) { return derivedText(dv, derivedValue(dv, vals(r))); }};
    });
  }

  /* Throttled regions' figures are scaled: "~" before them; the trust
   * column as the table view prints it (cli/views/util.c fmt_trust). */
  function approx(r, text) { return (r.sampled ? '~' : '') + text; }
  function trustText(r) {
    var t = r.sampled ? '~1/' + r.sampled.period : '';
    /* the share is json's (3 decimals, prof_share_shown), the percent printf's %.0f of it */
    if (r.trust === 'low') t += (t ? ' ' : '') + '!' + fixed((r.overhead_share || 0) * 100, 0) + '%';
    if (r.fitted) t += (t ? ' ' : '') + 'fit';
    return t;
  }

  /* The columns of the table view (cli/views/table.c), regions. */
  function regionColumns(d, meta) {
    var total = d.totals.time_ns;
    var cols = [
      {title: 'region', get: label, show: label, cls: function () { return 'cprof-name'; }},
      {title: 'calls', num: true, get: function (r) { return r.calls; }, show: function (r) { return fmtCount(r.calls); }},
      {title: 'incl', num: true, help: 'inclusive time', get: function (r) { return r.incl_ns; }, show: function (r) { return approx(r, fmtTime(r.incl_ns)); }}];
    if (d.runs) cols.push({title: '+-', num: true, exact: false, help: 'half the interval of the mean, of incl',
                           get: function (r) { return r.incl_ns > 0 ? r.incl_ns_ci_half / r.incl_ns : 0; },
                           show: function (r) { return fmtPercent(r.incl_ns_ci_half, r.incl_ns); }});
    cols.push(
      {title: 'excl', num: true, help: 'exclusive (self) time', get: function (r) { return r.excl_ns; }, show: function (r) { return approx(r, fmtTime(r.excl_ns)); }},
      {title: 'excl%', num: true, exact: false, help: 'share of the total time', get: function (r) { return r.excl_ns; }, show: function (r) { return fmtPercent(r.excl_ns, total); }},
      {title: 'mean', num: true, help: 'inclusive time per call', get: function (r) { return r.calls ? r.incl_ns / r.calls : null; },
       show: function (r) { return r.calls ? approx(r, fmtTime(r.incl_ns / r.calls)) : '-'; }});
    d.events.forEach(function (ev) {
      ['incl', 'excl'].forEach(function (w) {
        cols.push({title: ev + ' ' + w, num: true, get: function (r) { return counter(r, ev, w); },
                   show: function (r) { return approx(r, fmtCount(counter(r, ev, w))); }});
      });
    });
    cols = cols.concat(derivedColumns(meta, function (r) {
      return function (m) { return m === 'time_ns' ? r.incl_ns : m === 'calls' ? r.calls : counter(r, m, 'incl'); };
    }));
    if (d.regions.some(function (r) { return trustText(r); }))
      cols.push({title: 'trust', help: '~1/N: throttled, 1 call in N timed (figures scaled); !X%: X% of the measured time was the profiler\'s own; fit: measured less than its throttled children\'s estimates, its own time reads 0',
                 get: trustText, show: trustText, cls: function () { return 'cprof-trust'; }});
    cols.push({title: 'location', get: location, show: location, cls: function () { return 'cprof-dim'; }});
    return cols;
  }

  /* The table view's per-process section (table.c's spread_table): how each
   * region's exclusive figures spread across the processes that entered it. */
  function spreadColumns(d) {
    function fig(r, ev) { var p = r.per_process; return p && (ev ? p.counters[ev] : p.excl_ns); }
    var cols = [
      {title: 'region', get: label, show: label, cls: function () { return 'cprof-name'; }},
      {title: 'procs', num: true, get: function (r) { return r.per_process ? r.per_process.processes : 0; },
       show: function (r) { return String(r.per_process ? r.per_process.processes : 0); }}];
    [null].concat(d.events).forEach(function (ev) {
      var show = ev ? fmtCount : fmtTime;
      ['min', 'median', 'max'].forEach(function (w, i) {
        cols.push({title: i ? w : (ev || 'time') + ' min', num: true,
                   get: function (r) { var f = fig(r, ev); return f ? f[w] : null; },
                   show: function (r) { var f = fig(r, ev); return f ? show(f[w]) : '-'; }});
      });
      cols.push({title: 'imbalance', num: true, exact: false, help: '(max - mean) / max',
                 get: function (r) { var f = fig(r, ev); return f ? f.imbalance : null; },
                 show: function (r) { var f = fig(r, ev); return f ? fmtPercent(f.imbalance, 1) : '-'; }});
    });
    return cols;
  }

  /* Valgrind functions (table.c's functions_table). */
  function functionColumns(d, meta) {
    var incl = d.functions.some(function (f) { return !!f.incl; }), first = d.events[0], cols = [];
    d.events.forEach(function (ev) {
      cols.push({title: ev + ' self', num: true, get: function (f) { return f.self[ev]; }, show: function (f) { return fmtCount(f.self[ev]); }});
      if (incl) cols.push({title: ev + ' incl', num: true, get: function (f) { return f.incl ? f.incl[ev] : null; },
                           show: function (f) { return f.incl ? fmtCount(f.incl[ev]) : '-'; }});
    });
    if (first)   /* the share of the default order's metric, as the table view's */
      cols.push({title: first + ' self%', num: true, exact: false, get: function (f) { return f.self[first]; },
                 show: function (f) { return fmtPercent(f.self[first], d.totals[first]); }});
    /* as table.c: no calls column where none are counted (model_has_calls), no
     * object column where no function has one (rows_have_object) */
    if (d.tool !== 'cachegrind' && d.tool !== 'dhat')
      cols.push({title: 'calls', num: true, get: function (f) { return f.calls; }, show: function (f) { return fmtCount(f.calls); }});
    cols = cols.concat(derivedColumns(meta, function (f) { return function (m) { return f.self[m] || 0; }; }));
    cols.push({title: 'function', get: function (f) { return f.name; }, show: function (f) { return f.name; }, cls: function () { return 'cprof-name'; }},
              {title: 'location', get: location, show: location, cls: function () { return 'cprof-dim'; }});
    if (d.functions.some(function (f) { return !!f.object; }))
      cols.push({title: 'object', get: function (f) { return f.object || ''; }, show: function (f) { return f.object || ''; }, cls: function () { return 'cprof-dim'; }});
    return cols;
  }

  function cut(d, noun) {
    var n = (d.regions || d.functions).length;
    return n < d.rows_total ? n + ' of ' + d.rows_total + ' ' + noun + ' (-n)' : d.rows_total + ' ' + noun;
  }

  /* Who calls a function and what it calls, from the call edges. */
  function edgesOf(d, i) {
    var fns = d.functions, ev = d.events[0], inn = [], out = [];
    (d.edges || []).forEach(function (g) {
      if (g.callee === i) inn.push(fns[g.caller].name + ' (' + fmtCount(g.calls) + ' calls, ' + fmtCount(g.incl[ev]) + ' ' + ev + ')');
      if (g.caller === i) out.push(fns[g.callee].name + ' (' + fmtCount(g.calls) + ' calls, ' + fmtCount(g.incl[ev]) + ' ' + ev + ')');
    });
    return el('div', {cls: 'cprof-edges'}, [
      el('p', {}, [el('strong', {text: 'callers: '}), inn.join('; ') || 'none recorded']),
      el('p', {}, [el('strong', {text: 'calls: '}), out.join('; ') || 'none recorded'])]);
  }

  function regionTree(d) {
    var total = d.totals.time_ns, evs = d.events;
    var cols = [
      {title: 'calls', num: true, show: function (n) { return fmtCount(n.calls); }},
      {title: 'incl', num: true, show: function (n) { return approx(n, fmtTime(n.incl_ns)); }},
      {title: 'excl', num: true, show: function (n) { return approx(n, fmtTime(n.excl_ns)); }},
      {title: 'incl%', num: true, show: function (n) { return fmtPercent(n.incl_ns, total); }},
      {title: 'mean', num: true, show: function (n) { return n.calls ? approx(n, fmtTime(n.incl_ns / n.calls)) : '-'; }}];
    evs.forEach(function (ev) {
      ['incl', 'excl'].forEach(function (w) {
        cols.push({title: ev + ' ' + w, num: true, show: function (n) { return approx(n, fmtCount(counter(n, ev, w))); }});
      });
    });
    if (d.tree.some(function (n) { return trustText(n); }))
      cols.push({title: 'trust', show: trustText, cls: function () { return 'cprof-trust'; }});
    cols.push({title: 'location', show: location, cls: function () { return 'cprof-dim'; }});
    return Tree({id: 'cprof-calltree', nodes: d.tree, first: 'call path', columns: cols, label: shortName(d.regions),
                 order: function (a, b) { return b.incl_ns - a.incl_ns || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); }});
  }

  /* A node's name as the table labels its region. */
  function shortName(rows) {
    var labels = {};
    (rows || []).forEach(function (r) { if (r.label) labels[r.name + '\u0000' + r.file + '\u0000' + r.line] = r.label; });
    return function (n) { return labels[n.name + '\u0000' + n.file + '\u0000' + n.line] || n.name; };
  }

  function pathTree(d) {
    var evs = d.events, first = evs[0], cols = [];
    evs.forEach(function (ev) {
      cols.push({title: ev + ' incl', num: true, show: function (n) { return fmtCount(n.incl[ev]); }},
                {title: ev + ' self', num: true, show: function (n) { return fmtCount(n.self[ev]); }});
    });
    cols.push({title: first + ' incl%', num: true, show: function (n) { return fmtPercent(n.incl[first], d.totals[first]); }},
              {title: 'calls', num: true, show: function (n) { return n.parent || n.calls ? fmtCount(n.calls) : '-'; }},
              {title: 'location', show: location, cls: function () { return 'cprof-dim'; }},
              {title: 'object', show: function (n) { return n.object || ''; }, cls: function () { return 'cprof-dim'; }});
    /* children in the default order of a valgrind profile: the first event's self cost */
    return Tree({id: 'cprof-calltree', nodes: d.tree, first: 'call path', columns: cols, label: function (n) { return n.name; },
                 order: function (a, b) { return b.self[first] - a.self[first] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); }});
  }

  function sum(list, f) { return list.reduce(function (s, x) { return s + f(x); }, 0); }

  function breakdown(d, meta) {
    var parts = meta && meta.parts;
    if (!parts || !parts.length) {
      var s = document.getElementById('cprof-threads');
      if (s) s.remove();
      return;
    }
    var evs = d.events, total = d.totals.time_ns;
    function evCols(tot) {
      return evs.map(function (ev) {
        return {title: ev, num: true, get: function (p) { return tot(p)[ev]; }, show: function (p) { return fmtCount(tot(p)[ev]); }};
      });
    }
    var procs = {}, order = [];
    parts.forEach(function (p) {
      if (!procs[p.pid]) { procs[p.pid] = {pid: p.pid, threads: 0, calls: 0, totals: {}}; order.push(procs[p.pid]); }
      var q = procs[p.pid];
      q.threads++;
      q.calls += p.calls;
      for (var k in p.totals) q.totals[k] = (q.totals[k] || 0) + p.totals[k];
    });
    var pcols = [
      {title: 'pid', num: true, get: function (q) { return q.pid; }, show: function (q) { return String(q.pid); }},
      {title: 'threads', num: true, get: function (q) { return q.threads; }, show: function (q) { return String(q.threads); }},
      {title: 'calls', num: true, get: function (q) { return q.calls; }, show: function (q) { return fmtCount(q.calls); }},
      {title: 'time', num: true, get: function (q) { return q.totals.time_ns; }, show: function (q) { return fmtTime(q.totals.time_ns); }},
      {title: 'time%', num: true, exact: false, get: function (q) { return q.totals.time_ns; }, show: function (q) { return fmtPercent(q.totals.time_ns, total); }}
    ].concat(evCols(function (q) { return q.totals; }));
    var view = el('div', {id: 'cprof-part-view', 'aria-live': 'polite'});
    var tcols = [
      {title: 'pid', num: true, get: function (p) { return p.pid; }, show: function (p) { return String(p.pid); }},
      {title: 'tid', num: true, get: function (p) { return p.tid; }, show: function (p) { return String(p.tid); }},
      {title: 'thread', get: function (p) { return p.thread; }, show: function (p) { return p.thread; }, cls: function () { return 'cprof-name'; }},
      {title: 'regions', num: true, get: function (p) { return p.regions; }, show: function (p) { return String(p.regions); }},
      {title: 'calls', num: true, get: function (p) { return p.calls; }, show: function (p) { return fmtCount(p.calls); }},
      {title: 'time', num: true, get: function (p) { return p.totals.time_ns; }, show: function (p) { return fmtTime(p.totals.time_ns); }},
      {title: 'time%', num: true, exact: false, get: function (p) { return p.totals.time_ns; }, show: function (p) { return fmtPercent(p.totals.time_ns, total); }}
    ].concat(evCols(function (p) { return p.totals; }));
    tcols.push({title: 'its regions', get: function (p) { return p.report == null ? 1 : 0; }, show: function (p) {
      if (p.report == null) return el('span', {cls: 'cprof-dim', text: 'not kept'});
      return el('button', {type: 'button', cls: 'cprof-show-part', text: 'show',
                           on: {click: function () { showPart(p, view, meta); }}});
    }});
    var notes = [];
    if (meta.parts_total > parts.length)
      notes.push(el('p', {cls: 'cprof-warn', text: 'listing ' + parts.length + ' of ' + meta.parts_total +
                                                 ' threads: a page lists at most ' + meta.parts_listed_max}));
    if (parts.some(function (p) { return p.report == null; }))
      notes.push(el('p', {cls: 'cprof-dim', text: 'the page keeps the regions of the ' + meta.part_reports_max +
                                                 ' busiest threads (by time), each its first ' + meta.part_rows_max +
                                                 '; `report --threads` shows every thread'}));
    var pt = Table({id: 'cprof-processes', caption: order.length + ' process' + (order.length === 1 ? '' : 'es'), columns: pcols, rows: order});
    var tt = Table({id: 'cprof-parts', caption: parts.length + ' thread' + (parts.length === 1 ? '' : 's'), columns: tcols, rows: parts,
                    name: function (p) { return p.thread + ' ' + p.pid + ' ' + p.tid; }});
    section('cprof-threads', 'Processes and threads', [pt.node, tt.node].concat(notes, [view]));
  }

  function showPart(p, view, meta) {
    var d = data('cprof-part-' + p.report);
    view.textContent = '';
    var t = Table({id: 'cprof-part-table', columns: regionColumns(d, meta), rows: d.regions, name: function (r) { return r.name; },
                   caption: 'thread ' + p.tid + ' (' + p.thread + ') of process ' + p.pid + ': ' + cut(d, 'regions')});
    view.appendChild(t.node);
  }

  function reportPage(d, step) {
    var meta = data('cprof-meta') || {};
    var regions = d.tool === 'cprof', rows = regions ? d.regions : d.functions;
    var total = regions
      ? fmtTime(d.totals.time_ns) + ' measured in ' + fmtCount(sum(d.regions, function (r) { return r.calls; })) +
        ' calls of ' + d.rows_total + ' regions'
      : d.events.map(function (ev) { return fmtCount(d.totals[ev]) + ' ' + ev; }).join(', ');
    summary(d, meta, [['total', total]]);
    var detail = el('div', {id: 'cprof-detail', cls: 'cprof-edges-box'});
    var t = Table({id: 'cprof-rows', columns: regions ? regionColumns(d, meta) : functionColumns(d, meta), rows: rows,
                   name: function (r) { return r.name + ' ' + (r.label || ''); },
                   caption: cut(d, regions ? 'regions' : 'functions') + (d.edges ? '; click a row for its callers and callees' : ''),
                   onRow: d.edges ? function (tr, r) {
                     tr.tabIndex = 0;
                     var pick = function () { detail.textContent = ''; detail.appendChild(el('h3', {text: r.name})); detail.appendChild(edgesOf(d, rows.indexOf(r))); };
                     tr.addEventListener('click', pick);
                     tr.addEventListener('keydown', function (e) { if (e.key === 'Enter') pick(); });
                   } : null});
    var spread = regions && d.processes > 1
      ? Table({id: 'cprof-spread', columns: spreadColumns(d), rows: rows, name: function (r) { return r.name + ' ' + (r.label || ''); },
               caption: 'per process (' + d.processes + ' processes): each region\'s exclusive figures over those that ' +
                        'entered it; imbalance = (max - mean) / max'}).node
      : null;
    section('cprof-table', regions ? 'Regions' : 'Functions', [t.node, d.edges ? detail : null, spread]);
    step('table');
    if (d.tree && d.tree.length) section('cprof-tree', 'Call tree', [(regions ? regionTree(d) : pathTree(d)).node]);
    else document.getElementById('cprof-tree').remove();
    step('tree');
    var flame = document.getElementById('cprof-flame');
    if (flame) section('cprof-flame', 'Flame graph', []);
    breakdown(d, meta);
    step('threads');
    nav([['cprof-table', regions ? 'regions' : 'functions'], ['cprof-tree', 'call tree'], ['cprof-flame', 'flame graph'],
         ['cprof-threads', 'threads']]);
  }


  /* ---- start ---------------------------------------------------------- */

  /* what drawing took, by step (bench/html.sh reads it) */
  var timings = {}, clock = performance.now();
  function step(name) { var t = performance.now(); timings[name] = t - clock; clock = t; }
  var d = data('cprof-data');
  step('parse');
  if (d && d.format === 'cprof-diff-1') cprofDiff.diffPage(d);
  else if (d) reportPage(d, step);
  step('rest');
  document.body.setAttribute('data-ready', '1');
  window.cprofReport = {fixed: fixed, fmtTime: fmtTime, fmtCount: fmtCount, fmtPercent: fmtPercent, timings: timings};

})();
