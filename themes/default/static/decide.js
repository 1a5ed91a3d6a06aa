/* The decision tree, one question at a time. No network, no fetch: the tree
 * is embedded in the page as JSON. The URL hash holds the answers given
 * (#path=0.2.1), so a result can be bookmarked, a reload restores it and the
 * browser's back button steps back one answer. Content is only ever inserted
 * with textContent, never as HTML. */
(function () {
  "use strict";
  var root = document.querySelector("[data-decision-tree]");
  var dataEl = document.getElementById("pb-tree-data");
  if (!root || !dataEl) { return; }
  var tree;
  try { tree = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var app = root.querySelector("[data-tree-app]");
  var fallback = root.querySelector("[data-tree-static]");
  var questions = {}, verdicts = {};
  tree.questions.forEach(function (q) { questions[q.id] = q; });
  tree.verdicts.forEach(function (v) { verdicts[v.id] = v; });
  fallback.hidden = true;
  app.hidden = false;
  root.classList.add("dt-live");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function link(l) { return el("a", { href: l.href, text: l.title }); }

  function readPath() {
    var m = /^#path=([0-9.]*)$/.exec(location.hash);
    if (!m || m[1] === "") { return []; }
    return m[1].split(".").map(Number);
  }
  function writePath(path) { location.hash = "path=" + path.join("."); }

  // Follows the answers from the start; an index that does not exist (an old
  // bookmark, a hand-edited URL) ends the walk at the last valid question.
  function walk(path) {
    var q = questions[tree.start], steps = [];
    for (var i = 0; i < path.length; i++) {
      var a = q.answers[path[i]];
      if (!a) { break; }
      steps.push({ question: q, answer: a });
      if (a.verdict) { return { steps: steps, verdict: verdicts[a.verdict] }; }
      q = questions[a.next];
    }
    return { steps: steps, question: q };
  }

  function trail(steps, path) {
    if (!steps.length) { return null; }
    var list = el("ol", { "class": "dt-trail", "aria-label": "Your answers so far" });
    steps.forEach(function (s, i) {
      var b = el("button", { type: "button", "class": "dt-step", "data-step": String(i),
        title: "Go back to this question" }, [
        el("span", { "class": "dt-step-q", text: s.question.text }),
        el("span", { "class": "dt-step-a", text: s.answer.label })
      ]);
      b.addEventListener("click", function () { writePath(path.slice(0, i)); });
      list.appendChild(el("li", {}, [b]));
    });
    return list;
  }

  function questionView(q, path) {
    var answers = el("div", { "class": "dt-answers", role: "group", "aria-labelledby": "pb-dt-question" });
    q.answers.forEach(function (a, i) {
      var b = el("button", { type: "button", "class": "dt-answer", "data-answer": String(i), text: a.label });
      b.addEventListener("click", function () { writePath(path.concat([i])); });
      answers.appendChild(b);
    });
    var why = null;
    if (q.why || q.see.length) {
      why = el("p", { "class": "dt-why" }, [document.createTextNode(q.why ? q.why + " " : "")]);
      if (q.see.length) {
        why.appendChild(document.createTextNode("See "));
        q.see.forEach(function (s, i) {
          if (i) { why.appendChild(document.createTextNode(", ")); }
          why.appendChild(link(s));
        });
        why.appendChild(document.createTextNode("."));
      }
    }
    return el("section", { "class": "dt-question", "data-question": q.id }, [
      el("p", { "class": "dt-progress", text: "Question " + (path.length + 1) }),
      el("h2", { id: "pb-dt-question", tabindex: "-1", text: q.text }),
      why,
      answers
    ]);
  }

  function verdictView(v) {
    var reasons = el("ul", { "class": "dt-reasons" });
    v.reasons.forEach(function (r) {
      reasons.appendChild(el("li", {}, [link(r), document.createTextNode(" — " + r.text)]));
    });
    var parts = [
      el("h2", { id: "pb-dt-question", tabindex: "-1" }, [
        el("span", { "class": "badge tone-" + v.tone, text: v.call_label }),
        document.createTextNode(" " + v.title)
      ]),
      el("p", { "class": "dt-confidence", "data-confidence": String(v.confidence) }, [
        document.createTextNode("Confidence: "), el("strong", { text: v.confidence + "%" })
      ]),
      el("meter", { min: "0", max: "100", value: String(v.confidence), "aria-hidden": "true" }),
      el("p", { "class": "dt-recommend" }, [
        document.createTextNode("Recommended strategy: "), link(v.recommend),
        el("span", { "class": "kind-tag", text: " " + v.recommend.kind_label })
      ]),
      el("h3", { text: "Why" }), reasons,
      el("h3", { text: "What would change this call" }),
      el("p", { "class": "dt-changes", text: v.changes })
    ];
    if (v.watch.length) {
      var watch = el("ul", { "class": "dt-watch" });
      v.watch.forEach(function (m) { watch.appendChild(el("li", {}, [link(m)])); });
      parts.push(el("h3", { text: "Mistakes to watch for" }), watch);
    }
    return el("section", { "class": "dt-result dt-verdict", "data-verdict": v.call, "data-tone": v.tone, "data-verdict-id": v.id, "aria-live": "polite" }, parts);
  }

  function render(moveFocus) {
    var path = readPath();
    var state = walk(path);
    var valid = path.slice(0, state.steps.length);
    var controls = el("div", { "class": "dt-controls" });
    if (valid.length) {
      var back = el("button", { type: "button", "class": "dt-back", "data-back": "", text: "← Previous question" });
      back.addEventListener("click", function () { writePath(valid.slice(0, -1)); });
      var restart = el("button", { type: "button", "class": "dt-restart", "data-restart": "", text: "Start again" });
      restart.addEventListener("click", function () { writePath([]); });
      controls.appendChild(back);
      controls.appendChild(restart);
    }
    app.textContent = "";
    [trail(state.steps, valid),
     state.verdict ? verdictView(state.verdict) : questionView(state.question, valid),
     valid.length ? controls : null].forEach(function (n) { if (n) { app.appendChild(n); } });
    if (moveFocus) {
      var heading = document.getElementById("pb-dt-question");
      if (heading) { heading.focus({ preventScroll: false }); }
    }
  }

  window.addEventListener("hashchange", function () { render(true); });
  render(false);
})();
