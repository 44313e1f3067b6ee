/*
 * report_table.js: a sortable table that draws PAGE rows at a time (a
 * click on a header: numbers largest first, names A to Z; again: the
 * other way; ties keep the report's order), with a filter by name and the
 * exact figure of each numeric cell in data-v (and on hover).
 */
(function () {
  'use strict';
  var el = cprofDom.el;
  var PAGE = cprofDom.PAGE;

  /* ---- a sortable table: columns {title, num, get(row) -> value to sort,
   * show(row) -> text, cls(row)}; rows shown PAGE at a time ---------------- */

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

  window.cprofTable = {Table: Table};
})();
