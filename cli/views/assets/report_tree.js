/*
 * report_tree.js: a collapsible call tree (a treegrid) whose children are
 * ordered and drawn when their parent opens, PAGE at a time; the top
 * levels open as long as that stays a screenful or two.
 */
(function () {
  'use strict';
  var el = cprofDom.el;
  var PAGE = cprofDom.PAGE;

  /* ---- a collapsible tree: nodes {node, parent, name}, children drawn when
   * their parent opens, PAGE at a time ------------------------------------- */

  function Tree(opts) {
    var nodes = opts.nodes, kids = {}, ordered = {};
    nodes.forEach(function (n) { (kids[n.parent] = kids[n.parent] || []).push(n); });
    function childrenOf(id) {   /* ordered when first opened: most nodes never are */
      var list = kids[id] || [];
      if (!ordered[id]) { list.sort(opts.order); ordered[id] = true; }
      return list;
    }
    var cols = opts.columns;
    var table = el('table', {cls: 'cprof-grid cprof-treegrid', role: 'treegrid', id: opts.id});
    var head = el('tr', {}, [el('th', {scope: 'col', text: opts.first})].concat(cols.map(function (c) {
      return el('th', {scope: 'col', cls: c.num ? 'num' : '', text: c.title});
    })));
    var body = el('tbody');
    table.appendChild(el('thead', {}, [head]));
    table.appendChild(body);

    function line(n, depth) {
      var has = !!kids[n.node];
      var tr = el('tr', {'aria-level': String(depth), 'data-node': String(n.node)});
      var name = el('td', {cls: 'cprof-path', style: 'padding-left:' + (0.3 + 1.1 * Math.min(depth - 1, 60)) + 'em'});
      if (has) {
        tr.setAttribute('aria-expanded', 'false');
        name.appendChild(el('button', {type: 'button', cls: 'cprof-toggle', 'aria-label': 'open or close',
                                       on: {click: function () { toggle(tr); }}}, ['\u25B8']));
      } else {
        name.appendChild(el('span', {cls: 'cprof-leaf', 'aria-hidden': 'true'}, ['\u00B7']));
      }
      name.appendChild(el('span', {cls: 'cprof-name', title: n.name}, [opts.label(n)]));
      tr.appendChild(name);
      cols.forEach(function (c) {
        tr.appendChild(el('td', {cls: (c.num ? 'num' : '') + (c.cls ? ' ' + c.cls(n) : '')}, [c.show(n)]));
      });
      return tr;
    }
    /* rows for the children of node id from `from` on, inserted before `at` */
    function children(id, depth, from) {
      var list = childrenOf(id), end = Math.min(list.length, from + PAGE), frag = document.createDocumentFragment();
      for (var i = from; i < end; i++) frag.appendChild(line(list[i], depth));
      if (end < list.length) {
        var tr = el('tr', {cls: 'cprof-tree-more', 'aria-level': String(depth)});
        var b = el('button', {type: 'button', text: 'show ' + Math.min(PAGE, list.length - end) + ' more of ' +
                              (list.length - end) + ' hidden',
                              on: {click: function () { var next = tr.nextSibling; tr.remove(); body.insertBefore(children(id, depth, end), next); }}});
        tr.appendChild(el('td', {colspan: String(cols.length + 1), style: 'padding-left:' + (0.3 + 1.1 * (depth - 1)) + 'em'}, [b]));
        frag.appendChild(tr);
      }
      return frag;
    }
    function open(tr) {
      var depth = Number(tr.getAttribute('aria-level'));
      tr.setAttribute('aria-expanded', 'true');
      tr.querySelector('.cprof-toggle').textContent = '\u25BE';
      body.insertBefore(children(Number(tr.getAttribute("data-node")), depth + 1, 0), tr.nextSibling);
    }
    function close(tr) {
      var depth = Number(tr.getAttribute('aria-level'));
      tr.setAttribute('aria-expanded', 'false');
      tr.querySelector('.cprof-toggle').textContent = '\u25B8';
      while (tr.nextSibling && Number(tr.nextSibling.getAttribute('aria-level')) > depth) tr.nextSibling.remove();
    }
    function toggle(tr) {
      if (tr.getAttribute('aria-expanded') === 'true') close(tr); else open(tr);
    }
    body.appendChild(children(0, 1, 0));
    /* the top levels open, as long as that stays a screenful or two */
    var budget = 300;
    [1, 2].forEach(function (level) {
      Array.prototype.slice.call(body.querySelectorAll('tr[aria-level="' + level + '"][aria-expanded="false"]')).forEach(function (tr, i) {
        var n = Math.min(PAGE, (kids[tr.getAttribute('data-node')] || []).length) + 1;
        if (budget >= n || (level === 1 && i === 0)) { budget -= n; open(tr); }
      });
    });
    return {node: el('div', {cls: 'cprof-scroll'}, [table]), toggle: toggle, table: table};
  }

  window.cprofTree = {Tree: Tree};
})();
