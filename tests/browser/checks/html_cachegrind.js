/* html_cachegrind.js: a cachegrind file (no calls, no tree) against its table view. */
var text = textGrid(TABLE, WANT.events[0] + ' self');
T.eq('cachegrind: every function and ratio as the table view prints them', grid('cprof-rows'), text.rows);
T.eq('cachegrind: no call tree', document.getElementById('cprof-calltree'), null);
T.done();
