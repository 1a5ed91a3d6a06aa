// A host serves this page for any missing address, at any depth, so relative
// links would resolve against the wrong folder. Find the site root from the
// address and set <base> to it before any link or stylesheet is resolved.
(function () {
  var known = ["index.html", "404.html", "decide.html", "decide-map.html", "print.html", "assets"{% for k in nav %}, "{{ k.folder }}"{% endfor %}];
  var parts = location.pathname.split("/");
  var root = null;
  for (var i = 1; i < parts.length; i++) {
    if (known.indexOf(parts[i]) >= 0) { root = parts.slice(0, i).join("/") + "/"; break; }
  }
  if (root === null) {
    // GitHub Pages project sites live under /<repo>/.
    root = /\.github\.io$/.test(location.hostname) && parts.length > 2 ? "/" + parts[1] + "/" : "/";
  }
  if (location.protocol === "file:") { return; }
  var base = document.createElement("base");
  base.href = root;
  document.head.appendChild(base);
})();
