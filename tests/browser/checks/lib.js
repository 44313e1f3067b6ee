/* lib.js: what the checks of our HTML pages share (put before each check
 * script by tests/browser/html.sh, after its WANT/TEXT data): rows and
 * cells read from the DOM, clicks, the text views' rows. */
function rowsOf(id) { return Array.prototype.slice.call(document.querySelectorAll('#' + id + ' tbody tr')); }
function cellsOf(tr) { return Array.prototype.map.call(tr.cells, function (c) { return c.textContent.trim(); }); }
function table(id) { return rowsOf(id).map(cellsOf); }
function column(id, i) { return rowsOf(id).map(function (tr) { return tr.cells[i].textContent.trim(); }); }
function heads(id) {
  return Array.prototype.map.call(document.querySelectorAll('#' + id + ' thead th'), function (th) {
    return th.textContent.replace(/[\u25B2\u25BC]/g, '').trim();
  });
}
function header(id, title) {
  var ths = document.querySelectorAll('#' + id + ' thead th');
  for (var i = 0; i < ths.length; i++)
    if (ths[i].textContent.replace(/[\u25B2\u25BC]/g, '').trim() === title) return ths[i];
  throw new Error('no column ' + title + ' in #' + id);
}
function click(e) { e.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); }
function sortBy(id, title) { click(header(id, title).querySelector('button')); }
/* The rows of a text view (table, tree): the lines after the one starting
 * with `head`, split at runs of 2+ spaces; {header, rows}. */
function textGrid(text, head) {
  var lines = text.split('\n'), i = 0;
  while (i < lines.length && lines[i].indexOf(head + ' ') !== 0) i++;
  if (i === lines.length) throw new Error('no line starting with ' + head);
  var split = function (l) { return l.trim().split(/ {2,}/); };
  var out = {header: split(lines[i]), rows: []};
  for (var j = i + 1; j < lines.length && lines[j].trim(); j++) out.rows.push(split(lines[j]));
  return out;
}
/* rows of a stable sort of list by key (numbers: descending first) */
function sorted(list, key, desc) {
  return list.map(function (r, i) { return {k: key(r), i: i, r: r}; }).sort(function (a, b) {
    var d = typeof a.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
    return (desc ? -d : d) || a.i - b.i;
  }).map(function (x) { return x.r; });
}
/* cells without the empty ones (a text view trims its lines, and an empty
 * cell between two columns, a row without a trust mark, is only spaces) */
function strip(cells) { return cells.filter(function (c) { return c !== ''; }); }
/* a tree's first cell without its toggle or leaf mark */
function grid(id) { return table(id).map(function (c) { c[0] = c[0].replace(/^[\u25B8\u25BE\u00B7]/, ''); return strip(c); }); }
/* the exact figures of a table's numeric cells (data-v), by row; '' where none */
function exact(id) {
  return rowsOf(id).map(function (tr) { return Array.prototype.map.call(tr.cells, function (c) { return c.getAttribute('data-v') || ''; }); });
}
