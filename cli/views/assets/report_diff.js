/*
 * report_diff.js: the page of a comparison ("cprof-diff-1" in #cprof-data):
 * per metric each row's A, B, change and verdict (red regressed, green
 * improved), sortable, the merged call tree, the differential flame graphs
 * drawn inline by the C side.
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
  var section = cprofDom.section;
  var nav = cprofDom.nav;
  var Table = cprofTable.Table;
  var Tree = cprofTree.Tree;

  /* ---- the comparison page ------------------------------------------------ */

  var VERDICT_RANK = {'regressed': 0, 'improved': 1, 'new': 2, 'gone': 3, 'within noise': 4, 'inconclusive': 4, 'untrusted': 4, 'no noise estimate': 5, 'same': 6};

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

  /* The text views' marks (diff_figure_marked), for one side (0: A, 1: B)
   * as the page has a column each: "~" on a metric scaled where sampled
   * there, "!" on time mostly the profiler's there. */
  function mark(x, m, side) {
    if (!x.timed_every) return '';
    return (m.scaled && x.timed_every[side] > 1 ? '~' : '') + (m.is_time && x.low_trust[side] ? '!' : '');
  }

  function diffColumns(m) {
    var t = m.is_time;
    return [
      {title: 'name', get: label, show: label, cls: function () { return 'cprof-name'; }},
      {title: 'verdict', get: function (r) { return VERDICT_RANK[r.verdict]; }, show: verdictText,
       cls: function (r) { return verdictClass(r.verdict); }},
      {title: 'A', num: true, get: function (r) { return r.verdict === 'new' ? null : r.a; },
       show: function (r) { return r.verdict === 'new' ? '-' : mark(r, m, 0) + fmtValue(r.a, t); }},
      {title: 'B', num: true, get: function (r) { return r.verdict === 'gone' ? null : r.b; },
       show: function (r) { return r.verdict === 'gone' ? '-' : mark(r, m, 1) + fmtValue(r.b, t); }},
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
      {title: 'A', num: true, show: function (n) { return c(n).verdict === 'new' ? '-' : mark(n, m, 0) + fmtValue(c(n).a, t); }},
      {title: 'B', num: true, show: function (n) { return c(n).verdict === 'gone' ? '-' : mark(n, m, 1) + fmtValue(c(n).b, t); }},
      {title: 'change', num: true, exact: false, show: function (n) { return change(c(n), t); }, cls: function (n) { return verdictClass(c(n).verdict); }},
      {title: 'verdict', show: function (n) { return verdictText(c(n)); }, cls: function (n) { return verdictClass(c(n).verdict); }}];
    return Tree({id: 'cprof-difftree', nodes: d.tree, first: 'call path (' + m.name + ')', columns: cols, label: label,
                 order: function (a, b) {
                   return Math.abs(c(b).b - c(b).a) - Math.abs(c(a).b - c(a).a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
                 }}).node;
  }

  window.cprofDiff = {diffPage: diffPage};
})();
