/* The decision tree, one question at a time (decide.html), and the reader's
 * path on the map (decide-map.html). No network, no fetch: the tree is
 * embedded in the page as JSON, worked out at build time (numbers, the
 * longest way on from each question, what each answer's alternatives lead
 * to); this script only looks things up.
 *
 * The address records the answers by id, in the order given:
 * decide.html#harm=no&data=no&moat=behind. A link keeps its meaning when the
 * tree's answers are reordered; an answer that no longer exists is named to
 * the reader, who answers that question again. Links of the first edition
 * (#path=1.1.2, answer positions) still open: they are read against the
 * tree and rewritten as ids. Every answer, Back, Change and Start again is a
 * new address, so the browser's Back button steps back through them.
 *
 * Content is only ever inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var NOT_SURE = "not-sure";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function enc(s) { return encodeURIComponent(s); }
  function format(pairs) {
    return pairs.map(function (p) { return enc(p[0]) + "=" + enc(p[1]); }).join("&");
  }
  function plural(n, word) { return n + " " + word + (String(n) === "1" ? "" : "s"); }

  // The answers in an address: [[question, answer], …] in order, or the
  // positions of a first-edition link. Parts without "=" (an anchor such as
  // #q-harm) are not answers.
  function parse(hash, isOldAnswer) {
    var h = hash.replace(/^#/, "");
    var m = /^path=([0-9.]*)$/.exec(h);
    if (m && !isOldAnswer(m[1])) {
      return { positions: m[1] === "" ? [] : m[1].split(".").map(Number), pairs: [] };
    }
    var pairs = [];
    h.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 1) { return; }
      try {
        pairs.push([decodeURIComponent(part.slice(0, i)), decodeURIComponent(part.slice(i + 1))]);
      } catch (e) { /* a malformed escape: not an answer */ }
    });
    return { positions: null, pairs: pairs };
  }
  function given(pairs) {
    var g = {};
    pairs.forEach(function (p) { if (!Object.prototype.hasOwnProperty.call(g, p[0])) { g[p[0]] = p[1]; } });
    return g;
  }
  function cssString(s) { return "\"" + String(s).replace(/["\\]/g, "\\$&") + "\""; }

  var root = document.querySelector("[data-decision-tree]");
  var dataEl = document.getElementById("pb-tree-data");
  if (root && dataEl) {
    var tree;
    try { tree = JSON.parse(dataEl.textContent); } catch (e) { tree = null; }
    if (tree) { app(tree); }
  }
  if (document.querySelector("[data-tree-map]")) { mapPage(); }

  function app(tree) {
    var appEl = root.querySelector("[data-tree-app]");
    var fallback = root.querySelector("[data-tree-static]");
    var questions = {}, verdicts = {}, calls = {};
    tree.questions.forEach(function (q) { questions[q.id] = q; });
    tree.verdicts.forEach(function (v) { verdicts[v.id] = v; });
    tree.calls.forEach(function (c) { calls[c.value] = c; });
    fallback.hidden = true;
    appEl.hidden = false;
    root.classList.add("dt-live");
    // Answers the reader gave on this page and then changed or stepped
    // back from: shown beside the question when it is asked again.
    var previous = {};
    var notice = null; // a message about the link just opened, shown once
    var lastHash = null;

    function answerOf(q, id) {
      for (var i = 0; i < q.answers.length; i++) { if (q.answers[i].id === id) { return q.answers[i]; } }
      return null;
    }
    function isOldAnswer(value) {
      var q = questions.path;
      return !!(q && answerOf(q, value));
    }
    function validPair(p) {
      var q = questions[p[0]];
      return !!q && (!!answerOf(q, p[1]) || (p[1] === NOT_SURE && q.not_sure));
    }
    function link(l) { return el("a", { href: l.href, text: l.title }); }
    function absolute(href) {
      try { return new URL(href, document.baseURI).href; } catch (e) { return href; }
    }
    function page() { return location.href.split("#")[0]; }

    // A first-edition link: each position read against today's tree.
    function fromPositions(positions) {
      var q = questions[tree.start], pairs = [], problem = null;
      for (var i = 0; i < positions.length && q; i++) {
        var a = q.answers[positions[i]];
        if (!a) {
          problem = "Your link gave answer number " + (positions[i] + 1) + " to “" + q.text +
            "”, which has " + q.answers.length + " answers now. Please answer it again.";
          break;
        }
        pairs.push([q.id, a.id]);
        if (a.verdict) { break; }
        q = questions[a.next];
      }
      return { pairs: pairs, problem: problem };
    }

    // Follows the recorded answers from the start, as far as they go.
    function walk(pairs) {
      var g = given(pairs), q = questions[tree.start], steps = [], problems = [];
      pairs.forEach(function (p) {
        if (!questions[p[0]]) {
          problems.push("Your link answers a question (“" + p[0] + "”) that is no longer in the tree; it has been left out.");
        }
      });
      while (q) {
        if (!Object.prototype.hasOwnProperty.call(g, q.id)) { break; }
        var id = g[q.id];
        if (id === NOT_SURE && q.not_sure) {
          return { steps: steps, spread: q, pairs: pairs, problems: problems };
        }
        var a = answerOf(q, id);
        if (!a) {
          problems.push("Your link’s answer “" + id + "” to “" + q.text +
            "” no longer exists: the tree has changed since the link was made. Please answer this question again.");
          break;
        }
        steps.push({ question: q, answer: a });
        if (a.verdict) { return { steps: steps, verdict: verdicts[a.verdict], pairs: pairs, problems: problems }; }
        q = questions[a.next];
      }
      return { steps: steps, question: q, pairs: pairs, problems: problems };
    }

    function pathPairs(state) {
      var pairs = state.steps.map(function (s) { return [s.question.id, s.answer.id]; });
      if (state.spread) { pairs.push([state.spread.id, NOT_SURE]); }
      return pairs;
    }
    // The answers on the path, then every other answer still meaningful, so
    // that changing an early answer keeps the later ones that still apply.
    function withAnswer(state, qid, aid) {
      var pairs = pathPairs(state).filter(function (p) { return p[0] !== qid; });
      if (aid !== null) { pairs.push([qid, aid]); }
      var seen = {};
      seen[qid] = true;
      pairs.forEach(function (p) { seen[p[0]] = true; });
      state.pairs.forEach(function (p) {
        if (!seen[p[0]] && validPair(p)) { seen[p[0]] = true; pairs.push(p); }
      });
      return pairs;
    }
    function without(state, qid) { return withAnswer(state, qid, null); }
    function go(pairs) { location.hash = format(pairs); }

    function progress(state) {
      var k = state.steps.length;
      var most = k + state.question.longest;
      return "Question " + (k + 1) + " of " + (most === k + 1 ? "" : "at most ") + most;
    }

    function why(q, id) {
      if (!q.why && !q.see.length) { return null; }
      var p = el("p", { "class": "dt-why", id: id }, [el("strong", { text: "Why we ask: " }), q.why ? q.why + " " : ""]);
      if (q.see.length) {
        p.appendChild(document.createTextNode("See "));
        q.see.forEach(function (s, i) {
          if (i) { p.appendChild(document.createTextNode(", ")); }
          p.appendChild(link(s));
        });
        p.appendChild(document.createTextNode("."));
      }
      return p;
    }

    function backLink(state) {
      if (!state.steps.length && !state.spread) { return null; }
      var last = state.spread || state.steps[state.steps.length - 1].question;
      var a = el("a", { "class": "dt-back-link", "data-back": "", href: "#" + format(without(state, last.id)), text: "Back" });
      a.addEventListener("click", function () { remember(state, last.id); });
      return a;
    }
    function remember(state, qid) {
      var g = given(pathPairs(state));
      if (g[qid] !== undefined) { previous[qid] = g[qid]; }
    }

    function notices(state) {
      var all = (notice ? [notice] : []).concat(state.problems);
      notice = null;
      if (!all.length) { return null; }
      return el("div", { "class": "dt-notice", role: "status" }, all.map(function (m) { return el("p", { text: m }); }));
    }

    // "Check your answers": each answer with a Change link, which asks that
    // question again and keeps the rest.
    function summary(state, open) {
      var rows = state.steps.map(function (s) { return { q: s.question, label: s.answer.label }; });
      if (state.spread) { rows.push({ q: state.spread, label: "Not sure" }); }
      if (!rows.length) { return null; }
      var list = el("dl", { "class": "dt-summary-list" });
      rows.forEach(function (r) {
        var change = el("a", { href: "#" + format(without(state, r.q.id)), "class": "dt-change", "data-change": r.q.id }, [
          "Change", el("span", { "class": "visually-hidden", text: " your answer “" + r.label + "” to “" + r.q.text + "”" })
        ]);
        change.addEventListener("click", function () { remember(state, r.q.id); });
        list.appendChild(el("div", { "class": "dt-summary-row", "data-question": r.q.id }, [
          el("dt", { text: r.q.text }),
          el("dd", { "class": "dt-summary-answer", text: r.label }),
          el("dd", { "class": "dt-summary-change" }, [change])
        ]));
      });
      var title = state.question ? "Your answers so far (" + rows.length + ")" : "Your answers (" + rows.length + ")";
      var d = el("details", { "class": "dt-summary" }, [el("summary", { text: title }), list]);
      if (open) { d.open = true; }
      return d;
    }

    function restart() {
      var a = el("a", { "class": "dt-restart", "data-restart": "", href: "#", text: "Start again" });
      a.addEventListener("click", function () { previous = {}; });
      return a;
    }

    function questionView(state) {
      var q = state.question;
      var answers = el("div", { "class": "dt-answers" });
      q.answers.forEach(function (a) {
        var b = el("button", { type: "button", "class": "dt-answer", "data-answer": a.id, text: a.label });
        if (previous[q.id] === a.id) { b.classList.add("dt-answer-previous"); }
        b.addEventListener("click", function () { go(withAnswer(state, q.id, a.id)); });
        answers.appendChild(b);
      });
      if (q.not_sure) {
        answers.appendChild(el("p", { "class": "dt-or", text: "or" }));
        var ns = el("button", { type: "button", "class": "dt-answer dt-answer-unsure", "data-answer": NOT_SURE, "aria-describedby": "pb-dt-unsure-note", text: "Not sure" });
        ns.addEventListener("click", function () { go(withAnswer(state, q.id, NOT_SURE)); });
        answers.appendChild(ns);
        answers.appendChild(el("p", { "class": "dt-unsure-note", id: "pb-dt-unsure-note", text: "Shows every call the answers above lead to." }));
      }
      var before = previous[q.id] && (answerOf(q, previous[q.id]) || (previous[q.id] === NOT_SURE ? { label: "Not sure" } : null));
      var kept = state.pairs.filter(function (p) { return p[0] !== q.id && validPair(p); }).length - state.steps.length;
      return [
        el("fieldset", { "class": "dt-question", "data-question": q.id }, [
          el("legend", { "class": "dt-legend" }, [
            el("span", { "class": "dt-progress", "data-progress": "", text: progress(state) }),
            el("h2", { id: "pb-dt-question", tabindex: "-1", text: q.text })
          ]),
          why(q, "pb-dt-why"),
          before ? el("p", { "class": "dt-previous", text: "Your answer was “" + before.label + "”." }) : null,
          answers
        ]),
        kept > 0 ? el("p", { "class": "dt-kept", text: "Your later answers are kept: questions you have answered are not asked again." }) : null,
        summary(state, true)
      ];
    }

    function whatIfLines(state, call) {
      var changing = 0;
      var lines = state.steps.map(function (s) {
        var other = s.answer.whatif;
        var differs = other.some(function (c) { return c.call !== call; });
        if (differs) { changing += 1; }
        var parts = other.map(function (c) {
          return calls[c.call].label + " (" + plural(c.paths, "path") + ")";
        });
        var text = parts.length > 1 ? parts.slice(0, -1).join(", ") + " or " + parts[parts.length - 1] : parts[0] || "";
        return { question: s.question, differs: differs, text: text };
      });
      return { lines: lines, changing: changing };
    }
    function whatIfList(w) {
      var list = el("ul", { "class": "dt-whatif" });
      w.lines.forEach(function (l) {
        list.appendChild(el("li", { "data-question": l.question.id, "class": l.differs ? "dt-whatif-differs" : "dt-whatif-same" }, [
          "Had you answered ", el("em", { text: l.question.text }), " differently: " + l.text + "."
        ]));
      });
      return list;
    }
    function firmness(w, n) {
      if (!w.changing) { return "No other answer on your path leads to another call."; }
      if (w.changing === n && n > 1) { return "Each of your " + n + " answers, given differently, could lead to another call."; }
      return w.changing + " of your " + plural(n, "answer") + ", given differently, could lead to another call.";
    }

    function actions(state) {
      var pairs = pathPairs(state);
      var url = page() + "#" + format(pairs);
      var status = el("p", { "class": "dt-status", role: "status" });
      var input = el("input", { id: "pb-dt-link", "class": "dt-link-input", type: "text", readonly: "", value: url });
      var copy = el("button", { type: "button", "class": "dt-action", "data-copy-link": "", text: "Copy link" });
      copy.addEventListener("click", function () {
        function done(ok) {
          status.textContent = ok ? "Link copied." : "Could not copy the link: select it above and copy it.";
          if (!ok) { input.focus(); input.select(); }
        }
        function byHand() {
          input.select();
          try { return document.execCommand("copy"); } catch (e) { return false; }
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(byHand()); });
        } else {
          done(byHand());
        }
      });
      var print = el("button", { type: "button", "class": "dt-action", "data-print": "", text: "Print or save this result" });
      print.addEventListener("click", function () { stamp(); window.print(); });
      return el("div", { "class": "dt-keep" }, [
        el("h3", { text: "Keep this result" }),
        el("p", { "class": "dt-permalink" }, [el("label", { "for": "pb-dt-link", text: "Link to this result" }), input]),
        el("div", { "class": "dt-actions" }, [
          copy, print,
          el("a", { "class": "dt-action dt-map-path", "data-map-path": "", href: tree.map + "#" + format(pairs), text: "See your path on the map" })
        ]),
        status
      ]);
    }

    function verdictView(state) {
      var v = state.verdict;
      var reasons = el("ul", { "class": "dt-reasons" });
      v.reasons.forEach(function (r) { reasons.appendChild(el("li", {}, [link(r), " — " + r.text])); });
      var w = whatIfLines(state, v.call);
      var parts = [
        el("p", { "class": "dt-progress", text: "Your result" }),
        el("h2", { id: "pb-dt-question", tabindex: "-1" }, [
          el("span", { "class": "badge tone-" + v.tone, text: v.call_label }), " " + v.title
        ]),
        el("p", { "class": "dt-confidence", "data-confidence": String(v.confidence) }, [
          "Confidence: ", el("strong", { text: v.confidence + "%" })
        ]),
        el("meter", { min: "0", max: "100", value: String(v.confidence), "aria-hidden": "true" }),
        el("p", { "class": "dt-recommend" }, ["Recommended strategy: ", link(v.recommend), " ", el("span", { "class": "kind-tag", text: v.recommend.kind_label })]),
        el("h3", { text: "Why" }), reasons,
        el("h3", { text: "What would change this call" }),
        el("p", { "class": "dt-changes", text: v.changes }),
        el("h3", { text: "How firm is this call?" }),
        el("p", { "class": "dt-firmness", text: firmness(w, state.steps.length) }),
        whatIfList(w)
      ];
      if (v.watch.length) {
        var watch = el("ul", { "class": "dt-watch" });
        v.watch.forEach(function (m) { watch.appendChild(el("li", {}, [link(m)])); });
        parts.push(el("h3", { text: "Mistakes to watch for" }), watch);
      }
      parts.push(actions(state));
      return el("section", {
        "class": "dt-result dt-verdict", "data-verdict": v.call, "data-tone": v.tone,
        "data-verdict-id": v.id, "data-confidence": String(v.confidence), "aria-labelledby": "pb-dt-question"
      }, parts);
    }

    // Every verdict below question `q`, with its paths and the first way
    // there, memoised per question so shared subtrees are walked once.
    function below(q) {
      var memo = {};
      function visit(id) {
        if (memo[id]) { return memo[id]; }
        var out = { order: [], paths: {}, first: {} };
        questions[id].answers.forEach(function (a) {
          var add = function (vid, n, route) {
            if (!Object.prototype.hasOwnProperty.call(out.paths, vid)) {
              out.order.push(vid); out.paths[vid] = 0; out.first[vid] = route;
            }
            out.paths[vid] += n;
          };
          if (a.verdict) { add(a.verdict, 1, [[id, a.id]]); return; }
          var sub = visit(a.next);
          sub.order.forEach(function (vid) { add(vid, sub.paths[vid], [[id, a.id]].concat(sub.first[vid])); });
        });
        memo[id] = out;
        return out;
      }
      return visit(q.id);
    }

    function spreadView(state) {
      var q = state.spread, found = below(q);
      var base = state.steps.map(function (s) { return [s.question.id, s.answer.id]; });
      var byCall = el("ul", { "class": "dt-spread-calls" });
      q.spread.forEach(function (c) {
        var call = calls[c.call];
        var items = el("ul", { "class": "dt-spread-verdicts" });
        found.order.forEach(function (vid) {
          var v = verdicts[vid];
          if (v.call !== c.call) { return; }
          items.appendChild(el("li", { "data-verdict-id": vid }, [
            el("a", { href: "#" + format(base.concat(found.first[vid])), text: "C" + v.number + " " + v.title }),
            " (" + plural(found.paths[vid], "path") + ", confidence " + v.confidence + "%)"
          ]));
        });
        byCall.appendChild(el("li", { "data-call": c.call }, [
          el("span", { "class": "badge tone-" + call.tone, text: call.label }), " " + plural(c.paths, "path"), items
        ]));
      });
      var change = el("a", { href: "#" + format(without(state, q.id)), "class": "dt-change", "data-change": q.id }, [
        "Answer “" + q.text + "” to narrow it down"
      ]);
      return el("section", { "class": "dt-result dt-spread", "data-spread": "", "data-question": q.id, "aria-labelledby": "pb-dt-question" }, [
        el("p", { "class": "dt-progress", text: "Your result: it depends" }),
        el("h2", { id: "pb-dt-question", tabindex: "-1", text: "It depends: " + plural(q.spread.length, "possible call") }),
        el("p", {}, ["You were not sure about “" + q.text + "”. Following every answer from there leads to:"]),
        byCall,
        el("p", { "class": "dt-narrow" }, [change]),
        actions(state)
      ]);
    }

    // The printed record: what was asked and answered, the call and why,
    // with every link written out, the date and the tree's version.
    function record(state) {
      var v = state.verdict;
      var answers = el("ol", { "class": "dt-record-answers" });
      state.steps.forEach(function (s) {
        answers.appendChild(el("li", {}, [
          el("span", { "class": "dt-record-q", text: "Q" + s.question.number + " " + s.question.text }), " ",
          el("strong", { text: s.answer.label })
        ]));
      });
      if (state.spread) {
        answers.appendChild(el("li", {}, [
          el("span", { "class": "dt-record-q", text: "Q" + state.spread.number + " " + state.spread.text }), " ",
          el("strong", { text: "Not sure" })
        ]));
      }
      function written(l) { return el("span", { "class": "dt-record-url", text: " (" + absolute(l.href) + ")" }); }
      var parts = [
        el("p", { "class": "dt-record-playbook", text: tree.playbook }),
        el("h2", { text: tree.title + " — your record" }),
        el("p", { "class": "dt-record-meta" }, ["Printed ", el("span", { "data-record-date": "", text: today() }), " · tree version " + tree.version]),
        el("h3", { text: "Your answers" }), answers
      ];
      if (v) {
        var w = whatIfLines(state, v.call);
        var reasons = el("ul", {});
        v.reasons.forEach(function (r) { reasons.appendChild(el("li", {}, [r.title + " — " + r.text, written(r)])); });
        parts.push(
          el("h3", { text: "The call: " + v.call_label }),
          el("p", { "class": "dt-record-call" }, [el("strong", { text: "C" + v.number + " " + v.title })]),
          el("p", { text: "Confidence: " + v.confidence + "%" }),
          el("p", {}, ["Recommended strategy: " + v.recommend.title, written(v.recommend)]),
          el("h3", { text: "Why" }), reasons,
          el("h3", { text: "What would change this call" }), el("p", { text: v.changes }),
          el("h3", { text: "How firm is this call?" }), el("p", { text: firmness(w, state.steps.length) }), whatIfList(w)
        );
        if (v.watch.length) {
          var watch = el("ul", {});
          v.watch.forEach(function (m) { watch.appendChild(el("li", {}, [m.title, written(m)])); });
          parts.push(el("h3", { text: "Mistakes to watch for" }), watch);
        }
      } else {
        var found = below(state.spread), spread = el("ul", {});
        found.order.forEach(function (vid) {
          var x = verdicts[vid];
          spread.appendChild(el("li", { text: x.call_label + ": C" + x.number + " " + x.title + " (" + plural(found.paths[vid], "path") + ", confidence " + x.confidence + "%)" }));
        });
        parts.push(el("h3", { text: "The calls: it depends" }), el("p", { text: "Not sure about “" + state.spread.text + "”; every answer from there leads to one of these calls:" }), spread);
      }
      parts.push(el("p", { "class": "dt-record-permalink" }, ["Permalink: ", el("span", { "class": "dt-record-url", text: page() + "#" + format(pathPairs(state)) })]));
      return el("section", { "class": "dt-record", "data-record": "" }, parts);
    }
    function today() {
      var d = new Date();
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
    }
    function stamp() {
      var s = appEl.querySelector("[data-record-date]");
      if (s) { s.textContent = today(); }
    }
    window.addEventListener("beforeprint", stamp);

    function render(how) {
      var byAnswering = how === "event";
      var parsed = parse(location.hash, isOldAnswer);
      if (parsed.positions) {
        var old = fromPositions(parsed.positions);
        notice = old.problem;
        // From now on the address holds ids, which survive a reordered tree.
        lastHash = null;
        location.replace(page() + "#" + format(old.pairs));
        parsed = parse(location.hash, isOldAnswer);
      }
      if (how === "event" && location.hash === lastHash) { return; }
      lastHash = location.hash;
      var state = walk(parsed.pairs);
      var atResult = !!(state.verdict || state.spread);
      var nodes = [backLink(state), notices(state)];
      if (state.verdict) {
        nodes.push(verdictView(state), summary(state, byAnswering));
      } else if (state.spread) {
        nodes.push(spreadView(state), summary(state, byAnswering));
      } else {
        nodes = nodes.concat(questionView(state));
      }
      nodes.push(el("p", { "class": "dt-links" }, [
        state.steps.length || state.spread ? restart() : null,
        atResult ? null : el("a", { href: tree.map, "class": "dt-map-small", text: "See the whole tree" })
      ]));
      if (atResult) { nodes.push(record(state)); }
      appEl.textContent = "";
      nodes.forEach(function (n) { if (n) { appEl.appendChild(n); } });
      document.documentElement.classList.toggle("dt-has-record", atResult);
      var heading = document.getElementById("pb-dt-question");
      if (!heading) { return; }
      if (how === "event") {
        heading.focus({ preventScroll: true });
        appEl.scrollIntoView({ block: "start" });
      } else if (parsed.pairs.length) {
        // A shared or bookmarked link: open at the result (or the question
        // it stops at), not at the top of the page.
        heading.focus({ preventScroll: true });
        appEl.scrollIntoView({ block: "start" });
      }
    }

    // An address that is not about the tree (the skip link's #pb-main, an
    // anchor) leaves the reader where they are.
    window.addEventListener("hashchange", function () {
      if (location.hash.length > 1 && location.hash.indexOf("=") < 0) { return; }
      render("event");
    });
    render("load");
  }

  // decide-map.html#harm=no&…: the reader's path drawn on the map and
  // marked in the outline below it.
  function mapPage() {
    var svg = document.querySelector("[data-tree-map]");
    var note = document.querySelector("[data-map-path-note]");
    var outline = document.querySelector("[data-tree-outline]");
    function mark() {
      if (location.hash.indexOf("=") < 0) { return; }
      var pairs = parse(location.hash, function () { return false; }).pairs;
      var g = given(pairs);
      [].forEach.call(document.querySelectorAll(".pb-tm-on-path, .dt-on-path"), function (n) {
        n.classList.remove("pb-tm-on-path", "dt-on-path");
      });
      [].forEach.call(document.querySelectorAll("[data-yours]"), function (n) { n.remove(); });
      var node = svg.querySelector("[data-node=" + cssString("q-" + svg.getAttribute("data-start")) + "]");
      var steps = [];
      var end = null;
      while (node) {
        var qid = node.getAttribute("data-node").slice(2);
        node.classList.add("pb-tm-on-path");
        steps.push(node.getAttribute("data-number"));
        var aid = g[qid];
        if (aid === undefined) { break; }
        var row = node.querySelector(".pb-tm-row[data-answer-id=" + cssString(aid) + "]");
        if (!row) { break; }
        row.classList.add("pb-tm-on-path");
        var item = outline && outline.querySelector("#" + CSS.escape("q-" + qid) + " [data-answer-id=" + cssString(aid) + "]");
        if (item) {
          item.classList.add("dt-on-path");
          item.appendChild(el("strong", { "class": "dt-yours", "data-yours": "", text: " Your answer" }));
        }
        var to = row.getAttribute("data-to");
        var edge = svg.querySelector(".pb-tm-edge[data-from=" + cssString("q-" + qid) + "][data-answer-id=" + cssString(aid) + "]");
        if (edge) { edge.classList.add("pb-tm-on-path"); edge.parentNode.appendChild(edge); }
        if (to.indexOf("v-") === 0) {
          var chip = row.querySelector("[data-kind=verdict]");
          if (chip) { chip.classList.add("pb-tm-on-path"); end = chip.getAttribute("data-number"); }
          break;
        }
        node = svg.querySelector("[data-node=" + cssString(to) + "]");
      }
      if (note) {
        note.hidden = false;
        note.textContent = "";
        note.appendChild(document.createTextNode("Your path is highlighted: " + steps.concat(end ? [end] : []).join(" → ") + ". "));
        note.appendChild(el("a", { href: (note.getAttribute("data-decide") || "decide.html") + location.hash, text: end ? "Back to your result" : "Back to your answers" }));
      }
    }
    window.addEventListener("hashchange", mark);
    mark();
  }
})();
