//! The site is read offline and published as one folder (issue 23): `check`
//! reports every reference that leaves the output folder and every URL a
//! page loads from the network, in any attribute or style sheet, at its file,
//! line and column; `build` holds the author's raw HTML, style sheets and
//! templates to the same rule before anything is written.

use crate::site_test::{Run, SiteTest};

/// stdout (where `check` lists the output's problems) has, in this order and
/// nothing else, an error at each `location` whose message ends with its
/// text, each followed by a hint.
#[track_caller]
fn lists(run: &Run, expected: &[(&str, &str)]) {
    let lines: Vec<&str> = run.stdout.lines().collect();
    let errors: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(": error: "))
        .map(|(i, l)| (i, *l))
        .collect();
    let shown: Vec<String> = expected
        .iter()
        .map(|(at, message)| format!("{at}: error: {message}"))
        .collect();
    assert_eq!(
        errors
            .iter()
            .map(|(_, l)| l.to_string())
            .collect::<Vec<_>>(),
        shown,
        "\n--- stdout\n{}",
        run.stdout
    );
    for (i, line) in errors {
        assert!(
            lines.get(i + 1).is_some_and(|h| h.starts_with("  hint: ")),
            "no hint after {line:?}"
        );
    }
}

#[test]
fn check_reports_links_that_leave_the_output() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    t.write(
        "public/leaves.html",
        "<!doctype html><title>Leaves</title>\n\
         <a href=\"../../../../etc/passwd\">passwd</a>\n\
         <a href=\"../book.toml\">book</a> <img src=\"..\\book.toml\" alt=\"\">\n\
         <a href=\"%2e%2e/book.toml\">encoded</a>\n\
         <a href=\"file:///etc/passwd\">file</a>\n\
         <a href=\"cases/../../content/index.md\">round trip</a>\n\
         <a href=\"index.html\">home, fine</a> <a href=\"cases/../index.html\">fine too</a>\n",
    );
    t.write(
        "public/assets/leaves.css",
        "body {\n  background: url(../../book.toml);\n}\n",
    );
    let mut expected = vec![
        (
            "public/assets/leaves.css:2:15",
            "style sheet points outside the output folder (`../../book.toml`)",
        ),
        (
            "public/leaves.html:2:10",
            "`href` of <a> points outside the output folder (`../../../../etc/passwd`)",
        ),
        (
            "public/leaves.html:3:10",
            "`href` of <a> points outside the output folder (`../book.toml`)",
        ),
        (
            "public/leaves.html:3:43",
            "`src` of <img> points outside the output folder (`..\\book.toml`)",
        ),
        (
            "public/leaves.html:4:10",
            "`href` of <a> points outside the output folder (`%2e%2e/book.toml`)",
        ),
        (
            "public/leaves.html:5:10",
            "`href` of <a> points outside the output folder (`file:///etc/passwd`)",
        ),
        (
            "public/leaves.html:6:10",
            "`href` of <a> points outside the output folder (`cases/../../content/index.md`)",
        ),
    ];
    // A symbolic link inside the output that leads out of it.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(t.path("book.toml"), t.path("public/leak.txt")).unwrap();
        let page = t.read("public/leaves.html");
        t.write(
            "public/leaves.html",
            page + "<a href=\"leak.txt\">leak</a>\n",
        );
        expected.push((
            "public/leaves.html:8:10",
            "`href` of <a> names a symbolic link out of the output folder (`leak.txt`)",
        ));
    }
    let run = t.run(&["check"]);
    run.failure();
    lists(&run, &expected);
    assert!(
        run.stderr.contains(&format!("{} problems", expected.len())),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reads_every_resource_attribute() {
    let t = SiteTest::fixture("all-kinds");
    t.built();
    // One network URL in each place a browser loads from, one a line.
    t.write(
        "public/loads.html",
        "<!doctype html><title>Loads</title>\n\
         <img src=\"assets/favicon.svg\" srcset=\"assets/favicon.svg 1x, https://x.example/2x.png 2x\" alt=\"\">\n\
         <video poster=\"https://x.example/poster.png\"></video>\n\
         <object data=\"https://x.example/movie.swf\"></object>\n\
         <input type=\"image\" src=\"https://x.example/button.png\" alt=\"go\">\n\
         <div style=\"background: url('https://x.example/bg.png')\">x</div>\n\
         <style>@import \"https://x.example/print.css\";</style>\n\
         <svg><image href=\"https://x.example/a.png\"/><image xlink:href=\"//x.example/b.png\"/></svg>\n\
         <meta http-equiv=\"refresh\" content=\"0; url=https://x.example/moved\">\n\
         <img src=\"h&#116;tps&colon;//x.example/hidden.png\" alt=\"\">\n\
         <link rel=\"preconnect\" href=\"https://fonts.example\">\n\
         <a href=\"https://example.org/\">a link to read later is fine</a>\n\
         <link rel=\"canonical\" href=\"https://u.github.io/r/loads.html\">\n\
         <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\" alt=\"\">\n",
    );
    t.write(
        "public/assets/loads.css",
        "@namespace svg url(http://www.w3.org/2000/svg);\n\
         @import url(https://x.example/theme.css);\n\
         @font-face { font-family: X; src: url(\"https://x.example/x.woff2\") format(\"woff2\") }\n\
         .logo { background-image: image-set(\"favicon.svg\" 1x, \"https://x.example/logo@2x.png\" 2x) }\n",
    );
    t.write(
        "public/assets/loads.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <image href=\"https://x.example/in-svg.png\"/>\n</svg>\n",
    );
    let run = t.run(&["check"]);
    run.failure();
    let outside = |what: &str, url: &str| format!("{what} loads `{url}` from outside the site");
    let expected = [
        (
            "public/assets/loads.css:2:9",
            outside("style sheet", "https://x.example/theme.css"),
        ),
        (
            "public/assets/loads.css:3:39",
            outside("style sheet", "https://x.example/x.woff2"),
        ),
        (
            "public/assets/loads.css:4:55",
            outside("style sheet", "https://x.example/logo@2x.png"),
        ),
        (
            "public/assets/loads.svg:2:16",
            outside("`href` of <image>", "https://x.example/in-svg.png"),
        ),
        (
            "public/loads.html:2:62",
            outside("`srcset` of <img>", "https://x.example/2x.png"),
        ),
        (
            "public/loads.html:3:16",
            outside("`poster` of <video>", "https://x.example/poster.png"),
        ),
        (
            "public/loads.html:4:15",
            outside("`data` of <object>", "https://x.example/movie.swf"),
        ),
        (
            "public/loads.html:5:26",
            outside("`src` of <input>", "https://x.example/button.png"),
        ),
        (
            "public/loads.html:6:29",
            outside("CSS of `style` of <div>", "https://x.example/bg.png"),
        ),
        (
            "public/loads.html:7:16",
            outside("CSS of <style>", "https://x.example/print.css"),
        ),
        (
            "public/loads.html:8:19",
            outside("`href` of <image>", "https://x.example/a.png"),
        ),
        (
            "public/loads.html:8:64",
            outside("`xlink:href` of <image>", "//x.example/b.png"),
        ),
        (
            "public/loads.html:9:44",
            outside(
                "the refresh of <meta http-equiv=refresh>",
                "https://x.example/moved",
            ),
        ),
        (
            "public/loads.html:10:11",
            outside("`src` of <img>", "https://x.example/hidden.png"),
        ),
        (
            "public/loads.html:11:30",
            outside("`href` of <link>", "https://fonts.example"),
        ),
    ];
    let expected: Vec<(&str, &str)> = expected.iter().map(|(a, m)| (*a, m.as_str())).collect();
    lists(&run, &expected);
    assert!(run.stderr.contains("15 problems"), "{}", run.stderr);
}

/// What `check` refuses in the output, `build` refuses in what the author
/// wrote, at the author's line: raw HTML in Markdown, the site's own style
/// sheets and SVG, and templates. Nothing is written.
#[test]
fn build_refuses_what_the_site_would_load_from_the_network() {
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "content/hybrids/hybrid-one.md",
        "---\ntitle: H\nsummary: S\n---\nText.\n\n\
         <picture>\n  <source srcset=\"https://x.example/a.webp\" type=\"image/webp\">\n</picture>\n\n\
         Inline <video poster=\"https://x.example/p.png\"></video> and <a href=\"https://example.org\">a link</a>.\n\n\
         <div style=\"background: url(https://x.example/bg.png)\">x</div>\n\n\
         <style>\n@import \"https://x.example/s.css\";\n</style>\n",
    );
    let run = t.build();
    run.failure();
    for (at, message) in [
        (
            "content/hybrids/hybrid-one.md:8:19",
            "`srcset` of <source> loads `https://x.example/a.webp`",
        ),
        (
            "content/hybrids/hybrid-one.md:11:23",
            "`poster` of <video> loads `https://x.example/p.png`",
        ),
        (
            "content/hybrids/hybrid-one.md:13:29",
            "CSS of `style` of <div> loads `https://x.example/bg.png`",
        ),
        (
            "content/hybrids/hybrid-one.md:16:10",
            "CSS of <style> loads `https://x.example/s.css`",
        ),
    ] {
        run.reports(at, message);
    }
    assert_eq!(run.error_count(), 4, "{}", run.stderr);
    assert!(!t.path("public").exists());

    // The site's own files, copied as they are.
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "content/cases/case.css",
        "/* fonts */\n@font-face { src: url(https://fonts.example/f.woff2) }\n",
    );
    t.write(
        "static/badge.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://x.example/b.png\"/></svg>\n",
    );
    let run = t.build();
    run.failure()
        .reports(
            "content/cases/case.css:2:19",
            "style sheet loads `https://fonts.example/f.woff2`",
        )
        .reports(
            "static/badge.svg:1:54",
            "`href` of <image> loads `https://x.example/b.png`",
        );
    assert_eq!(run.error_count(), 2, "{}", run.stderr);

    // A template: every page would load it.
    let t = SiteTest::fixture("all-kinds");
    t.write(
        "templates/fonts.html",
        "{# shared head #}\n<link rel=\"stylesheet\" href=\"https://fonts.example/css?family=X\">\n",
    );
    let run = t.build();
    run.failure().reports(
        "templates/fonts.html:2:30",
        "`href` of <link> loads `https://fonts.example/css?family=X`",
    );
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}
