// playbook search: loads assets/search-index.js (the page table) with a
// <script> tag the first time the search box gets focus (fetch() of local
// files fails from file://), then answers queries as the reader types,
// loading the term buckets and page text each query needs the same way.
//
// The index format and the folding, splitting and stemming rules are described
// in src/search/; the functions below must give the same terms as the Rust ones
// (src/search/analyze.rs), which tests/suite/search_parity.rs checks.
//
// Results are built with createElement and textContent only: nothing from the
// index is ever parsed as HTML.
(function () {
  "use strict";

  var STOP = ("a an and are as at be but by for from has have if in into is it its no not of on or so " +
    "than that the their then there these they this to was were which will with").split(" ");
  var BUCKETS = 64; // term files: search::BUCKETS
  // "ς" is "σ" at the end of a word: toLowerCase writes one or the other by context.
  var EXTRA = { "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i", "ς": "σ" };
  var MARKS = /[\u0300-\u036f]/g;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var WEIGHTS = [1, 6, 12, 30]; // body, heading, summary, title
  var MAX_RESULTS = 12;
  var MAX_EXPANSION = 300; // dictionary terms one prefix may stand for
  var PHRASE_BATCH = 32; // candidates whose text is loaded at once for phrase checks
  var foldCache = Object.create(null);
  // What the further places a word appears in add to a page's score, by
  // their count (capped at 255): a quarter each, up to five.
  var SPREAD = new Float64Array(256);
  (function () {
    for (var n = 1; n < 256; n++) SPREAD[n] = Math.min(n - 1, 5) * 0.25;
  })();

  // Lower case, then per character: a letter whose NFD form is one base letter
  // plus combining marks becomes that letter (the rule of src/search/analyze.rs).
  function fold(text) {
    var lower = text.toLowerCase();
    var out = "";
    for (var i = 0; i < lower.length; i++) {
      var c = lower[i];
      if (c < "\u0080") { out += c; continue; }
      var f = foldCache[c];
      if (f === undefined) {
        f = EXTRA[c];
        if (f === undefined) {
          var d = c.normalize("NFD");
          var s = d.replace(MARKS, "");
          f = d.length > 1 && s.length === 1 ? s : c;
        }
        foldCache[c] = f;
      }
      out += f;
    }
    return out;
  }

  function words(folded) {
    return folded.match(WORD) || [];
  }

  // Letters, not UTF-16 units: "𝒜" is one.
  function letters(w) {
    return Array.from(w).length;
  }

  function isVowel(c) { return "aeiouy".indexOf(c) >= 0; }

  // Same steps as search::stem.
  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    if (/ies$/.test(w) && w.length >= 5) w = w.slice(0, -3) + "y";
    else if (/sses$/.test(w)) w = w.slice(0, -2);
    else if (/s$/.test(w) && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
    var suffixes = ["ing", "ed"];
    for (var i = 0; i < suffixes.length; i++) {
      var sfx = suffixes[i];
      if (w.length > sfx.length && w.slice(-sfx.length) === sfx) {
        var base = w.slice(0, -sfx.length);
        if (base.length >= 3 && /[aeiouy]/.test(base)) {
          var n = base.length;
          if (base[n - 1] === base[n - 2] && !isVowel(base[n - 1]) && "lsz".indexOf(base[n - 1]) < 0) {
            base = base.slice(0, -1);
          }
          w = base;
          break;
        }
      }
    }
    if (/ce$/.test(w) && w.length > 4) w = w.slice(0, -2) + "se";
    if (w.length > 4 && /e$/.test(w)) w = w.slice(0, -1);
    return w;
  }

  // The term file holding `term` and every term starting with it, when it
  // has two letters or more: FNV-1a over its first two code points (the
  // rule of search::bucket_of).
  function bucketOf(term) {
    var h = 0x811c9dc5, n = 0;
    for (var ch of term) {
      h = Math.imul(h ^ ch.codePointAt(0), 16777619) >>> 0;
      if (++n === 2) break;
    }
    return h % BUCKETS;
  }

  // ---- the index ----------------------------------------------------------

  var index = null; // see prepare()
  var loading = null; // Promise while the main index loads
  var indexSrc = null; // where load() was asked to find it
  var chunks = Object.create(null); // text file number → Promise
  var bucketLoads = Object.create(null); // term bucket number → Promise
  // Term bucket number → {terms, lists}: its sorted terms and their posting
  // lists, filled as buckets load.
  var buckets = Object.create(null);

  // Posting digits: "0"-"9", "a"-"v" end a number; "A"-"Z", "!#$%()" lead.
  var DIGIT = new Int8Array(128).fill(-1);
  var LEAD = new Uint8Array(128);
  (function () {
    var last = "0123456789abcdefghijklmnopqrstuv", lead = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()";
    for (var i = 0; i < 32; i++) {
      DIGIT[last.charCodeAt(i)] = i;
      DIGIT[lead.charCodeAt(i)] = i;
      LEAD[lead.charCodeAt(i)] = 1;
    }
  })();

  function prepare(data) {
    var pages = data.pages;
    var kinds = pages.kinds;
    var nDocs = kinds.length;
    var docFirst = new Int32Array(nDocs + 1);
    for (var d = 0; d < nDocs; d++) docFirst[d + 1] = docFirst[d] + pages.sections[d];
    var sectionDoc = new Int32Array(docFirst[nDocs]);
    for (var e = 0; e < nDocs; e++) sectionDoc.fill(e, docFirst[e], docFirst[e + 1]);
    // Each kind's enumeration fields, in the order a page's values come.
    var fields = data.fields || [];
    var kindFields = (data.kinds || []).map(function () { return []; });
    for (var f = 0; f < fields.length; f++) if (kindFields[fields[f][0]]) kindFields[fields[f][0]].push(f);
    // Where each page's values start in pages.values: one per enumeration
    // field of its kind.
    var valueStart = new Int32Array(nDocs + 1);
    for (var v = 0; v < nDocs; v++) valueStart[v + 1] = valueStart[v] + (kindFields[kinds[v]] || []).length;
    return {
      data: data,
      nDocs: nDocs,
      kinds: kinds, // page → kind
      values: pages.values,
      valueStart: valueStart,
      paths: null, // page → path and title, split from their lines when
      titles: null, // first shown: ranking needs neither
      fields: fields,
      kindFields: kindFields,
      docFirst: docFirst,
      sectionDoc: sectionDoc,
      base: ""
    };
  }

  function addScript(src, onload, onerror) {
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onload = onload;
    script.onerror = onerror;
    document.head.appendChild(script);
  }

  // Where the term and text files are: beside the index.
  function baseOf(src) {
    return src.slice(0, src.lastIndexOf("/") + 1);
  }

  // Loads the main index once; resolves with it. `src` is relative to the page;
  // the term and text files sit beside it.
  function load(src) {
    if (index) return Promise.resolve(index);
    if (loading) return loading;
    indexSrc = src;
    var base = baseOf(src);
    loading = new Promise(function (resolve, reject) {
      function ready() {
        var data = window.PLAYBOOK_SEARCH;
        if (!data) { loading = null; reject(new Error("search index is empty")); return; }
        if (data.buckets !== BUCKETS) {
          loading = null;
          reject(new Error("search index was made for another search.js: build the site again"));
          return;
        }
        index = prepare(data);
        index.base = base;
        resolve(index);
      }
      if (window.PLAYBOOK_SEARCH) { ready(); return; }
      addScript(src, ready, function () { loading = null; reject(new Error("search index could not be loaded")); });
    });
    return loading;
  }

  // Loads the text (summary, section excerpts) of every page in `docs`.
  function loadText(docs) {
    var wanted = {};
    docs.forEach(function (d) { wanted[Math.floor(d / index.data.chunk)] = true; });
    return Promise.all(Object.keys(wanted).map(function (n) {
      var have = window.PLAYBOOK_SEARCH_TEXT;
      if (have && have[n]) return have[n];
      if (!chunks[n]) {
        chunks[n] = new Promise(function (resolve, reject) {
          addScript(index.base + "search-text-" + n + ".js", function () {
            var t = window.PLAYBOOK_SEARCH_TEXT;
            if (t && t[n]) resolve(t[n]); else reject(new Error("search text " + n + " is empty"));
          }, function () { delete chunks[n]; reject(new Error("search text could not be loaded")); });
        });
      }
      return chunks[n];
    }));
  }

  // Adds to `need` the term buckets lookup() reads for one query word: its
  // stem's and, for a prefix, the word's, which hold every term starting
  // with either. Stemming keeps a word's first two letters, so the two are
  // the same bucket (src/search/format.rs tests it); lookup() reads each
  // from the bucket of its own key all the same.
  function bucketsFor(word, prefix, need) {
    need[bucketOf(stem(word))] = true;
    if (prefix) need[bucketOf(word)] = true;
  }

  // Loads term buckets (numbers as keys of `need`) into `buckets`. Their names
  // need no index, so they load beside it.
  function loadBuckets(need, base) {
    return Promise.all(Object.keys(need).map(function (k) {
      if (!bucketLoads[k]) {
        bucketLoads[k] = new Promise(function (resolve, reject) {
          function ready() {
            var t = window.PLAYBOOK_SEARCH_TERMS && window.PLAYBOOK_SEARCH_TERMS[k];
            if (!t) { delete bucketLoads[k]; reject(new Error("search terms " + k + " are empty")); return; }
            buckets[k] = { terms: t[0] ? t[0].split(" ") : [], lists: t[1] ? t[1].split(" ") : [] };
            resolve();
          }
          var have = window.PLAYBOOK_SEARCH_TERMS;
          if (have && have[k]) { ready(); return; }
          addScript(base + "search-terms-" + k + ".js", ready,
            function () { delete bucketLoads[k]; reject(new Error("search terms could not be loaded")); });
        });
      }
      return bucketLoads[k];
    }));
  }

  // [summary, sections] of a page whose text is loaded.
  function textOf(doc) {
    var chunk = index.data.chunk;
    return window.PLAYBOOK_SEARCH_TEXT[Math.floor(doc / chunk)][doc % chunk];
  }

  // First dictionary position in [lo, hi) whose term is >= key, or hi.
  function lowerBound(terms, key, lo, hi) {
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // The posting lists matching one query word, each with a weight: its stem
  // exactly (1), or, for the word being typed, any term starting with the
  // word or its stem (0.6). The buckets bucketsFor() names must be loaded;
  // each holds its terms in dictionary order, so a prefix's terms are a run.
  function lookup(word, prefix) {
    var out = [];
    var st = stem(word);
    var homeK = bucketOf(st);
    var home = buckets[homeK];
    var at = lowerBound(home.terms, st, 0, home.terms.length);
    var exact = home.terms[at] === st;
    if (exact) out.push([home.lists[at], 1]);
    if (prefix) {
      var seen = new Set(exact ? [homeK + ":" + at] : []); // bucket:position
      var starts = st === word ? [word] : [word, st];
      for (var k = 0; k < starts.length; k++) {
        var p = starts[k];
        var pk = bucketOf(p);
        var terms = buckets[pk].terms;
        for (var i = lowerBound(terms, p, 0, terms.length); i < terms.length && terms[i].lastIndexOf(p, 0) === 0; i++) {
          if (out.length >= MAX_EXPANSION) break;
          if (!seen.has(pk + ":" + i)) { seen.add(pk + ":" + i); out.push([buckets[pk].lists[i], 0.6]); }
        }
      }
    }
    return out;
  }

  // Splits a query into words and quoted phrases. The last word is a prefix
  // unless a space or quote follows it: the reader may still be typing it.
  function parse(query) {
    var clauses = [];
    var phrases = [];
    var re = /"([^"]*)("?)|[^\s"]+/g;
    var endsOpen = !/[\s"]$/.test(query);
    var m;
    while ((m = re.exec(query))) {
      var atEnd = re.lastIndex === query.length && endsOpen;
      var ws = words(fold(m[1] !== undefined ? m[1] : m[0]));
      if (m[1] !== undefined && ws.length > 1) phrases.push(ws.map(stem));
      for (var i = 0; i < ws.length; i++) {
        var prefix = atEnd && i === ws.length - 1;
        var stop = STOP.indexOf(ws[i]) >= 0;
        if (letters(ws[i]) < 2 || (stop && !prefix)) continue;
        // A stop word being typed may be the start of a longer word; it only
        // narrows the results if that leaves any.
        clauses.push({ word: ws[i], prefix: prefix, optional: stop });
      }
    }
    return { clauses: clauses, phrases: phrases };
  }

  // Token stems of a text, for phrase checks.
  function stemsOf(text) {
    return words(fold(text)).map(stem);
  }

  function hasPhrase(stems, phrase) {
    outer: for (var i = 0; i + phrase.length <= stems.length; i++) {
      for (var j = 0; j < phrase.length; j++) if (stems[i + j] !== phrase[j]) continue outer;
      return true;
    }
    return false;
  }

  // The value (1 + its index, 0 for none) page `doc` has for field `f`.
  function docValue(doc, f) {
    var fs = index.kindFields[index.kinds[doc]];
    var at = fs ? fs.indexOf(f) : -1;
    return at >= 0 ? index.values[index.valueStart[doc] + at] || 0 : 0;
  }

  // Page `doc`'s output path (without ".html") and title.
  function pathOf(doc) {
    if (!index.paths) index.paths = index.data.pages.paths.split("\n");
    return index.paths[doc];
  }
  function titleOf(doc) {
    if (!index.titles) index.titles = index.data.pages.titles.split("\n");
    return index.titles[doc];
  }

  // Whether page `doc` passes `filter`: {kind} or {field, value}, or null.
  function passes(doc, filter) {
    if (!filter) return true;
    if (filter.kind !== undefined) return index.kinds[doc] === filter.kind;
    return docValue(doc, filter.field) === filter.value;
  }

  // How many of `found` each kind and each facet's value holds:
  // {all, kinds: {kind: n}, values: {"field:value": n}}.
  // Tallied in typed arrays, then named: keyed objects built per page took
  // 4 ms of a first query matching 9,923 pages.
  function countsOf(found) {
    var kinds = index.kinds, values = index.values, valueStart = index.valueStart;
    var kindFields = index.kindFields, fields = index.fields;
    var perKind = new Int32Array(index.data.kinds.length + 1);
    var perValue = fields.map(function (f) { return new Int32Array(f[3].length + 1); });
    for (var i = 0; i < found.length; i++) {
      var doc = found[i], kind = kinds[doc];
      perKind[kind]++;
      var fs = kindFields[kind];
      if (!fs) continue;
      for (var j = 0, at = valueStart[doc]; j < fs.length; j++) {
        var v = values[at + j] | 0;
        if (v && fields[fs[j]][4] && v < perValue[fs[j]].length) perValue[fs[j]][v]++;
      }
    }
    var c = { all: found.length, kinds: Object.create(null), values: Object.create(null) };
    for (var k = 0; k < perKind.length; k++) if (perKind[k]) c.kinds[k] = perKind[k];
    perValue.forEach(function (counts, f) {
      for (var n = 1; n < counts.length; n++) if (counts[n]) c.values[f + ":" + n] = counts[n];
    });
    return c;
  }

  // The best `k` of `found` by score, highest first, ties in page order: what
  // a full sort would put first, without sorting every match (a first query
  // matching 9,923 pages spent 4 ms sorting them).
  function topOf(found, score, k) {
    var top = [];
    for (var i = 0; i < found.length; i++) {
      var doc = found[i], s = score[doc];
      if (top.length === k && !(s > score[top[k - 1]])) continue;
      if (top.length === k) top.pop();
      // found is in page order: an equal score never passes an earlier page.
      var at = top.length;
      while (at > 0 && s > score[top[at - 1]]) at--;
      top.splice(at, 0, doc);
    }
    return top;
  }

  // The ranked results of `query`, a Promise of [{doc, section, score, marks}]
  // with `counts` (see countsOf) for every page the words match, before
  // `filter` keeps those of one kind or one facet's value. `section` is a
  // site-wide section number, or -1 when the title or summary matched best.
  // Loads the index (load() must have been called) and the term buckets the
  // query needs, side by side; resolves once the text of the results is
  // loaded. `onRanked`, if given, gets the same results as
  // soon as they are ranked, before their text loads (phrase queries, which
  // are checked against the text, only resolve).
  function search(query, filter, onRanked) {
    var q = parse(query);
    if (!indexSrc) return Promise.reject(new Error("search index not loaded: call load() first"));
    var need = Object.create(null);
    for (var c = 0; c < q.clauses.length; c++) bucketsFor(q.clauses[c].word, q.clauses[c].prefix, need);
    return Promise.all([load(indexSrc), loadBuckets(need, baseOf(indexSrc))]).then(function () {
      return rank(q, filter || null, onRanked);
    });
  }

  function none() {
    var r = [];
    r.counts = { all: 0, kinds: Object.create(null), values: Object.create(null) };
    return Promise.resolve(r);
  }

  // Adds one term's postings (its list as stored: see the digits above) to
  // the page and section tallies of a query word; returns whether any page
  // that is still in matched. A function of its own, on locals only: a
  // first query runs it cold, and at 10,000 pages "open weights" walks
  // 96,000 postings through it. It decodes as it goes (a decoded copy was a
  // second pass), and `score` is always an array, so that every call sees
  // the same types (a null for the first word made V8 recompile the loop
  // for the second). With addScores below, these took a cold "open
  // weights" from 30 to 14 ms in Node, medians of 9 fresh processes.
  function tally(list, factor, sectionDoc, score, best, spread, secScore) {
    var any = false;
    var weight = new Float64Array(4);
    for (var f = 0; f < 4; f++) weight[f] = WEIGHTS[f] * factor;
    var n = 0, section = 0;
    for (var i = 0; i < list.length; i++) {
      var c = list.charCodeAt(i);
      n = n * 32 + DIGIT[c];
      if (LEAD[c]) continue;
      section += n >> 2;
      var field = n & 3;
      n = 0;
      var doc = sectionDoc[section];
      if (score[doc] !== score[doc]) continue; // NaN: already out
      var w = weight[field];
      if (w > best[doc]) best[doc] = w;
      spread[doc]++; // clamped at 255
      // Title and summary hits belong to the page, not to a heading.
      if (field < 2) secScore[section] += w;
      any = true;
    }
    return any;
  }

  // Adds one word's tallies to the page scores: its best field, plus a
  // little for each further place it appears; a page without it is out
  // (NaN). A small function of its own, which V8 compiles sooner than the
  // same loop inside rank().
  function addScores(score, best, spread) {
    for (var d = 0; d < score.length; d++) {
      var b = best[d];
      score[d] = b > 0 ? score[d] + b + SPREAD[spread[d]] : NaN;
    }
  }

  function rank(q, filter, onRanked) {
    var nDocs = index.nDocs;
    var score = new Float64Array(nDocs); // per page, NaN once a word is missing
    var scored = false; // whether a word has been scored yet
    var secScore = new Float64Array(index.sectionDoc.length);
    var marks = { stems: new Set(), prefixes: [] };
    var best = new Float64Array(nDocs);
    var spread = new Uint8ClampedArray(nDocs);
    for (var c = 0; c < q.clauses.length; c++) {
      var clause = q.clauses[c];
      var hits = lookup(clause.word, clause.prefix);
      best.fill(0);
      spread.fill(0);
      var any = false;
      for (var h = 0; h < hits.length; h++) {
        if (tally(hits[h][0], hits[h][1], index.sectionDoc, score, best, spread, secScore)) any = true;
      }
      if (clause.optional) {
        // A stop word being typed narrows the results only if some remain.
        var keeps = false;
        for (var k = 0; k < nDocs && !keeps; k++) keeps = best[k] > 0 && score[k] === score[k];
        if (!keeps) continue;
      }
      if (!any) return none();
      addScores(score, best, spread);
      scored = true;
      var st = stem(clause.word);
      marks.stems.add(st);
      if (clause.prefix) marks.prefixes.push(clause.word, st);
    }
    if (!scored) return none();
    q.phrases.forEach(function (ph) { ph.forEach(function (t) { marks.stems.add(t); }); });
    var found = [];
    for (var e = 0; e < nDocs; e++) if (score[e] > 0) found.push(e);
    var counts = countsOf(found);
    if (filter) found = found.filter(function (doc) { return passes(doc, filter); });
    function counted(r) { r.counts = counts; return r; }
    function bestSection(doc) {
      var at = -1, top = 0;
      for (var s = index.docFirst[doc]; s < index.docFirst[doc + 1]; s++) {
        if (secScore[s] > top) { top = secScore[s]; at = s; }
      }
      return at;
    }
    function result(doc, section) {
      return { doc: doc, section: section, score: score[doc], marks: marks };
    }
    if (!q.phrases.length) {
      var top = topOf(found, score, MAX_RESULTS);
      var ranked = counted(top.map(function (doc) { return result(doc, bestSection(doc)); }));
      if (!onRanked) return loadText(top).then(function () { return ranked; });
      // The titles are shown while the text files load. Those are asked for
      // in a task of their own: a dozen script tags added in the same task
      // held back the frame with the titles (at 10,000 pages, "open
      // weights" drawn in 65 ms against 78, median of 7; see bench/RESULTS.md).
      onRanked(ranked);
      return new Promise(function (next) { setTimeout(next, 0); }).then(function () {
        return loadText(top);
      }).then(function () { return ranked; });
    }
    // Phrases are checked against the stored text: load the candidates' text
    // in rank order, a batch at a time, until enough of them hold the phrases.
    found.sort(function (a, b) { return score[b] - score[a] || a - b; });
    var out = [];
    var next = 0;
    function more() {
      if (next >= found.length || out.length >= MAX_RESULTS) return Promise.resolve(counted(out));
      var batch = found.slice(next, next + PHRASE_BATCH);
      next += batch.length;
      return loadText(batch).then(function () {
        for (var i = 0; i < batch.length && out.length < MAX_RESULTS; i++) {
          var at = phraseSection(batch[i], q.phrases);
          if (at !== null) out.push(result(batch[i], at));
        }
        return more();
      });
    }
    return more();
  }

  // The section of `doc` holding every phrase (-1: the title or summary), or
  // null. Checked against the stored text of each section.
  function phraseSection(doc, phrases) {
    var t = textOf(doc);
    var texts = [[-1, titleOf(doc) + " \u2022 " + t[0]]];
    var first = index.docFirst[doc];
    for (var s = 0; s < t[1].length; s++) texts.push([first + s, t[1][s][1] + " \u2022 " + t[1][s][2]]);
    var at = null;
    for (var p = 0; p < phrases.length; p++) {
      var hit = null;
      for (var k = 0; k < texts.length && hit === null; k++) {
        if (hasPhrase(stemsOf(texts[k][1]), phrases[p])) hit = texts[k][0];
      }
      if (hit === null) return null;
      if (at === null || at < 0) at = hit;
    }
    return at;
  }

  // ---- results ------------------------------------------------------------

  function isMarked(word, marks) {
    var f = fold(word);
    var st = stem(f);
    if (marks.stems.has(st)) return true;
    for (var i = 0; i < marks.prefixes.length; i++) {
      var p = marks.prefixes[i];
      if (f.lastIndexOf(p, 0) === 0 || st.lastIndexOf(p, 0) === 0) return true;
    }
    return false;
  }

  // Appends `text` to `el` as text nodes, with the words the query matched
  // wrapped in <mark>.
  function highlight(el, text, marks) {
    var last = 0;
    var re = new RegExp(WORD.source, "gu");
    var m;
    while ((m = re.exec(text))) {
      if (!isMarked(m[0], marks)) continue;
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }

  // About `size` characters of `text` around its first matched word.
  function around(text, marks, size) {
    if (text.length <= size) return text;
    var re = new RegExp(WORD.source, "gu");
    var m, at = 0;
    while ((m = re.exec(text))) {
      if (isMarked(m[0], marks)) { at = m.index; break; }
    }
    var start = Math.max(0, at - Math.floor(size / 3));
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < at) start = space + 1;
    }
    var end = Math.min(text.length, start + size);
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > at) end = back;
    }
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
  }

  // The kind of page `doc`, with the value of the field its kind groups by.
  function kindLabel(doc) {
    var code = index.kinds[doc];
    var kind = index.data.kinds[code] || ["page", "", -1];
    var label = kind[1];
    if (kind[2] >= 0) {
      var v = docValue(doc, kind[2]);
      var value = v && index.fields[kind[2]][3][v - 1];
      if (value) label += " \u00b7 " + value[1];
    }
    return { name: kind[0], label: label };
  }

  // The link, title, kind and snippet of one result. Until its text is
  // loaded, the link goes to the top of the page and there is no snippet.
  function describe(r, root) {
    var href = root + pathOf(r.doc) + ".html";
    var info = { href: href, title: titleOf(r.doc), kind: kindLabel(r.doc), heading: "", text: "" };
    var have = window.PLAYBOOK_SEARCH_TEXT;
    var t = have && have[Math.floor(r.doc / index.data.chunk)] && textOf(r.doc);
    if (!t) return info;
    var heading = "";
    var text = t[0];
    if (r.section >= 0) {
      var s = t[1][r.section - index.docFirst[r.doc]];
      if (s[0]) href += "#" + s[0];
      heading = s[1];
      if (s[2]) text = s[2];
    }
    info.href = href;
    info.heading = heading;
    info.text = text;
    return info;
  }

  // ---- the search box -----------------------------------------------------

  function setup(box) {
    var input = box.querySelector("[data-search-input]");
    var list = box.querySelector("[data-search-results]");
    if (!input || !list) return;
    var bar = box.querySelector("[data-search-filters]");
    var panel = box.querySelector("[data-search-panel]");
    var root = box.getAttribute("data-root") || "";
    var src = box.getAttribute("data-index") || root + "assets/search-index.js";
    var active = -1;
    var items = [];
    var filter = null; // {kind} or {field, value}: which results to keep

    function open(yes) {
      list.hidden = !yes;
      if (panel) panel.hidden = !yes;
      if (bar) bar.hidden = !bar.firstChild;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) setActive(-1);
    }

    // `scroll`: bring the option into view. A list drawn afresh starts at
    // its top, and scrolling it there would lay out the whole page first.
    function setActive(i, scroll) {
      if (items[active]) items[active].setAttribute("aria-selected", "false");
      active = i;
      if (items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        if (scroll !== false) items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // A line of its own in the list: in place of the results, or after them
    // when `keep` (results shown whose snippets could not be loaded).
    function status(text, keep) {
      if (!keep) {
        list.textContent = "";
        items = [];
        active = -1;
      }
      var li = document.createElement("li");
      li.className = "search-status";
      li.setAttribute("role", "presentation");
      li.textContent = text;
      list.appendChild(li);
      open(true);
    }

    // Buttons that keep only one kind, or one value of a facet, each with
    // how many of the matches it keeps. Outside the list of results, which
    // holds options only.
    function filters(counts) {
      if (!bar) return;
      bar.textContent = "";
      var buttons = [];
      function add(label, n, f) {
        var b = document.createElement("button");
        b.type = "button";
        var on = JSON.stringify(f) === JSON.stringify(filter);
        b.setAttribute("aria-pressed", on ? "true" : "false");
        b.setAttribute("data-filter", f ? (f.kind !== undefined ? "kind:" + index.data.kinds[f.kind][0] : "field:" + index.fields[f.field][1] + "=" + index.fields[f.field][3][f.value - 1][0]) : "all");
        b.textContent = label + " ";
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = String(n);
        b.appendChild(count);
        b.addEventListener("click", function () {
          filter = on ? null : f;
          run();
          input.focus();
        });
        buttons.push(b);
      }
      var kinds = Object.keys(counts.kinds).map(Number).sort(function (a, b) { return a - b; });
      if (counts.all > 0 && (kinds.length > 1 || filter)) {
        add("All", counts.all, null);
        kinds.forEach(function (k) { add(index.data.kinds[k][1], counts.kinds[k], { kind: k }); });
      }
      index.fields.forEach(function (f, fi) {
        if (!f[4]) return;
        f[3].forEach(function (value, vi) {
          var n = counts.values[fi + ":" + (vi + 1)];
          if (n) add(index.data.kinds[f[0]][1] + ": " + value[1], n, { field: fi, value: vi + 1 });
        });
      });
      buttons.forEach(function (b) { bar.appendChild(b); });
      bar.hidden = !buttons.length;
    }

    // The parts of a result that come from its text file: the link to the
    // section, the section's heading and the snippet.
    function fillText(a, info, marks) {
      a.href = info.href;
      var old = a.querySelectorAll(".search-heading, .search-snippet");
      for (var i = 0; i < old.length; i++) a.removeChild(old[i]);
      if (info.heading) {
        var where = document.createElement("span");
        where.className = "search-heading";
        highlight(where, info.heading, marks);
        a.appendChild(where);
      }
      if (!info.text) return;
      var snippet = document.createElement("span");
      snippet.className = "search-snippet";
      highlight(snippet, around(info.text, marks, 160), marks);
      a.appendChild(snippet);
    }

    function show(results, query) {
      list.textContent = "";
      items = [];
      active = -1;
      filters(results.counts || { all: 0, kinds: {}, values: {} });
      if (!results.length) { status("No results for \u201c" + query + "\u201d"); return; }
      results.forEach(function (r, i) {
        var info = describe(r, root);
        // The option is the link itself: a link inside an option would be a
        // control inside a control, which screen readers cannot reach.
        var li = document.createElement("li");
        li.setAttribute("role", "presentation");
        var a = document.createElement("a");
        a.id = list.id + "-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.href = info.href;
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "search-title";
        highlight(title, info.title, r.marks);
        var kind = document.createElement("span");
        kind.className = "search-kind kind-" + info.kind.name;
        kind.textContent = info.kind.label;
        a.appendChild(title);
        a.appendChild(kind);
        fillText(a, info, r.marks);
        li.appendChild(a);
        a.addEventListener("mousemove", function () { if (active !== i) setActive(i); });
        list.appendChild(li);
        items.push(a);
      });
      open(true);
      list.scrollTop = 0;
      setActive(0, false);
    }

    var pending = 0;
    function run() {
      var query = input.value;
      if (!query.trim()) { list.textContent = ""; items = []; filter = null; if (bar) bar.textContent = ""; open(false); return; }
      var ticket = ++pending;
      if (!index) status("Loading the search index\u2026");
      // Titles first, as soon as the results are ranked; links to their
      // sections and snippets once the text files arrive (at 10,000 pages a
      // dozen results are a dozen files, about 20 ms).
      var shown = null;
      function ranked(results) {
        if (ticket !== pending) return;
        show(results, query.trim());
        shown = results;
      }
      // The index and the query's term files load side by side.
      load(src).catch(function () { /* search() reports it */ });
      search(query, filter, ranked).then(function (results) {
        if (ticket !== pending) return;
        if (shown === results) {
          results.forEach(function (r, i) { fillText(items[i], describe(r, root), r.marks); });
        } else {
          show(results, query.trim());
        }
        // Says which query the list answers (tests wait on it).
        list.setAttribute("data-query", query);
      }, function (err) {
        if (ticket !== pending) return;
        if (shown) {
          // The titles already shown still link to their pages.
          status("Snippets are unavailable: " + err.message + ".", true);
          list.setAttribute("data-query", query);
        } else {
          status("Search is unavailable: " + err.message + ".");
        }
      });
    }

    input.addEventListener("focus", function () {
      load(src).catch(function () { /* reported when the reader types */ });
      if (input.value.trim() && items.length) open(true);
    });
    input.addEventListener("input", run);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!items.length) return;
        e.preventDefault();
        if (list.hidden) open(true);
        var n = items.length;
        setActive(e.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n);
      } else if (e.key === "Enter") {
        var target = items[active >= 0 ? active : 0];
        if (target && !list.hidden) {
          e.preventDefault();
          window.location.href = target.href;
        }
      } else if (e.key === "Escape") {
        e.preventDefault();
        if (!list.hidden) open(false);
        else { input.value = ""; input.blur(); }
      }
    });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target)) open(false);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // What link previews show of the page at `path` (relative to the site
  // root, without ".html"): its title, kind (with its badge), the badge's
  // tone and its summary, from the index and text files already on disk.
  function pageInfo(src, path) {
    return load(src).then(function () {
      if (!index.byPath) {
        index.byPath = Object.create(null);
        for (var i = 0; i < index.nDocs; i++) index.byPath[pathOf(i)] = i;
      }
      var doc = index.byPath[path];
      if (doc === undefined) return null;
      return loadText([doc]).then(function () {
        var kind = index.data.kinds[index.kinds[doc]] || ["page", "", -1];
        var v = kind[2] >= 0 ? docValue(doc, kind[2]) : 0;
        var value = v ? index.fields[kind[2]][3][v - 1] : null;
        return {
          title: titleOf(doc),
          kind: kindLabel(doc).label,
          tone: value ? value[2] || "neutral" : "",
          summary: textOf(doc)[0]
        };
      });
    });
  }

  // For link previews, tests and measurements: load the index and query it
  // without the box.
  window.playbookSearch = {
    load: function (src) { return load(src); },
    page: pageInfo,
    search: search,
    fold: fold,
    stem: stem
  };

  function init() {
    var boxes = document.querySelectorAll("[data-search]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
