// playbook watch: live reload and the error overlay. Added only to pages that
// `playbook watch` serves, never to the `build` output.
//
// Events (Server-Sent Events on /__playbook/events, JSON data):
//   hello {version, errors}  on connect: reload if this page is from an older
//                             build, show the overlay if the build is broken
//   reload {version, paths?}  the new site is in place. With `paths` (the
//                             files that changed): a page not among them is
//                             kept, a changed one is updated in place (its
//                             <main> and contents swapped, scroll, focus and
//                             theme kept), and a changed script reloads.
//                             Without: the page is updated in place.
//   css {version, paths}      only stylesheets changed: swap them in place
//   unchanged {version}       rebuilt, nothing to show (unless an error is fixed)
//   build-error {errors}      the build broke: overlay over the last good page
(function () {
  "use strict";
  var script = document.currentScript;
  var version = Number(script && script.getAttribute("data-version"));
  var scrollKey = "playbook-scroll:" + location.pathname;
  var overlay = null;

  // Back where the author was before the reload.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      restore();
      window.addEventListener("load", restore);
    }
  } catch (e) { /* storage disabled: reload without keeping the place */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* as above */ }
    location.reload();
  }

  function el(tag, text, style) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (style) { node.setAttribute("style", style); }
    return node;
  }

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // Built with textContent only: error messages quote the author's files.
  function showOverlay(errors) {
    hideOverlay();
    overlay = el("div", null,
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.88);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace");
    overlay.id = "playbook-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build error");
    var box = el("div", null, "max-width:60rem;margin:0 auto");
    var close = el("button", "Hide", "float:right;font:inherit;padding:.2rem .8rem;cursor:pointer");
    close.addEventListener("click", hideOverlay);
    box.appendChild(close);
    box.appendChild(el("h2", "The last change broke the build", "margin:0 0 .3rem;font-size:1.2rem;color:#fca5a5"));
    box.appendChild(el("p", "Showing the last good version underneath. Fix the file and this page reloads by itself.", "margin:0 0 1.2rem;color:#d4d4d8"));
    (errors || []).forEach(function (e) {
      var item = el("div", null, "margin:0 0 1rem;padding:.8rem 1rem;border-left:4px solid #f87171;background:rgba(0,0,0,.35)");
      item.className = "playbook-error";
      var where = el("div", null, "white-space:pre-wrap");
      var loc = el("strong", e.location || e.path || "", "color:#fde68a");
      loc.className = "playbook-error-location";
      where.appendChild(loc);
      where.appendChild(document.createTextNode(": error: " + (e.message || "")));
      item.appendChild(where);
      if (e.hint) {
        var hint = el("div", "hint: " + e.hint, "white-space:pre-wrap;color:#a7f3d0;margin-top:.3rem");
        hint.className = "playbook-error-hint";
        item.appendChild(hint);
      }
      box.appendChild(item);
    });
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  // New stylesheets load beside the old ones, which go once the new are in,
  // so the page never shows unstyled.
  function swapCss(v) {
    var links = document.querySelectorAll("link[rel~='stylesheet']");
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) { return; }
      url.searchParams.set("playbook", String(v));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function data(event) {
    try { return JSON.parse(event.data); } catch (e) { return {}; }
  }

  // The page's own file in the served site, as the events name it.
  function ownPath() {
    var p = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    return p === "" || p.slice(-1) === "/" ? p + "index.html" : p;
  }

  // Reading a page after an edit: swapping <main> and the contents in takes a
  // few milliseconds where a reload re-ran every script and re-laid out the
  // whole page (78 ms from save to a shown change at 1,000 pages).
  function update(d) {
    var paths = d.paths;
    if (overlay || !window.fetch || !window.DOMParser ||
        document.querySelector("[data-decision-tree]")) { reload(); return; }
    if (paths && paths.some(function (p) { return /^assets\/(?!search-).*\.js$/.test(p); })) {
      reload();
      return;
    }
    if (paths && paths.indexOf(ownPath()) < 0) { version = d.version; return; }
    fetch(location.href, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var parts = ["main", "#pb-contents"];
      var olds = parts.map(function (q) { return document.querySelector(q); });
      var news = parts.map(function (q) { return fresh.querySelector(q); });
      if (olds.some(function (n, i) { return !n !== !news[i]; }) || !olds[0]) { reload(); return; }
      var x = window.scrollX, y = window.scrollY;
      olds.forEach(function (old, i) {
        if (!old) { return; }
        old.replaceChildren.apply(old, Array.prototype.map.call(news[i].childNodes, function (n) {
          return document.importNode(n, true);
        }));
        Array.prototype.forEach.call(news[i].attributes, function (a) {
          if (a.name !== "data-open") { old.setAttribute(a.name, a.value); }
        });
      });
      document.title = fresh.title;
      window.scrollTo(x, y);
      version = d.version;
      if (window.playbookReader && window.playbookReader.refresh) { window.playbookReader.refresh(); }
      document.dispatchEvent(new CustomEvent("playbook:updated"));
    }).catch(reload);
  }

  function listen() {
    var source = new EventSource("/__playbook/events");
    source.addEventListener("hello", function (event) {
      var d = data(event);
      if (d.version !== version) { reload(); return; }
      if (d.errors) { showOverlay(d.errors); } else { hideOverlay(); }
    });
    source.addEventListener("reload", function (event) { update(data(event)); });
    source.addEventListener("css", function (event) {
      var d = data(event);
      if (overlay) { reload(); return; }
      version = d.version;
      swapCss(d.version);
    });
    source.addEventListener("unchanged", function () {
      if (overlay) { reload(); }
    });
    source.addEventListener("build-error", function (event) {
      showOverlay(data(event).errors);
    });
    // EventSource retries by itself when the connection drops, but gives up
    // for good on an answer such as 503 (too many streams open): try again
    // later rather than leave this page deaf to saves.
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) { setTimeout(listen, 5000); }
    });
    window.playbookLive = { source: source };
  }
  listen();
})();
