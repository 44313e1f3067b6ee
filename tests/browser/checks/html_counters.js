/* html_counters.js: the page of a run of tests/e2e/fixtures/allocfix
 * (allocation and user counters): its table prints every column and figure
 * as the table view TABLE does, the user counters' rates (bytes/s,
 * items/call) included. */
T.run('counters', function () {
  var text = textGrid(TABLE, 'region');
  T.eq('counters: the columns of the table view, rates included', heads('cprof-rows'), text.header);
  T.ok('counters: the rate columns are there', ['bytes/s', 'bytes/call', 'items/s', 'items/call']
       .every(function (h) { return text.header.indexOf(h) >= 0; }), text.header.join('|'));
  T.eq('counters: every row and figure as the table view prints them', grid('cprof-rows'), text.rows);
});
T.done();
