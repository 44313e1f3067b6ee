/* flame_checks.js: the checks of our flame graphs in a real browser, run
 * by tests/browser/harness.sh after the page's own script: for each entry
 * of EXPECTS (tests/browser/flame_expect.py, from another output of the
 * same run): the frames drawn (one per node that should show, exact
 * figures, widths in proportion), hover, search, zoom and reset, Esc. */
function checkGraph(ex) {
    var P = ex.what + ': ';
    var svg = document.querySelector(ex.select);
    if (!T.ok(P + 'the graph is in the file', !!svg, ex.select)) return;
    var gs = svg.querySelectorAll('g.frames > g');
    var names = JSON.parse(svg.querySelector('metadata.cprof-names').textContent);
    var fig = function (g) { return g.getAttribute('data-f').split(' ').map(Number); };
    var bbw = function (g) { return g.querySelector('rect').getBBox().width; };
    var nameOf = function (v) { return v[2] > 0 ? names[v[2]][0] : null; };
    T.eq(P + 'one frame per node that should show', gs.length, ex.frames.length);
    T.eq(P + "the root's figure is the total", +svg.getAttribute('data-total'), ex.total);
    var rootW = bbw(gs[0]), bad = [], badW = [], badC = [];
    for (var i = 0; i < Math.min(gs.length, ex.frames.length); i++) {
        var v = fig(gs[i]), e = ex.frames[i], merged = v[2] < 0 ? -v[2] : 0;
        var got = [v[0], nameOf(v), v[1], merged, e.self === null ? null : v[3]];
        var want = [e.depth, e.name, e.w, e.merged || 0, e.self];
        if (JSON.stringify(got) !== JSON.stringify(want))
            bad.push('frame ' + i + ': got ' + JSON.stringify(got) + ', expected ' + JSON.stringify(want));
        var frac = bbw(gs[i]) / rootW;
        if (Math.abs(frac - e.w / ex.total) > 1e-3)
            badW.push('frame ' + i + ' (' + e.name + '): ' + frac + ' of the root, expected ' + e.w / ex.total);
        if (e.color) {
            var c = gs[i].querySelector('rect').getAttribute('fill').match(/[0-9a-f]{2}/g).map(function (h) { return parseInt(h, 16); });
            var hue = c[0] === c[2] && c[1] === c[2] ? 'grey' : c[0] > c[2] ? 'red' : 'blue';
            if (hue !== e.color)
                badC.push(e.name + ' is ' + hue + ' (' + c + '), expected ' + e.color);
        }
    }
    T.ok(P + 'every frame: depth, full name, exact figure, self, in order', bad.length === 0, bad.slice(0, 3).join('; '));
    T.ok(P + 'every frame: its width / the root width = its figure / the total (to 1e-3)', badW.length === 0,
         badW.slice(0, 3).join('; '));
    if (ex.kind === 'diff')
        T.ok(P + 'colours: red where B spends more, blue where less, grey where the same', badC.length === 0,
             badC.slice(0, 4).join('; '));
    var child = Array.prototype.findIndex.call(gs, function (g) { return fig(g)[0] === 1; });
    if (child > 0) {
        var ry = +gs[0].querySelector('rect').getAttribute('y'), cy = +gs[child].querySelector('rect').getAttribute('y');
        T.ok(P + (ex.icicle ? 'icicle: the root at the top' : 'the root at the bottom, callees above'),
             ex.icicle ? ry < cy : ry > cy, 'root y ' + ry + ', its first child y ' + cy);
    }
    var index = function (name) { return ex.frames.findIndex(function (f) { return f.name === name; }); };
    if (ex.hover) T.run(P + 'hover', function () {
        var g = gs[index(ex.hover.name)];
        g.querySelector('rect').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        var text = svg.querySelector('text.details').textContent;
        var missing = ex.hover.must.filter(function (s) { return text.indexOf(s) < 0; });
        T.ok(P + 'hover shows name, full name and figures', missing.length === 0,
             'details "' + text + '" lacks ' + JSON.stringify(missing));
        var title = g.querySelector('title');
        T.eq(P + "hover: the browser's tooltip says the same", title ? title.textContent : null, text);
    });
    if (ex.search) T.run(P + 'search', function () {
        var s = ex.search, r = cprofFlame.search(svg, s.term);
        T.eq(P + 'search "' + s.term + '": the frames matched', r.frames, s.frames);
        T.near(P + 'search "' + s.term + '": their total share', r.share, s.share, 1e-12);
        var wrong = [];
        for (var i = 0; i < gs.length; i++) {
            var n = nameOf(fig(gs[i])), want = n !== null && n.indexOf(s.term) >= 0;
            if (gs[i].classList.contains('hl') !== want) wrong.push(i + ' ' + n);
        }
        T.ok(P + 'search highlights exactly the frames of that name', wrong.length === 0 && s.frames > 0, wrong.join(', '));
        var said = svg.querySelector('text.matched').textContent;
        T.ok(P + 'search says the share', said.indexOf(s.text) === 0, said + ' vs ' + s.text);
        cprofFlame.search(svg, '');
        T.eq(P + 'an empty search clears', svg.querySelectorAll('g.hl').length, 0);
        var asked = window.prompt;   /* the Search control asks with prompt(), as inferno does */
        window.prompt = function () { return s.term; };
        svg.querySelector('.ctl.search').dispatchEvent(new MouseEvent('click', {bubbles: true}));
        window.prompt = asked;
        T.eq(P + 'the Search control highlights the same frames', svg.querySelectorAll('g.hl').length, s.frames);
        document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
        T.eq(P + 'Esc clears the search', svg.querySelectorAll('g.hl').length, 0);
    });
    if (ex.zoom !== undefined) T.run(P + 'zoom', function () {
        var zi = ex.zoom, z = gs[zi], before = Array.prototype.map.call(gs, bbw);
        var end = zi + 1;
        while (end < gs.length && ex.frames[end].depth > ex.frames[zi].depth) end++;
        var anc = {}, d = ex.frames[zi].depth;
        for (var i = zi - 1; i >= 0 && d > 0; i--)
            if (ex.frames[i].depth === d - 1) { anc[i] = true; d--; }
        z.querySelector('rect').dispatchEvent(new MouseEvent('click', {bubbles: true}));
        var factor = ex.total / ex.frames[zi].w, wrongW = [], wrongH = [];
        T.near(P + 'a click zooms: the frame takes the full width', bbw(z), rootW, 0.5);
        for (i = 0; i < gs.length; i++) {
            var hidden = getComputedStyle(gs[i]).display === 'none';
            if (i > zi && i < end) {
                if (Math.abs(bbw(gs[i]) - before[i] * factor) > 0.5 + 1e-3 * before[i] * factor)
                    wrongW.push(i + ': ' + bbw(gs[i]) + ' vs ' + before[i] * factor);
            } else if (anc[i]) {
                if (hidden || Math.abs(bbw(gs[i]) - rootW) > 0.5) wrongH.push('caller ' + i + ' not full width');
            } else if (i !== zi && !hidden) {
                wrongH.push(i + ' shows');
            }
        }
        T.ok(P + 'zoom: what it called scales by the same factor (x' + factor.toFixed(3) + ')', wrongW.length === 0 && end > zi + 1,
             end > zi + 1 ? wrongW.slice(0, 3).join('; ') : 'the frame has no callees');
        T.ok(P + 'zoom: its callers stay full width, every other frame hides', wrongH.length === 0, wrongH.slice(0, 5).join('; '));
        var reset = svg.querySelector('.ctl.reset');
        T.ok(P + 'zoom: "Reset zoom" shows', getComputedStyle(reset).display !== 'none');
        reset.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        var back = Array.prototype.map.call(gs, bbw).filter(function (w, i) { return Math.abs(w - before[i]) > 0.05; });
        T.ok(P + 'reset: every width as before, nothing hidden', back.length === 0 &&
             svg.querySelectorAll('g.hide, g.anc').length === 0, back.length + ' widths differ');
        cprofFlame.zoom(svg, z);
        document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));
        T.ok(P + 'Esc resets the zoom', svg.querySelectorAll('g.hide').length === 0 && Math.abs(bbw(z) - before[zi]) < 0.05);
    });
}
T.run('the checks', function () {
    EXPECTS.forEach(checkGraph);
    T.eq('one copy of the script wires every graph', document.querySelectorAll('svg.cprof-flame').length,
         Array.prototype.filter.call(document.querySelectorAll('svg.cprof-flame'), function (s) { return !!s.cprofFlame; }).length);
});
T.done();
