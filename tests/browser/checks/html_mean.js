/* html_mean.js: the page of the mean of --repeat runs (WANT: its json,
 * TABLE: its table view): the interval column, no thread breakdown (a mean
 * has no threads of its own). */
var text = textGrid(TABLE, 'region');
T.eq('mean: the columns of the table view, with +-', heads('cprof-rows'), text.header);
T.ok('mean: +- is one of them', text.header.indexOf('+-') > 0, text.header);
T.eq('mean: every row and figure as the table view prints them', grid('cprof-rows'), text.rows);
var s = document.getElementById('cprof-summary').textContent;
T.ok('mean: the runs said', s.indexOf(WANT.runs + ' (every figure is their mean') >= 0, s);
T.eq('mean: no threads section', document.getElementById('cprof-threads'), null);
T.done();
