/* html_diff.js: the page of `diff A B` (difffix, B given "double") against
 * the same diff's --format json (WANT): every metric's rows and verdicts. */
var select = document.getElementById('cprof-metric');
T.eq('diff: every metric to choose, the sorted one first shown',
     [Array.prototype.map.call(select.options, function (o) { return o.value; }), select.value],
     [WANT.metrics.map(function (m) { return m.name; }), WANT.sort]);
WANT.metrics.forEach(function (m) {
  T.run('diff ' + m.name, function () {
    select.value = m.name;
    select.dispatchEvent(new Event('change'));
    var want = WANT.rows.filter(function (r) { return r.metric === m.name; });
    T.eq('diff ' + m.name + ': the rows and verdicts of the json diff, in its order',
         table('cprof-diff').map(function (c) { return [c[0], c[1].split(' [')[0]]; }),
         want.map(function (r) { return [r.label, r.verdict]; }));
    var exactAlways = m.name === 'calls' || m.name.indexOf('user::') === 0;
    T.eq('diff ' + m.name + ': each side\'s marks of the json diff before its figure (~ sampled, ! mostly overhead)',
         table('cprof-diff').map(function (c) { return [c[2].match(/^[~!]*/)[0], c[3].match(/^[~!]*/)[0]]; }),
         want.map(function (r) {
           function k(side) { return exactAlways ? '' : (r.timed_every[side] > 1 ? '~' : '') + (m.is_time && r.low_trust[side] ? '!' : ''); }
           return [r.verdict === 'new' ? '' : k(0), r.verdict === 'gone' ? '' : k(1)]; }));
    if (m.exact && !m.is_time)
      T.eq('diff ' + m.name + ': exact A and B', table('cprof-diff').map(function (c) { return [c[2], c[3]]; }),
           want.map(function (r) { return [String(r.a), String(r.b)]; }));
    var n = want.filter(function (r) { return r.verdict === 'regressed'; }).length;
    T.ok('diff ' + m.name + ': the count of regressions said', n === 0 ||
         document.querySelector('.cprof-counts').textContent.indexOf(n + ' regressed') >= 0, document.querySelector('.cprof-counts').textContent);
  });
});
T.run('colours', function () {
  select.value = EV;
  select.dispatchEvent(new Event('change'));
  var reg = document.querySelector('#cprof-diff td.cprof-v-regressed'), same = document.querySelector('#cprof-diff td.cprof-v-same');
  T.ok('diff: a regression is marked and coloured apart from an unchanged row', reg && same &&
       getComputedStyle(reg).color !== getComputedStyle(same).color, [reg && reg.textContent, same && same.textContent]);
  T.eq('diff: the regressed rows of ' + EV, Array.prototype.map.call(document.querySelectorAll('#cprof-diff tr'), function (tr) {
    return tr.cells[1].classList.contains('cprof-v-regressed') ? tr.cells[0].textContent : null; }).filter(Boolean),
    WANT.rows.filter(function (r) { return r.metric === EV && r.verdict === 'regressed'; }).map(function (r) { return r.label; }));
  sortBy('cprof-diff', 'B');
  T.eq('diff: sorted by B on a click', column('cprof-diff', 0),
       sorted(WANT.rows.filter(function (r) { return r.metric === EV; }), function (r) { return r.b; }, true).map(function (r) { return r.label; }));
});
T.run('summary', function () {
  var s = document.getElementById('cprof-summary').textContent;
  T.ok('diff: both sides named', s.indexOf(WANT.a.name) >= 0 && s.indexOf(WANT.b.name) >= 0, s);
  T.ok('diff: every note', WANT.notes.every(function (n) { return s.indexOf(n) >= 0; }), s);
  T.ok('diff: a call tree of the merged paths', rowsOf('cprof-difftree').length > 0);
  var labels = WANT.rows.map(function (r) { return r.label; });
  T.eq('diff: the tree names each path as the table names its row (its label, not the full name)',
       grid('cprof-difftree').map(function (c) { return c[0]; }).filter(function (name) { return labels.indexOf(name) < 0; }), []);
  T.ok('diff: a label shorter than the full name in the tree (Parser::parse)',
       grid('cprof-difftree').some(function (c) { return c[0] === 'Parser::parse'; }), JSON.stringify(grid('cprof-difftree')));
  if (!FLAME) return;
  var g = document.querySelectorAll('#cprof-flame svg.cprof-flame');
  T.eq('diff: the two differential flame graphs, B\'s shape first', Array.prototype.map.call(g, function (e) { return e.getAttribute('data-shape'); }), ['b', 'a']);
  T.eq('diff: the graphs of the sorted metric', Array.prototype.map.call(g, function (e) { return e.getAttribute('data-metric'); }), [WANT.sort, WANT.sort]);
  T.eq('diff: both wired by one script (search finds Parser::parse in each)',
       Array.prototype.map.call(g, function (e) { var r = cprofFlame.search(e, 'Parser::parse').frames; cprofFlame.reset(e); return r; }), [1, 1]);
});
T.done();
