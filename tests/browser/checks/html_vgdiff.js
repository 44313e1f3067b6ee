/* html_vgdiff.js: a comparison of two callgrind files (WANT: its json):
 * the rows and verdicts of its sorted metric, and the flame graphs. */
var want = WANT.rows.filter(function (r) { return r.metric === WANT.sort; });
T.eq('callgrind diff: the rows and verdicts of the json diff', table('cprof-diff').map(function (c) { return [c[0], c[1].split(' [')[0]]; }),
     want.map(function (r) { return [r.label, r.verdict]; }));
T.eq('callgrind diff: exact A and B', exact('cprof-diff').map(function (c) { return [c[2], c[3]]; }),
     want.map(function (r) { return [r.verdict === 'new' ? '' : String(r.a), r.verdict === 'gone' ? '' : String(r.b)]; }));
if (FLAME) T.eq('callgrind diff: two flame graphs', document.querySelectorAll('#cprof-flame svg.cprof-flame').length, 2);
T.done();
