/* prelude.js: the test library tests/browser/harness.sh puts at the top of
 * a page (before the page's own scripts, so their errors are caught too).
 * A check script calls T.ok / T.eq / T.near, then T.done(); done() adds
 * "no console error" and "nothing fetched" and writes every result into
 * the DOM, where the harness reads it back (--dump-dom). */
(function () {
    var results = [], errors = [];
    function text(v) { try { return typeof v === 'string' ? v : JSON.stringify(v); } catch (e) { return String(v); } }
    window.addEventListener('error', function (e) {
        var t = e.target;
        if (t && t !== window && t.tagName)   /* a resource that failed to load */
            return errors.push('failed to load <' + t.tagName + '> ' + (t.src || t.href || t.getAttribute('href') || ''));
        errors.push('error: ' + (e.message || e.type) + (e.filename ? ' at ' + e.filename + ':' + e.lineno : ''));
    }, true);
    window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + text(e.reason)); });
    var cerr = console.error;
    console.error = function () {
        errors.push('console.error: ' + Array.prototype.map.call(arguments, text).join(' '));
        return cerr.apply(console, arguments);
    };
    var T = {
        ok: function (name, cond, detail) {
            var why = detail === undefined ? 'false' : text(detail);
            results.push((cond ? 'ok ' + name : 'not ok ' + name + ': ' + why).replace(/[\r\n]+/g, ' '));
            return !!cond;
        },
        eq: function (name, got, want) {
            var g = text(got), w = text(want);
            return T.ok(name, g === w, 'got ' + g + ', expected ' + w);
        },
        near: function (name, got, want, tol) {
            return T.ok(name, Math.abs(got - want) <= tol, 'got ' + got + ', expected ' + want + ' +- ' + tol);
        },
        /* a check that throws fails by name instead of stopping the rest */
        run: function (name, fn) {
            try { fn(); } catch (e) { T.ok(name, false, 'threw ' + (e && e.stack ? e.stack.split('\n')[0] : text(e))); }
        },
        errors: errors,
        done: function () {
            T.ok('no console error or uncaught exception', errors.length === 0, errors.join(' | '));
            var res = performance.getEntriesByType('resource').map(function (r) { return r.name; });
            T.ok('nothing fetched (no resource loaded)', res.length === 0, res.join(' '));
            var doc = document.documentElement;
            var out = doc.namespaceURI === 'http://www.w3.org/2000/svg'
                ? document.createElementNS('http://www.w3.org/2000/svg', 'desc')
                : document.createElement('pre');
            out.textContent = '\n@@cprof-results-begin@@\n' + results.join('\n').replace(/@@/g, '@ @') +
                '\n@@cprof-results-end@@\n';
            doc.appendChild(out);
        }
    };
    window.T = T;
})();
