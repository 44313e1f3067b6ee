/*
 * flame.js: what makes cargo-profiler's flame graphs move (the markup is
 * described in cli/views/flame.h). One copy serves every svg.cprof-flame
 * of a document, whether the SVG is the document (a .svg opened from disk)
 * or inline in an HTML page: hover shows a frame's figures, a click zooms
 * into it, "Reset zoom" or Esc goes back, "Search" highlights the frames
 * whose full name holds a text (or matches /regex/) and says their share.
 * Pages and tests call cprofFlame(svg), cprofFlame.search(svg, term),
 * cprofFlame.zoom(svg, frameElement) and cprofFlame.reset(svg).
 * Nothing here fetches anything.
 */
(function () {
    'use strict';
    var NS = 'http://www.w3.org/2000/svg';
    var CHAR_PX = 7.2;   /* 12px monospace, as flame_draw.c fits labels */
    var VERDICTS = ['same', 'regressed', 'improved', 'within noise', 'no noise estimate', 'new', 'gone', 'inconclusive',
                    'untrusted'];   /* diff_verdict's order (model/diff.h) */

    /* ---- figures, as the tables print them (cli/views/util.c) ---- */
    function sig3(v, unit) {
        return (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + unit;
    }
    function fmtTime(ns) {
        if (ns < 0) return '-' + fmtTime(-ns);
        if (ns < 1000) return ns.toFixed(0) + ' ns';
        if (ns < 999.5e3) return sig3(ns / 1e3, ' us');
        if (ns < 999.5e6) return sig3(ns / 1e6, ' ms');
        return sig3(ns / 1e9, ' s');
    }
    function fmtCount(n) {
        if (n < 0) return '-' + fmtCount(-n);
        if (n < 1000) return n.toFixed(0);
        if (n < 999.5e3) return sig3(n / 1e3, 'K');
        if (n < 999.5e6) return sig3(n / 1e6, 'M');
        if (n < 999.5e9) return sig3(n / 1e9, 'G');
        return sig3(n / 1e12, 'T');
    }
    function percent(part, whole) {
        return whole > 0 ? (part >= whole ? 100 : 100 * part / whole).toFixed(1) + '%' : '-';
    }
    /* "214 -> 280 (+30.8%, x1.31)", as diff_figure() writes it */
    function diffFigure(fmt, a, b, verdict) {
        if (verdict === 5) return '- -> ' + fmt(b) + ' (new)';
        if (verdict === 6) return fmt(a) + ' -> - (gone)';
        if (a === b) return fmt(a) + ' -> ' + fmt(b);
        if (a === 0) return fmt(a) + ' -> ' + fmt(b) + ' (' + (b > 0 ? '+' : '') + fmt(b) + ')';
        var p = 100 * (b - a) / Math.abs(a);
        return fmt(a) + ' -> ' + fmt(b) + ' (' + (p >= 0 ? '+' : '') + p.toFixed(1) + '%, x' + (b / a).toFixed(2) + ')';
    }

    /* ---- one graph ---- */
    function Graph(svg) {
        this.svg = svg;
        this.diff = svg.getAttribute('data-kind') === 'diff';
        this.fmt = svg.getAttribute('data-unit') === 'ns' ? fmtTime : fmtCount;
        this.total = +svg.getAttribute('data-total');
        var meta = svg.querySelector('metadata.cprof-names');
        this.names = meta ? JSON.parse(meta.textContent) : [];
        this.frames = null;
        this.term = '';
    }

    /* The frames from their data-f (flame.h): depth, width, name, figures;
     * x from the preorder: a frame starts where its previous sibling ended. */
    Graph.prototype.parse = function () {
        if (this.frames) return this.frames;
        var gs = this.svg.querySelectorAll('g.frames > g'), frames = [], open = [];
        for (var i = 0; i < gs.length; i++) {
            var v = gs[i].getAttribute('data-f').split(' ').map(Number);
            var f = {g: gs[i], rect: gs[i].querySelector('rect'), depth: v[0], w: v[1], name: v[2], v: v,
                     x: 0, next: 0, parent: -1, index: i};
            if (f.depth > 0) {
                var p = open[f.depth - 1];
                f.parent = p.index;
                f.x = p.next;
                p.next += f.w;
            }
            f.next = f.x;
            open[f.depth] = f;
            gs[i].cprofIndex = i;
            frames.push(f);
        }
        this.frames = frames;
        this.zoomed = frames[0];
        return frames;
    };

    Graph.prototype.fullName = function (f) {
        return f.name > 0 && this.names[f.name] ? this.names[f.name][0] : '';
    };
    Graph.prototype.label = function (f) {
        if (f.name < 0) return '(' + (-f.name) + ' merged)';
        var n = this.names[f.name];
        return n ? n[1] : '';
    };

    /* The details line of a frame: name, full name, where, figures. */
    Graph.prototype.describe = function (f) {
        var fmt = this.fmt, v = f.v, n = this.names[f.name] || ['', '', ''], s;
        if (f.name < 0)
            s = '(' + (-f.name) + ' merged): frames too narrow to draw, together';
        else if (f.depth === 0)
            s = 'all' + (n[2] ? ' (' + n[2] + ')' : '');
        else
            s = n[1] + (n[0] !== n[1] ? ' (' + n[0] + ')' : '') + (n[2] ? ' ' + n[2] : '');
        if (!this.diff)
            return s + ': incl ' + fmt(f.w) + ' (' + percent(f.w, this.total) + '), self ' + fmt(v[3]) +
                ', ' + v[4] + ' call' + (v[4] === 1 ? '' : 's');
        var verdict = v[9];
        return s + ': ' + diffFigure(fmt, v[3], v[4], verdict) + (verdict >= 0 ? ', ' + VERDICTS[verdict] : '') +
            '; self ' + diffFigure(fmt, v[5], v[6], -1) + '; calls ' + diffFigure(fmtCount, v[7], v[8], -1) +
            '; ' + percent(f.w, this.total) + ' of ' + (this.svg.getAttribute('data-shape') === 'a' ? 'A' : 'B');
    };

    Graph.prototype.width = function () {
        var w = this.svg.getBoundingClientRect().width;
        return w > 0 ? w : 1200;
    };

    /* A frame's label: whole, cut with "..", or none (as flame_draw.c). */
    function fit(label, px) {
        var room = Math.floor((px - 6) / CHAR_PX), chars = Array.from(label);
        if (room < 3) return '';
        return chars.length <= room ? label : chars.slice(0, room - 2).join('') + '..';
    }

    Graph.prototype.place = function (f, x, w, px) {
        f.rect.setAttribute('x', x.toFixed(4) + '%');
        f.rect.setAttribute('width', w.toFixed(4) + '%');
        var text = fit(f.depth === 0 ? 'all' : this.label(f), w / 100 * px), t = f.g.querySelector('text');
        if (!t && text) {
            t = document.createElementNS(NS, 'text');
            t.setAttribute('dx', '3');
            t.setAttribute('y', +f.rect.getAttribute('y') + 11.5);
            f.g.appendChild(t);
        }
        if (t) {
            t.setAttribute('x', x.toFixed(4) + '%');
            t.textContent = text;
        }
    };

    /* Zoom into frame z: it and what it called fill the width, its callers
     * stay full width (dimmed), everything else hides. */
    Graph.prototype.zoom = function (z) {
        var frames = this.parse(), px = this.width(), end = z.index + 1, i;
        while (end < frames.length && frames[end].depth > z.depth) end++;
        var anc = {};
        for (i = z.parent; i >= 0; i = frames[i].parent) anc[i] = true;
        for (i = 0; i < frames.length; i++) {
            var f = frames[i], inside = i >= z.index && i < end;
            f.g.classList.toggle('hide', !inside && !anc[i]);
            f.g.classList.toggle('anc', !!anc[i]);
            if (inside)
                this.place(f, z.w > 0 ? 100 * (f.x - z.x) / z.w : 0, z.w > 0 ? 100 * f.w / z.w : 0, px);
            else if (anc[i])
                this.place(f, 0, 100, px);
        }
        this.zoomed = z;
        var reset = this.svg.querySelector('.ctl.reset');
        if (reset) reset.classList.toggle('off', z.index === 0);
    };

    Graph.prototype.reset = function () {
        this.zoom(this.parse()[0]);
    };

    /* Highlight the frames whose full name holds term (or matches /re/);
     * their share counts a frame inside another match once. */
    Graph.prototype.search = function (term) {
        var frames = this.parse(), match, count = 0, sum = 0, cover = -1, m;
        term = term || '';
        if ((m = /^\/(.*)\/([a-z]*)$/.exec(term))) {
            var re;
            try { re = new RegExp(m[1], m[2]); } catch (e) { re = null; }
            match = function (s) { return re !== null && re.test(s); };
        } else {
            match = function (s) { return s.indexOf(term) >= 0; };
        }
        for (var i = 0; i < frames.length; i++) {
            var f = frames[i], hit = term !== '' && f.name > 0 && match(this.fullName(f));
            f.g.classList.toggle('hl', hit);
            if (cover >= 0 && f.depth <= cover) cover = -1;
            if (!hit) continue;
            count++;
            if (cover < 0) {
                sum += f.w;
                cover = f.depth;
            }
        }
        this.term = term;
        var share = this.total > 0 ? sum / this.total : 0;
        var out = this.svg.querySelector('text.matched');
        if (out)
            out.textContent = term === '' ? ' ' : 'Matched: ' + percent(sum, this.total) + ' (' + count + ' frame' +
                (count === 1 ? '' : 's') + ')';
        return {frames: count, share: share};
    };

    /* Labels fitted to the width the graph has (the file fits them to 1200 pixels). */
    Graph.prototype.relabel = function (always) {
        if (always || Math.abs(this.width() - 1200) > 12)
            this.zoom(this.zoomed || this.parse()[0]);
    };

    function frameOf(graph, target) {
        var g = target && target.closest ? target.closest('g.frames > g') : null;
        return g && graph.svg.contains(g) ? graph.parse()[g.cprofIndex] : null;
    }

    var graphs = [];

    function wire(svg) {
        if (svg.cprofFlame) return svg.cprofFlame;
        var graph = new Graph(svg);
        svg.cprofFlame = graph;
        graphs.push(graph);
        var details = svg.querySelector('text.details');
        svg.addEventListener('mouseover', function (e) {
            var f = frameOf(graph, e.target);
            if (!f) return;
            var text = graph.describe(f);
            if (details) details.textContent = text;
            if (!f.g.querySelector('title')) {   /* the browser's own tooltip too */
                var t = document.createElementNS(NS, 'title');
                t.textContent = text;
                f.g.insertBefore(t, f.g.firstChild);
            }
        });
        svg.addEventListener('mouseout', function (e) {
            if (details && frameOf(graph, e.target)) details.textContent = ' ';
        });
        svg.addEventListener('click', function (e) {
            var t = e.target;
            if (t.classList && t.classList.contains('reset')) return graph.reset();
            if (t.classList && t.classList.contains('search')) return askSearch();
            var f = frameOf(graph, t);
            if (f) graph.zoom(f);
        });
        /* after the first paint: a big graph shows first, then fits its labels */
        (window.requestAnimationFrame || setTimeout)(function () {
            setTimeout(function () { graph.relabel(false); }, 0);
        });
        return graph;
    }

    /* The Search control: one term for every graph of the document (a
     * diff's two shapes show the same frames). */
    function askSearch() {
        var term = window.prompt('Search frames (a part of a full name, or /regex/):', graphs.length ? graphs[0].term : '');
        if (term === null) return;
        graphs.forEach(function (g) { g.search(term); });
    }

    function cprofFlame(svg) { return wire(svg); }
    cprofFlame.search = function (svg, term) { return wire(svg).search(term); };
    cprofFlame.zoom = function (svg, frame) {
        var g = wire(svg), f = frameOf(g, frame);
        if (f) g.zoom(f);
    };
    cprofFlame.reset = function (svg) { wire(svg).reset(); };
    window.cprofFlame = cprofFlame;

    function wireAll() {
        var all = document.querySelectorAll('svg.cprof-flame');
        for (var i = 0; i < all.length; i++) wire(all[i]);
    }
    if (document.readyState === 'loading')
        document.addEventListener('DOMContentLoaded', wireAll);
    else
        wireAll();
    document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape') {
            graphs.forEach(function (g) { g.reset(); g.search(''); });
        } else if (document.documentElement.namespaceURI === NS &&
                   (e.key === '/' || ((e.ctrlKey || e.metaKey) && e.key === 'f'))) {
            e.preventDefault();   /* a standalone .svg has no find bar worth the name */
            askSearch();
        }
    });
    var resizing = 0;
    window.addEventListener('resize', function () {
        clearTimeout(resizing);
        resizing = setTimeout(function () { graphs.forEach(function (g) { g.relabel(true); }); }, 100);
    });
})();
