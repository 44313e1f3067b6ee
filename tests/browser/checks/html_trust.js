/* html_trust.js: the page of a report whose difffix::leaf has a trust
 * share on a rounding edge against the table and tree views of the same
 * report (TABLE, TREE): the "!NN%" and "fit" marks as they print; MARK:
 * what leaf's trust cell holds. */
T.run('trust', function () {
  var text = textGrid(TABLE, 'region'), tree = textGrid(TREE, 'call path');
  T.eq('trust: every row and mark as the table view prints them', grid('cprof-rows'), text.rows);
  T.eq('trust: every call path and mark as the tree view prints them', grid('cprof-calltree'), tree.rows);
  var leaf = grid('cprof-rows').filter(function (c) { return c[0] === 'difffix::leaf'; })[0] || [];
  T.ok('trust: leaf marked ' + MARK + ' (a share rounded once, as printf rounds)',
       leaf.some(function (c) { return (' ' + c + ' ').indexOf(' ' + MARK + ' ') >= 0; }), JSON.stringify(leaf));
});
T.done();
