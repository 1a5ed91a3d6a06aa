// The reader's helpers, each working from disk (file://) with no request but
// for the site's own scripts: the light/dark toggle, "On this page" following
// the scroll, the menu's Escape, and link previews. Without JavaScript the
// page is complete: these only add.
(function () {
  "use strict";

  var STORE = "playbook-theme";

  // ---- light / dark ---------------------------------------------------------
  // The choice is set on <html> by the inline script in <head> before the page
  // paints; this adds the button. Without a choice the system's scheme rules.
  function themeToggle() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) return;
    var root = document.documentElement;
    var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
    function dark() {
      var chosen = root.getAttribute("data-theme");
      return chosen ? chosen === "dark" : !!(system && system.matches);
    }
    function show() { button.setAttribute("aria-pressed", dark() ? "true" : "false"); }
    button.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(STORE, next); } catch (e) { /* private mode: this page only */ }
      show();
    });
    if (system && system.addEventListener) system.addEventListener("change", show);
    button.hidden = false;
    show();
  }

  // ---- "On this page" follows the scroll ------------------------------------
  // Read again by refresh() when the preview swaps a page's content in.
  var toc = { links: [], headings: [], current: null, queued: false, bound: false };
  function tocScan() {
    toc.links = [];
    toc.headings = [];
    toc.current = null;
    var seen = Object.create(null);
    Array.prototype.forEach.call(document.querySelectorAll("[data-toc]"), function (nav) {
      Array.prototype.forEach.call(nav.querySelectorAll('a[href^="#"]'), function (a) {
        toc.links.push(a);
        var id = decodeURIComponent(a.getAttribute("href").slice(1));
        if (seen[id]) return;
        seen[id] = true;
        var h = document.getElementById(id);
        if (h) toc.headings.push(h);
      });
    });
  }
  function tocUpdate() {
    toc.queued = false;
    var headings = toc.headings;
    if (!headings.length) return;
    var header = document.querySelector(".site-header");
    var line = (header ? header.getBoundingClientRect().bottom : 0) + 24;
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].getBoundingClientRect().top <= line) found = headings[i].id; else break;
    }
    // At the very bottom the last section is the one being read.
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
      found = headings[headings.length - 1].id;
    }
    if (found === toc.current) return;
    toc.current = found;
    toc.links.forEach(function (a) {
      if (found !== null && decodeURIComponent(a.getAttribute("href").slice(1)) === found) a.setAttribute("aria-current", "location");
      else a.removeAttribute("aria-current");
    });
    document.documentElement.setAttribute("data-toc-current", found || "");
  }
  function tocFollows() {
    tocScan();
    if (!toc.bound) {
      toc.bound = true;
      var queue = function () {
        if (!toc.queued) { toc.queued = true; window.requestAnimationFrame(tocUpdate); }
      };
      window.addEventListener("scroll", queue, { passive: true });
      window.addEventListener("resize", queue);
    }
    tocUpdate();
  }

  // ---- the menu: a button that shows and hides the contents ---------------
  // Without this script the link opens the contents as the address's target.
  function menu() {
    var button = document.querySelector("[data-menu]");
    var panel = document.getElementById("pb-contents");
    if (!button || !panel) return;
    button.setAttribute("role", "button");
    button.setAttribute("aria-expanded", "false");
    function isOpen() { return panel.hasAttribute("data-open"); }
    function set(open) {
      if (open) panel.setAttribute("data-open", ""); else panel.removeAttribute("data-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function (e) {
      e.preventDefault();
      set(!isOpen());
    });
    button.addEventListener("keydown", function (e) {
      if (e.key === " ") { e.preventDefault(); set(!isOpen()); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && isOpen()) {
        set(false);
        button.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (isOpen() && !panel.contains(e.target) && !button.contains(e.target)) set(false);
    });
  }

  // ---- link previews --------------------------------------------------------
  // Hovering or focusing a link to another page of the playbook shows its
  // title, kind and summary, read from the search index files (scripts on
  // disk, no fetch). It stays while the pointer is over the link or the card,
  // and Escape dismisses it (WCAG 1.4.13).
  function previews() {
    var box = document.querySelector("[data-search]");
    var main = document.getElementById("pb-main");
    if (!box || !main || !window.playbookSearch || !window.URL) return;
    var rootUrl = new URL(box.getAttribute("data-root") || "", location.href);
    var src = box.getAttribute("data-index");
    var card = document.createElement("div");
    card.className = "preview";
    card.id = "pb-preview";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    document.body.appendChild(card);
    var link = null; // the link the card is for, shown or about to be
    var showTimer = 0, hideTimer = 0;

    function pathOf(a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#") return null;
      var url;
      try { url = new URL(href, location.href); } catch (e) { return null; }
      if (url.protocol !== rootUrl.protocol || url.host !== rootUrl.host) return null;
      if (url.pathname.indexOf(rootUrl.pathname) !== 0 || !/\.html$/.test(url.pathname)) return null;
      if (url.pathname === location.pathname) return null;
      var path = decodeURIComponent(url.pathname.slice(rootUrl.pathname.length)).replace(/\.html$/, "");
      return path;
    }

    function place(a) {
      var r = a.getBoundingClientRect();
      var width = card.offsetWidth;
      var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
      var below = r.bottom + 8;
      var top = below + card.offsetHeight > window.innerHeight && r.top > card.offsetHeight + 16
        ? r.top + window.scrollY - card.offsetHeight - 8
        : below + window.scrollY;
      card.style.left = left + "px";
      card.style.top = top + "px";
    }

    function hide() {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      if (link) link.removeAttribute("aria-describedby");
      card.hidden = true;
      link = null;
    }

    function show(a, delay) {
      clearTimeout(hideTimer);
      if (link === a && !card.hidden) return;
      var path = pathOf(a);
      if (path === null) return;
      clearTimeout(showTimer);
      link = a;
      showTimer = setTimeout(function () {
        window.playbookSearch.page(src, path).then(function (info) {
          if (link !== a || !info) return;
          card.textContent = "";
          var kind = document.createElement("p");
          kind.className = "preview-kind";
          kind.textContent = info.kind;
          var title = document.createElement("p");
          title.className = "preview-title";
          title.textContent = info.title;
          var summary = document.createElement("p");
          summary.className = "preview-summary";
          summary.textContent = info.summary;
          card.appendChild(kind);
          card.appendChild(title);
          card.appendChild(summary);
          card.setAttribute("data-preview-for", path);
          card.className = "preview" + (info.tone ? " preview-" + info.tone : "");
          card.hidden = false;
          a.setAttribute("aria-describedby", card.id);
          place(a);
        }, function () { /* no preview without the index: the link still works */ });
      }, delay);
    }

    function later() {
      clearTimeout(showTimer);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 300);
    }

    function linkOf(e) {
      var a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
      return a && main.contains(a) ? a : null;
    }

    main.addEventListener("mouseover", function (e) {
      var a = linkOf(e);
      if (a) show(a, 350);
    });
    main.addEventListener("mouseout", function (e) {
      var a = linkOf(e);
      if (a && !(e.relatedTarget && (a.contains(e.relatedTarget) || card.contains(e.relatedTarget)))) later();
    });
    main.addEventListener("focusin", function (e) {
      var a = linkOf(e);
      if (a) show(a, 150);
    });
    main.addEventListener("focusout", function (e) {
      if (linkOf(e)) later();
    });
    card.addEventListener("mouseover", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseout", function (e) {
      if (!(e.relatedTarget && (card.contains(e.relatedTarget) || (link && link.contains(e.relatedTarget))))) later();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && (!card.hidden || link)) hide();
    });
    window.addEventListener("resize", hide);
  }

  function init() {
    themeToggle();
    tocFollows();
    menu();
    previews();
  }
  // For the live preview, which swaps a changed page's content in place.
  window.playbookReader = { refresh: tocFollows };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
