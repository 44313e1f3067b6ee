/*
 * report.js: draws a cargo-profiler page from the data inside it: the JSON
 * report (#cprof-data, "cprof-report-1" or "cprof-diff-1", exactly what
 * --format json prints) and, for a profile, #cprof-meta (the ratios the
 * events allow, each thread of each process) and #cprof-part-N (a thread's
 * own report). Nothing is fetched: the page works opened from disk.
 * Tables and trees render only what is in view (the first rows, a node's
 * children when it is opened), so 10 000 regions open at once.
 */
(function () {
  'use strict';

  /* ---- figures, printed as cli/views/util.c prints them ---------------- */

  /* printf("%.*f"): the double's exact value rounded, ties to even (JS's
   * toFixed takes the larger on an exact tie: 1.125 -> "1.13", C "1.12"). */
  function fixed(x, d) {
    if (x < 0) return '-' + fixed(-x, d);
    var exact = x.toFixed(Math.min(100, d + 40)), dot = exact.indexOf('.');
    if (!/^50*$/.test(exact.slice(dot + 1 + d))) return x.toFixed(d);
    var kept = Number(exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + d));
    if (kept % 2) kept += 1;
    var s = String(kept);
    if (d === 0) return s;
    while (s.length <= d) s = '0' + s;
    return s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }
  function sig3(v, unit) {
    return (v < 10 ? fixed(v, 2) : v < 100 ? fixed(v, 1) : fixed(v, 0)) + unit;
  }
  function fmtTime(ns) {
    if (ns < 1000) return fixed(ns, 0) + ' ns';
    if (ns < 999.5e3) return sig3(ns / 1e3, ' us');
    if (ns < 999.5e6) return sig3(ns / 1e6, ' ms');
    return sig3(ns / 1e9, ' s');
  }
  function fmtCount(n) {
    if (n < 0) return '-' + fmtCount(-n);
    if (n < 1000) return fixed(n, 0);
    if (n < 999.5e3) return sig3(n / 1e3, 'K');
    if (n < 999.5e6) return sig3(n / 1e6, 'M');
    if (n < 999.5e9) return sig3(n / 1e9, 'G');
    return sig3(n / 1e12, 'T');
  }
  function fmtValue(v, isTime) { return isTime ? fmtTime(v) : fmtCount(v); }
  function fmtPercent(part, whole) {
    if (!(whole > 0)) return '-';
    return (part >= whole ? '100.0' : fixed(100 * part / whole, 1)) + '%';
  }
  function fmtSigned(p) { return (p >= 0 ? '+' : '') + fixed(p, 1) + '%'; }
  function location(r) {
    if (!r.file) return '';
    return r.line > 0 ? r.file + ':' + r.line : r.file;
  }

  /* ---- the DOM ------------------------------------------------------------ */

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else if (k === 'on') for (var ev in attrs.on) e.addEventListener(ev, attrs.on[ev]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function data(id) {
    var s = document.getElementById(id);
    return s ? JSON.parse(s.textContent) : null;
  }
  function section(id, title, kids) {
    var s = document.getElementById(id);
    if (!s) return null;
    s.classList.add('cprof-section');
    s.insertBefore(el('h2', {text: title, id: id + '-title'}), s.firstChild);
    s.setAttribute('aria-labelledby', id + '-title');
    (kids || []).forEach(function (k) { if (k) s.appendChild(k); });
    return s;
  }

  /* ---- a sortable table: columns {title, num, get(row) -> value to sort,
   * show(row) -> text, cls(row)}; rows shown PAGE at a time ---------------- */

  var PAGE = 200;

  function sortValue(v) { return v == null ? -Infinity : v; }

  function Table(opts) {
    var cols = opts.columns, all = opts.rows, view = all, shown = 0;
    var sorted = -1, dir = 0;   /* dir: -1 descending, 1 ascending */
    var filter = '';
    var table = el('table', {cls: 'cprof-grid', id: opts.id});
    if (opts.caption) table.appendChild(el('caption', {text: opts.caption}));
    var head = el('tr'), body = el('tbody');
    var heads = cols.map(function (c, i) {
      var b = el('button', {type: 'button', 'data-col': String(i), on: {click: function () { sortBy(i); }}},
                 [c.title, el('span', {cls: 'cprof-ind', 'aria-hidden': 'true'})]);
      var th = el('th', {scope: 'col', cls: c.num ? 'num' : '', title: c.help || ''}, [b]);
      head.appendChild(th);
      return th;
    });
    table.appendChild(el('thead', {}, [head]));
    table.appendChild(body);
    var status = el('p', {cls: 'cprof-more', 'aria-live': 'polite'});
    var more = el('button', {type: 'button', on: {click: function () { render(shown + 5 * PAGE); }}});
    var rest = el('button', {type: 'button', on: {click: function () { render(view.length); }}});

    function matches(r) {
      if (!filter) return true;
      return (opts.name(r) || '').toLowerCase().indexOf(filter) >= 0;
    }
    function order() {
      view = all.filter(matches);
      if (sorted < 0) return;
      var c = cols[sorted], keyed = view.map(function (r, i) { return {k: sortValue(c.get(r)), i: i, r: r}; });
      keyed.sort(function (x, y) {
        var a = x.k, b = y.k;
        var d = c.num ? (a < b ? -1 : a > b ? 1 : 0) : String(a).localeCompare(String(b));
        return d * dir || x.i - y.i;   /* ties keep the report's order */
      });
      view = keyed.map(function (x) { return x.r; });
    }
    function row(r) {
      var tr = el('tr');
      cols.forEach(function (c) {
        var td = el('td', {cls: (c.num ? 'num' : '') + (c.cls ? ' ' + c.cls(r) : '')}, [c.show(r)]);
        var v = c.num && c.exact !== false ? c.get(r) : null;
        if (typeof v === 'number' && Number.isInteger(v)) {   /* the exact figure, on hover and for tools */
          td.setAttribute('data-v', String(v));
          td.title = String(v);
        }
        tr.appendChild(td);
      });
      if (opts.onRow) opts.onRow(tr, r);
      return tr;
    }
    function render(upto) {
      var n = Math.min(upto, view.length);
      if (n < shown) { body.textContent = ''; shown = 0; }
      var frag = document.createDocumentFragment();
      for (var i = shown; i < n; i++) frag.appendChild(row(view[i]));
      body.appendChild(frag);
      shown = n;
      status.textContent = view.length === all.length
        ? (shown < view.length ? 'showing ' + shown + ' of ' + view.length + ' rows ' : '')
        : shown + ' of ' + view.length + ' matching rows (of ' + all.length + ') ';
      more.textContent = 'show ' + Math.min(5 * PAGE, view.length - shown) + ' more';
      rest.textContent = 'show all ' + view.length;
      more.hidden = rest.hidden = shown >= view.length;
    }
    function sortBy(i) {
      dir = i === sorted ? -dir : cols[i].num ? -1 : 1;
      sorted = i;
      heads.forEach(function (th, j) {
        var s = j === i ? (dir < 0 ? 'descending' : 'ascending') : 'none';
        th.setAttribute('aria-sort', s);
        th.querySelector('.cprof-ind').textContent = j === i ? (dir < 0 ? ' \u25BC' : ' \u25B2') : '';
      });
      order();
      body.textContent = '';
      shown = 0;
      render(PAGE);
    }
    var box = null;
    if (opts.name) {
      var input = el('input', {type: 'search', placeholder: 'filter by name', 'aria-label': 'filter rows by name',
                               on: {input: function () {
                                 filter = input.value.toLowerCase();
                                 order(); body.textContent = ''; shown = 0; render(PAGE);
                               }}});
      box = el('div', {cls: 'cprof-tools'}, [input]);
    }
    render(PAGE);
    return {
      node: el('div', {cls: 'cprof-table'}, [box, el('div', {cls: 'cprof-scroll'}, [table]), el('div', {cls: 'cprof-pager'}, [status, more, rest])]),
      sortBy: sortBy, table: table
    };
  }

  /* ---- a collapsible tree: nodes {node, parent, name}, children drawn when
   * their parent opens, PAGE at a time ------------------------------------- */

  function Tree(opts) {
    var nodes = opts.nodes, kids = {}, ordered = {};
    nodes.forEach(function (n) { (kids[n.parent] = kids[n.parent] || []).push(n); });
    function childrenOf(id) {   /* ordered when first opened: most nodes never are */
      var list = kids[id] || [];
      if (!ordered[id]) { list.sort(opts.order); ordered[id] = true; }
      return list;
    }
    var cols = opts.columns;
    var table = el('table', {cls: 'cprof-grid cprof-treegrid', role: 'treegrid', id: opts.id});
    var head = el('tr', {}, [el('th', {scope: 'col', text: opts.first})].concat(cols.map(function (c) {
      return el('th', {scope: 'col', cls: c.num ? 'num' : '', text: c.title});
    })));
    var body = el('tbody');
    table.appendChild(el('thead', {}, [head]));
    table.appendChild(body);

    function line(n, depth) {
      var has = !!kids[n.node];
      var tr = el('tr', {'aria-level': String(depth), 'data-node': String(n.node)});
      var name = el('td', {cls: 'cprof-path', style: 'padding-left:' + (0.3 + 1.1 * Math.min(depth - 1, 60)) + 'em'});
      if (has) {
        tr.setAttribute('aria-expanded', 'false');
        name.appendChild(el('button', {type: 'button', cls: 'cprof-toggle', 'aria-label': 'open or close',
                                       on: {click: function () { toggle(tr); }}}, ['\u25B8']));
      } else {
        name.appendChild(el('span', {cls: 'cprof-leaf', 'aria-hidden': 'true'}, ['\u00B7']));
      }
      name.appendChild(el('span', {cls: 'cprof-name', title: n.name}, [opts.label(n)]));
      tr.appendChild(name);
      cols.forEach(function (c) {
        tr.appendChild(el('td', {cls: (c.num ? 'num' : '') + (c.cls ? ' ' + c.cls(n) : '')}, [c.show(n)]));
      });
      return tr;
    }
    /* rows for the children of node id from `from` on, inserted before `at` */
    function children(id, depth, from) {
      var list = childrenOf(id), end = Math.min(list.length, from + PAGE), frag = document.createDocumentFragment();
      for (var i = from; i < end; i++) frag.appendChild(line(list[i], depth));
      if (end < list.length) {
        var tr = el('tr', {cls: 'cprof-tree-more', 'aria-level': String(depth)});
        var b = el('button', {type: 'button', text: 'show ' + Math.min(PAGE, list.length - end) + ' more of ' +
                              (list.length - end) + ' hidden',
                              on: {click: function () { var next = tr.nextSibling; tr.remove(); body.insertBefore(children(id, depth, end), next); }}});
        tr.appendChild(el('td', {colspan: String(cols.length + 1), style: 'padding-left:' + (0.3 + 1.1 * (depth - 1)) + 'em'}, [b]));
        frag.appendChild(tr);
      }
      return frag;
    }
    function open(tr) {
      var depth = Number(tr.getAttribute('aria-level'));
      tr.setAttribute('aria-expanded', 'true');
      tr.querySelector('.cprof-toggle').textContent = '\u25BE';
      body.insertBefore(children(Number(tr.getAttribute("data-node")), depth + 1, 0), tr.nextSibling);
    }
    function close(tr) {
      var depth = Number(tr.getAttribute('aria-level'));
      tr.setAttribute('aria-expanded', 'false');
      tr.querySelector('.cprof-toggle').textContent = '\u25B8';
      while (tr.nextSibling && Number(tr.nextSibling.getAttribute('aria-level')) > depth) tr.nextSibling.remove();
    }
    function toggle(tr) {
      if (tr.getAttribute('aria-expanded') === 'true') close(tr); else open(tr);
    }
    body.appendChild(children(0, 1, 0));
    /* the top levels open, as long as that stays a screenful or two */
    var budget = 300;
    [1, 2].forEach(function (level) {
      Array.prototype.slice.call(body.querySelectorAll('tr[aria-level="' + level + '"][aria-expanded="false"]')).forEach(function (tr, i) {
        var n = Math.min(PAGE, (kids[tr.getAttribute('data-node')] || []).length) + 1;
        if (budget >= n || (level === 1 && i === 0)) { budget -= n; open(tr); }
      });
    });
    return {node: el('div', {cls: 'cprof-scroll'}, [table]), toggle: toggle, table: table};
  }

  /* ---- the profile page --------------------------------------------------- */

  function summary(d, meta, extra) {
    var items = [];
    function add(k, v) { if (v != null && v !== '') items.push(el('dt', {text: k}), el('dd', {}, [v])); }
    add(d.tool === 'cprof' ? 'command' : 'tool', d.command || d.tool);
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

  function nav(links) {
    var n = document.getElementById('cprof-nav');
    links.forEach(function (l) {
      if (document.getElementById(l[0])) n.appendChild(el('a', {href: '#' + l[0], text: l[1]}));
    });
  }

  function counter(r, ev, which) { var c = r.counters && r.counters[ev]; return c ? c[which] : 0; }

  function derivedValue(dv, vals) {
    var num = 0, den = 0;
    dv.num.forEach(function (m) { num += vals(m); });
    dv.den.forEach(function (m) { den += vals(m); });
    return den > 0 ? num / den : -1;
  }
  function derivedText(dv, v) {
    return v < 0 ? '-' : dv.percent ? fixed(100 * v, 1) + '%' : fixed(v, 2);
  }
  function derivedColumns(meta, vals) {
    return ((meta && meta.derived) || []).map(function (dv) {
      return {title: dv.label, num: true, help: dv.num.join('+') + ' / ' + dv.den.join('+'),
              get: function (r) { return derivedValue(dv, vals(r)); },
              show: function (r) { return derivedText(dv, derivedValue(dv, vals(r))); }};
    });
  }
  function label(r) { return r.label || r.name; }

  /* The columns of the table view (cli/views/table.c), regions. */
  function regionColumns(d, meta) {
    var total = d.totals.time_ns;
    var cols = [
      {title: 'region', get: label, show: label, cls: function () { return 'cprof-name'; }},
      {title: 'calls', num: true, get: function (r) { return r.calls; }, show: function (r) { return fmtCount(r.calls); }},
      {title: 'incl', num: true, help: 'inclusive time', get: function (r) { return r.incl_ns; }, show: function (r) { return fmtTime(r.incl_ns); }}];
    if (d.runs) cols.push({title: '+-', num: true, exact: false, help: 'half the interval of the mean, of incl',
                           get: function (r) { return r.incl_ns > 0 ? r.incl_ns_ci_half / r.incl_ns : 0; },
                           show: function (r) { return fmtPercent(r.incl_ns_ci_half, r.incl_ns); }});
    cols.push(
      {title: 'excl', num: true, help: 'exclusive (self) time', get: function (r) { return r.excl_ns; }, show: function (r) { return fmtTime(r.excl_ns); }},
      {title: 'excl%', num: true, exact: false, help: 'share of the total time', get: function (r) { return r.excl_ns; }, show: function (r) { return fmtPercent(r.excl_ns, total); }},
      {title: 'mean', num: true, help: 'inclusive time per call', get: function (r) { return r.calls ? r.incl_ns / r.calls : null; },
       show: function (r) { return r.calls ? fmtTime(r.incl_ns / r.calls) : '-'; }});
    d.events.forEach(function (ev) {
      ['incl', 'excl'].forEach(function (w) {
        cols.push({title: ev + ' ' + w, num: true, get: function (r) { return counter(r, ev, w); },
                   show: function (r) { return fmtCount(counter(r, ev, w)); }});
      });
    });
    cols = cols.concat(derivedColumns(meta, function (r) { return function (m) { return counter(r, m, 'incl'); }; }));
    cols.push({title: 'location', get: location, show: location, cls: function () { return 'cprof-dim'; }});
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
    cols.push({title: 'calls', num: true, get: function (f) { return d.tool === 'cachegrind' ? null : f.calls; },
               show: function (f) { return d.tool === 'cachegrind' ? '-' : fmtCount(f.calls); }});
    cols = cols.concat(derivedColumns(meta, function (f) { return function (m) { return f.self[m] || 0; }; }));
    cols.push({title: 'function', get: function (f) { return f.name; }, show: function (f) { return f.name; }, cls: function () { return 'cprof-name'; }},
              {title: 'location', get: location, show: location, cls: function () { return 'cprof-dim'; }},
              {title: 'object', get: function (f) { return f.object || ''; }, show: function (f) { return f.object || ''; }, cls: function () { return 'cprof-dim'; }});
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
      {title: 'incl', num: true, show: function (n) { return fmtTime(n.incl_ns); }},
      {title: 'excl', num: true, show: function (n) { return fmtTime(n.excl_ns); }},
      {title: 'incl%', num: true, show: function (n) { return fmtPercent(n.incl_ns, total); }},
      {title: 'mean', num: true, show: function (n) { return n.calls ? fmtTime(n.incl_ns / n.calls) : '-'; }}];
    evs.forEach(function (ev) {
      ['incl', 'excl'].forEach(function (w) {
        cols.push({title: ev + ' ' + w, num: true, show: function (n) { return fmtCount(counter(n, ev, w)); }});
      });
    });
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
    section('cprof-table', regions ? 'Regions' : 'Functions', [t.node, d.edges ? detail : null]);
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

  /* ---- the comparison page ------------------------------------------------ */

  var VERDICT_RANK = {'regressed': 0, 'improved': 1, 'new': 2, 'gone': 3, 'within noise': 4, 'no noise estimate': 5, 'same': 6};

  function verdictClass(v) { return 'cprof-v-' + v.replace(/ /g, '-'); }

  function verdictText(c) {
    return c.ci ? c.verdict + ' [' + fmtSigned(100 * c.ci[0]) + ', ' + fmtSigned(100 * c.ci[1]) + ']' : c.verdict;
  }

  /* diff_figure's change: "+30.8%", "x1.31", or the change itself from 0 */
  function change(c, isTime) {
    if (c.verdict === 'new' || c.verdict === 'gone' || c.a === c.b) return '';
    if (c.a === 0) return (c.b > 0 ? '+' : '') + fmtValue(c.b, isTime);
    return fmtSigned(100 * (c.b - c.a) / Math.abs(c.a));
  }

  function diffColumns(m) {
    var t = m.is_time;
    return [
      {title: 'name', get: function (r) { return r.label; }, show: function (r) { return r.label; }, cls: function () { return 'cprof-name'; }},
      {title: 'verdict', get: function (r) { return VERDICT_RANK[r.verdict]; }, show: verdictText,
       cls: function (r) { return verdictClass(r.verdict); }},
      {title: 'A', num: true, get: function (r) { return r.verdict === 'new' ? null : r.a; },
       show: function (r) { return r.verdict === 'new' ? '-' : fmtValue(r.a, t); }},
      {title: 'B', num: true, get: function (r) { return r.verdict === 'gone' ? null : r.b; },
       show: function (r) { return r.verdict === 'gone' ? '-' : fmtValue(r.b, t); }},
      {title: 'change', num: true, exact: false, get: function (r) { return r.a !== 0 ? (r.b - r.a) / Math.abs(r.a) : r.b - r.a; },
       show: function (r) { return change(r, t); }, cls: function (r) { return verdictClass(r.verdict); }},
      {title: 'ratio', num: true, get: function (r) { return r.ratio; }, show: function (r) { return r.ratio == null || r.a === r.b ? '' : 'x' + fixed(r.ratio, 2); }},
      {title: 'delta', num: true, get: function (r) { return r.delta; }, show: function (r) { return (r.delta > 0 ? '+' : '') + fmtValue(r.delta, t); }},
      {title: 'location', get: location, show: location, cls: function () { return 'cprof-dim'; }}];
  }

  function verdictCounts(rows) {
    var n = {};
    rows.forEach(function (r) { n[r.verdict] = (n[r.verdict] || 0) + 1; });
    return Object.keys(VERDICT_RANK).filter(function (v) { return n[v]; }).map(function (v) {
      return n[v] + ' ' + (v === 'same' ? 'unchanged' : v);
    }).join(', ') || 'no rows';
  }

  function diffPage(d) {
    var s = document.getElementById('cprof-summary');
    s.appendChild(el('h1', {}, ['cargo-profiler ', el('span', {cls: 'cprof-kind', text: 'diff (' + d.kind + ')'})]));
    function side(x) { return el('dd', {}, [x.name + ' (' + x.runs + ' run' + (x.runs === 1 ? '' : 's') + ')']); }
    s.appendChild(el('dl', {cls: 'cprof-facts'}, [
      el('dt', {text: 'A'}), side(d.a), el('dt', {text: 'B'}), side(d.b),
      el('dt', {text: 'metrics'}), el('dd', {text: d.metrics.map(function (m) { return m.name; }).join(', ')}),
      el('dt', {text: 'verdicts'}), el('dd', {text: 'at ' + fixed(100 * d.confidence, 0) + '% confidence, changes within +-' +
                                                 fixed(100 * d.noise, 1) + '% are noise; exact metrics: any change counts'})]));
    var warn = d.broken_limits.map(function (b) {
      return el('li', {cls: 'cprof-v-regressed', text: 'limit ' + b.limit + ' broken by ' + b.row + ': ' + b.why});
    });
    if (warn.length) s.appendChild(el('ul', {cls: 'cprof-limits', 'aria-label': 'broken limits'}, warn));
    if (d.notes.length) s.appendChild(el('ul', {cls: 'cprof-notes', 'aria-label': 'notes'}, d.notes.map(function (n) { return el('li', {text: n}); })));

    var byMetric = {};
    d.rows.forEach(function (r) { (byMetric[r.metric] = byMetric[r.metric] || []).push(r); });
    var box = el('div', {id: 'cprof-diff-view'}), counts = el('p', {cls: 'cprof-counts', 'aria-live': 'polite'});
    var select = el('select', {id: 'cprof-metric', 'aria-label': 'metric',
                               on: {change: function () { show(select.value); }}},
                    d.metrics.map(function (m) { return el('option', {value: m.name, text: m.name}); }));
    select.value = d.sort;
    function show(name) {
      var m = d.metrics.filter(function (x) { return x.name === name; })[0], rows = byMetric[name] || [];
      counts.textContent = name + ': ' + verdictCounts(rows);
      box.textContent = '';
      var t = Table({id: 'cprof-diff', columns: diffColumns(m), rows: rows, name: function (r) { return r.name + ' ' + r.label; },
                     caption: rows.length + ' ' + (d.kind === 'regions' ? 'regions' : 'functions') + ', ' +
                              (d.inclusive ? 'inclusive' : 'self') + ' ' + name});
      box.appendChild(t.node);
    }
    section('cprof-table', 'Comparison', [el('label', {}, ['metric ', select]), counts, box]);
    show(d.sort);
    if (d.tree.length) section('cprof-tree', 'Call tree', [diffTree(d)]);
    else document.getElementById('cprof-tree').remove();
    var flame = document.getElementById('cprof-flame');
    if (flame) section('cprof-flame', 'Differential flame graphs', []);
    nav([['cprof-table', 'comparison'], ['cprof-tree', 'call tree'], ['cprof-flame', 'flame graphs']]);
  }

  function diffTree(d) {
    var m = d.metrics.filter(function (x) { return x.name === d.sort; })[0] || d.metrics[0], t = m.is_time;
    function c(n) { return n.metrics[m.name]; }
    var cols = [
      {title: 'A', num: true, show: function (n) { return c(n).verdict === 'new' ? '-' : fmtValue(c(n).a, t); }},
      {title: 'B', num: true, show: function (n) { return c(n).verdict === 'gone' ? '-' : fmtValue(c(n).b, t); }},
      {title: 'change', num: true, exact: false, show: function (n) { return change(c(n), t); }, cls: function (n) { return verdictClass(c(n).verdict); }},
      {title: 'verdict', show: function (n) { return verdictText(c(n)); }, cls: function (n) { return verdictClass(c(n).verdict); }}];
    return Tree({id: 'cprof-difftree', nodes: d.tree, first: 'call path (' + m.name + ')', columns: cols, label: function (n) { return n.name; },
                 order: function (a, b) {
                   return Math.abs(c(b).b - c(b).a) - Math.abs(c(a).b - c(a).a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
                 }}).node;
  }

  /* ---- start ---------------------------------------------------------------- */

  /* what drawing took, by step (bench/html.sh reads it) */
  var timings = {}, clock = performance.now();
  function step(name) { var t = performance.now(); timings[name] = t - clock; clock = t; }
  var d = data('cprof-data');
  step('parse');
  if (d && d.format === 'cprof-diff-1') diffPage(d);
  else if (d) reportPage(d, step);
  step('rest');
  document.body.setAttribute('data-ready', '1');
  window.cprofReport = {fixed: fixed, fmtTime: fmtTime, fmtCount: fmtCount, fmtPercent: fmtPercent, timings: timings};
})();
