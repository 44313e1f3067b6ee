/* html_big.js: a profile of 10 000 regions (and as many call paths): it
 * opens with its first rows drawn, not all of them; sorting and showing
 * more work. TOP: `report -n 5 --format json` of it. */
var rows = rowsOf('cprof-rows');
T.eq('big: the first rows are there, in the report\'s order', rows.slice(0, 5).map(function (tr) { return tr.cells[0].textContent; }),
     TOP.regions.map(function (r) { return r.label || r.name; }));
T.ok('big: only a page of rows drawn', rows.length > 0 && rows.length <= 500, rows.length);
T.ok('big: the tree draws only what is open', rowsOf('cprof-calltree').length <= 600, rowsOf('cprof-calltree').length);
var all = Array.prototype.filter.call(document.querySelectorAll('#cprof-table .cprof-pager button'), function (b) { return /^show all/.test(b.textContent); })[0];
T.eq('big: a button shows all of them', all && all.textContent, 'show all ' + TOP.rows_total);
sortBy('cprof-rows', 'calls');
T.eq('big: sorted by calls, the most called first', rowsOf('cprof-rows')[0].cells[1].textContent, MOST_CALLS);
click(all);
T.eq('big: then every row', rowsOf('cprof-rows').length, TOP.rows_total);
T.done();
