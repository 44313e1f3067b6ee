/* html_callgrind.js: the page of a callgrind file against the CLI's table
 * and tree of it (TABLE, TREE) and its json (WANT). */
T.run('table', function () {
  var text = textGrid(TABLE, WANT.events[0] + ' self');
  T.eq('callgrind: the columns of the table view', heads('cprof-rows'), text.header);
  T.eq('callgrind: every function as the table view prints it', grid('cprof-rows'), text.rows);
  T.eq('callgrind: exact self cost', column('cprof-rows', 0), WANT.functions.map(function (f) { return String(f.self[WANT.events[0]]); }));
});
T.run('tree', function () {
  var text = textGrid(TREE, 'call path');
  T.eq('callgrind: the tree view\'s columns', heads('cprof-calltree'), text.header);
  T.eq('callgrind: the call paths as the tree view prints them', grid('cprof-calltree'), text.rows);
});
T.run('edges', function () {
  var i = WANT.functions.findIndex(function (f) { return f.name === 'demo::fib'; });
  var fib = rowsOf('cprof-rows').filter(function (tr) { return tr.textContent.indexOf('demo::fib') >= 0; })[0];
  click(fib);
  var d = document.getElementById('cprof-detail').textContent;
  var callers = WANT.edges.filter(function (g) { return g.callee === i; }).map(function (g) { return WANT.functions[g.caller].name; });
  T.ok('callgrind: a click on a row names its callers', callers.length > 0 && callers.every(function (c) { return d.indexOf(c) >= 0; }), d);
});
T.done();
