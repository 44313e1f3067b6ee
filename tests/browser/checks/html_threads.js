/* html_threads.js: the page of a mergefix run (a main thread, two worker
 * threads, a child process; it ends with status 3) against the same run
 * folder's `report --threads --format json` (WANT) and its table (TABLE):
 * each thread, each process, and each region's spread across the two. */
T.run('threads', function () {
  var x = exact('cprof-parts');
  T.eq('threads: each thread of each process, with its exact calls and ' + EV,
       table('cprof-parts').map(function (c, i) { return [c[0], c[1], c[2], x[i][4], x[i][7]].join(' '); }).sort(),
       WANT.threads.map(function (t) {
         var calls = t.regions.reduce(function (s, r) { return s + r.calls; }, 0);
         return [t.pid, t.tid, t.thread, calls, t.totals[EV]].join(' ');
       }).sort());
  var pids = {};
  WANT.threads.forEach(function (t) { pids[t.pid] = (pids[t.pid] || 0) + t.totals[EV]; });
  T.eq('processes: each with its threads\' ' + EV, exact('cprof-processes').map(function (c) { return c[0] + ' ' + c[5]; }).sort(),
       Object.keys(pids).map(function (p) { return p + ' ' + pids[p]; }).sort());
  var worker = rowsOf('cprof-parts').filter(function (tr) { return tr.cells[2].textContent !== 'main'; })[0];
  var w = WANT.threads.filter(function (t) { return String(t.tid) === worker.cells[1].textContent; })[0];
  click(worker.querySelector('.cprof-show-part'));
  T.eq('threads: a worker\'s own regions, calls and ' + EV, table('cprof-part-table').map(function (c) { return [c[0], c[1], c[6], c[7]]; }),
       w.regions.map(function (r) { return [r.label || r.name, String(r.calls), String(r.counters[EV].incl), String(r.counters[EV].excl)]; }));
  sortBy('cprof-parts', 'tid');
  T.eq('threads: sorted by tid', column('cprof-parts', 1),
       WANT.threads.map(function (t) { return t.tid; }).sort(function (a, b) { return b - a; }).map(String));
});
T.run('per process', function () {
  var text = textGrid(TABLE.slice(TABLE.indexOf('\nper process (')), 'region');
  T.eq('per process: the columns of the table view\'s section', heads('cprof-spread'), text.header);
  T.eq('per process: every row and figure as the table view prints them', grid('cprof-spread'), text.rows);
  var x = exact('cprof-spread');
  T.eq('per process: exact processes and ' + EV + ' min, max of each region',
       x.map(function (c) { return [c[1], c[6], c[8]].join(' '); }),
       WANT.regions.map(function (r) { var f = r.per_process.counters[EV]; return [r.per_process.processes, f.min, f.max].join(' '); }));
  T.ok('per process: over the 2 processes of the run', WANT.processes === 2 &&
       document.getElementById('cprof-spread').textContent.indexOf('(2 processes)') >= 0, String(WANT.processes));
});
T.run('status', function () {
  var s = document.getElementById('cprof-summary').textContent;
  T.ok('summary: the program exited with status 3', s.indexOf('exited with status 3') >= 0, s);
  T.ok('summary: merged processes said', WANT.notes.every(function (n) { return s.indexOf(n) >= 0; }), s);
});
T.done();
