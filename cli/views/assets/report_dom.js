/*
 * report_dom.js: what drawing a page needs of the DOM: elements, the
 * page's JSON data elements, its sections; PAGE, the rows drawn at a time.
 */
(function () {
  'use strict';

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else if (k === 'on') for (var ev in attrs.on) e.addEventListener(ev, attrs.on[ev]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function data(id) {
    var s = document.getElementById(id);
    return s ? JSON.parse(s.textContent) : null;
  }
  function section(id, title, kids) {
    var s = document.getElementById(id);
    if (!s) return null;
    s.classList.add('cprof-section');
    s.insertBefore(el('h2', {text: title, id: id + '-title'}), s.firstChild);
    s.setAttribute('aria-labelledby', id + '-title');
    (kids || []).forEach(function (k) { if (k) s.appendChild(k); });
    return s;
  }


  function nav(links) {
    var n = document.getElementById('cprof-nav');
    links.forEach(function (l) {
      if (document.getElementById(l[0])) n.appendChild(el('a', {href: '#' + l[0], text: l[1]}));
    });
  }

  var PAGE = 200;

  window.cprofDom = {el: el, data: data, section: section, nav: nav, PAGE: PAGE};
})();
