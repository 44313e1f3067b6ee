/*
 * report_figures.js: the figures of a cargo-profiler page printed as
 * cli/views/util.c prints them (ns/us/ms/s, K/M/G/T, shares), so a page
 * reads as the table view does. One of the scripts html_page.c puts into
 * every page, in the order it lists them.
 */
(function () {
  'use strict';

  /* ---- figures, printed as cli/views/util.c prints them ---------------- */

  /* printf("%.*f"): the double's exact value rounded, ties to even (JS's
   * toFixed takes the larger on an exact tie: 1.125 -> "1.13", C "1.12"). */
  function fixed(x, d) {
    if (x < 0) return '-' + fixed(-x, d);
    var exact = x.toFixed(Math.min(100, d + 40)), dot = exact.indexOf('.');
    if (!/^50*$/.test(exact.slice(dot + 1 + d))) return x.toFixed(d);
    var kept = Number(exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + d));
    if (kept % 2) kept += 1;
    var s = String(kept);
    if (d === 0) return s;
    while (s.length <= d) s = '0' + s;
    return s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }
  function sig3(v, unit) {
    return (v < 10 ? fixed(v, 2) : v < 100 ? fixed(v, 1) : fixed(v, 0)) + unit;
  }
  function fmtTime(ns) {
    if (ns < 0) return '-' + fmtTime(-ns);
    if (ns < 1000) return fixed(ns, 0) + ' ns';
    if (ns < 999.5e3) return sig3(ns / 1e3, ' us');
    if (ns < 999.5e6) return sig3(ns / 1e6, ' ms');
    return sig3(ns / 1e9, ' s');
  }
  function fmtCount(n) {
    if (n < 0) return '-' + fmtCount(-n);
    if (n < 1000) return fixed(n, 0);
    if (n < 999.5e3) return sig3(n / 1e3, 'K');
    if (n < 999.5e6) return sig3(n / 1e6, 'M');
    if (n < 999.5e9) return sig3(n / 1e9, 'G');
    return sig3(n / 1e12, 'T');
  }
  function fmtValue(v, isTime) { return isTime ? fmtTime(v) : fmtCount(v); }
  function fmtPercent(part, whole) {
    if (!(whole > 0)) return '-';
    return (part >= whole ? '100.0' : fixed(100 * part / whole, 1)) + '%';
  }
  function fmtSigned(p) { return (p >= 0 ? '+' : '') + fixed(p, 1) + '%'; }
  /* The name a row or a call path is shown by: its label (the shortest
   * unique ::-ending, as the text views print it), else its full name. */
  function label(r) { return r.label || r.name; }
  function location(r) {
    if (!r.file) return '';
    return r.line > 0 ? r.file + ':' + r.line : r.file;
  }

  window.cprofFigures = {fixed: fixed, fmtTime: fmtTime, fmtCount: fmtCount, fmtValue: fmtValue, fmtPercent: fmtPercent, fmtSigned: fmtSigned, label: label, location: location};
})();
