/* html_report.js: the page of a real run of tests/e2e/fixtures/difffix
 * against what the CLI reported for the same run folder: WANT (its
 * --format json), TABLE and TREE (its table and tree views), EV. */
var EVX = EV + ' excl', EVI = EV + ' incl';
T.run('table', function () {
  var text = textGrid(TABLE, 'region');
  T.eq('table: the columns of the table view', heads('cprof-rows'), text.header);
  T.eq('table: every row and figure as the table view prints them', grid('cprof-rows'), text.rows);
  T.eq('table: exact calls and ' + EV + ' of every region (the json report\'s)',
       table('cprof-rows').map(function (c) { return [c[0], c[1], c[6], c[7]]; }),
       WANT.regions.map(function (r) { return [r.label || r.name, String(r.calls), String(r.counters[EV].incl), String(r.counters[EV].excl)]; }));
});
T.run('sort', function () {
  var label = function (r) { return r.label || r.name; };
  var cases = [['calls', function (r) { return r.calls; }], ['excl', function (r) { return r.excl_ns; }],
               [EVX, function (r) { return r.counters[EV].excl; }], ['mean', function (r) { return r.incl_ns / r.calls; }]];
  cases.forEach(function (c) {
    sortBy('cprof-rows', c[0]);
    T.eq('sort: a click on "' + c[0] + '" orders rows by it, largest first',
         column('cprof-rows', 0), sorted(WANT.regions, c[1], true).map(label));
    T.eq('sort: "' + c[0] + '" says so (aria-sort, arrow)', [header('cprof-rows', c[0]).getAttribute('aria-sort'),
         header('cprof-rows', c[0]).textContent.slice(-1)], ['descending', '\u25BC']);
    sortBy('cprof-rows', c[0]);
    T.eq('sort: a second click on "' + c[0] + '" reverses it', column('cprof-rows', 0), sorted(WANT.regions, c[1], false).map(label));
    T.eq('sort: "' + c[0] + '" ascending', header('cprof-rows', c[0]).getAttribute('aria-sort'), 'ascending');
  });
  sortBy('cprof-rows', 'region');
  T.eq('sort: names A to Z first', column('cprof-rows', 0), sorted(WANT.regions, label, false).map(label));
  T.eq('sort: one column marked at a time', document.querySelectorAll('#cprof-rows th[aria-sort="ascending"], #cprof-rows th[aria-sort="descending"]').length, 1);
  var f = document.querySelector('#cprof-table input[type=search]');
  f.value = 'LEAF';
  f.dispatchEvent(new Event('input'));
  T.eq('filter: by name, any case', column('cprof-rows', 0), ['difffix::leaf']);
  f.value = '';
  f.dispatchEvent(new Event('input'));
  T.eq('filter: cleared, every row again', rowsOf('cprof-rows').length, WANT.regions.length);
});
T.run('tree', function () {
  var text = textGrid(TREE, 'call path');
  T.eq('tree: the columns of the tree view', heads('cprof-calltree'), text.header);
  T.eq('tree: opened as far as the tree view prints, every figure the same', grid('cprof-calltree'), text.rows);
  var byNode = {};
  WANT.tree.forEach(function (n) { byNode[n.node] = n; });
  T.eq('tree: exact calls and ' + EV + ' of every node (the json report\'s)',
       rowsOf('cprof-calltree').map(function (tr) { var c = cellsOf(tr); return [c[1], c[6], c[7]]; }),
       rowsOf('cprof-calltree').map(function (tr) { var n = byNode[tr.getAttribute('data-node')];
         return [String(n.calls), String(n.counters[EV].incl), String(n.counters[EV].excl)]; }));
  var top = rowsOf('cprof-calltree')[0];
  click(top.querySelector('.cprof-toggle'));
  T.eq('tree: closing the top node leaves it alone', [rowsOf('cprof-calltree').length, top.getAttribute('aria-expanded')], [1, 'false']);
  click(top.querySelector('.cprof-toggle'));
  /* run's two children, the longer first (as the page and the tree view
   * order them: on a loaded machine either can be) */
  var ends = function (n, name) { return n.name.slice(-name.length) === name; };
  var run = WANT.tree.filter(function (n) { return n.parent === 0 && ends(n, 'difffix::run'); })[0].node;
  var incl = function (name) {
    return WANT.tree.filter(function (n) { return n.parent === run && ends(n, name); })[0].incl_ns;
  };
  var kids = incl('Parser::parse') >= incl('difffix::render') ? ['Parser::parse', 'difffix::render']
                                                               : ['difffix::render', 'Parser::parse'];
  T.eq('tree: opening it shows its children, closed',
       rowsOf('cprof-calltree').map(function (tr) { return [tr.getAttribute('aria-level'), tr.getAttribute('aria-expanded'), cellsOf(tr)[0]]; }),
       [['1', 'true', '\u25BEdifffix::run'], ['2', 'false', '\u25B8' + kids[0]], ['2', 'false', '\u25B8' + kids[1]]]);
  click(rowsOf('cprof-calltree')[1].querySelector('.cprof-toggle'));
  T.eq('tree: opening a child shows its own child under it', column('cprof-calltree', 0),
       ['\u25BEdifffix::run', '\u25BE' + kids[0], '\u00B7difffix::leaf', '\u25B8' + kids[1]]);
});
T.run('summary', function () {
  var s = document.getElementById('cprof-summary').textContent;
  T.ok('summary: the command', s.indexOf(WANT.command) >= 0, s);
  T.ok('summary: the events', s.indexOf('time, ' + EV) >= 0, s);
  T.ok('summary: the host and cpu', s.indexOf(WANT.host + ' (' + WANT.cpu + ')') >= 0, s);
  T.ok('summary: every note (compensation)', WANT.notes.length > 0 && WANT.notes.every(function (n) { return s.indexOf(n) >= 0; }), s);
  if (WANT.program) T.ok('summary: the program\'s status', s.indexOf('exited with status ' + WANT.program.status) >= 0, s);
  var total = TABLE.split('\n').filter(function (l) { return l.indexOf('total: ') === 0; })[0].slice(7);
  T.ok('summary: the total line of the table view', s.indexOf(total) >= 0, total + ' in ' + s);
});
T.run('threads', function () {
  var t = table('cprof-parts');
  T.eq('threads: the one thread of the run, its calls and time', t.map(function (c) { return [c[2], c[3], c[4], c[5], c[7]]; }),
       [['main', String(WANT.regions.length), '5', TABLE.match(/total: (\S+ \S+)/)[1], String(WANT.totals[EV])]]);
  T.eq('threads: one process', rowsOf('cprof-processes').length, 1);
  click(document.querySelector('.cprof-show-part'));
  T.eq('threads: its table, as the whole run\'s (one thread)', grid('cprof-part-table'), textGrid(TABLE, 'region').rows);
});
T.run('page', function () {
  T.ok('page: numbers right-aligned', getComputedStyle(rowsOf('cprof-rows')[0].cells[1]).textAlign === 'right');
  T.eq('page: sections in the nav', Array.prototype.map.call(document.querySelectorAll('#cprof-nav a'), function (a) { return a.textContent; }),
       FLAME ? ['regions', 'call tree', 'flame graph', 'threads'] : ['regions', 'call tree', 'threads']);
  if (!FLAME) return;
  var g = document.querySelectorAll('#cprof-flame svg.cprof-flame');
  T.eq('flame: the graph is there, once', g.length, 1);
  var top = WANT.tree.filter(function (n) { return n.parent === 0; }).reduce(function (s, n) { return s + n.incl_ns; }, 0);
  T.eq('flame: its whole is the json\'s top call paths\' time', g[0].getAttribute('data-total'), String(top));
  var parse = WANT.tree.filter(function (n) { return n.name === 'difffix::parser::Parser::parse'; })[0];
  var frames = Array.prototype.map.call(g[0].querySelectorAll('g[data-f]'), function (f) { return f.getAttribute('data-f').split(' '); });
  T.ok('flame: Parser::parse drawn as wide as its inclusive time', frames.some(function (f) { return f[0] === '2' && f[1] === String(parse.incl_ns); }),
       JSON.stringify(frames));
  T.eq('flame: its script wired it (search finds one frame)', cprofFlame.search(g[0], 'Parser::parse').frames, 1);
  cprofFlame.reset(g[0]);
});
T.done();
