//! `build` writes pages, print.html and the search texts to disk as they are
//! rendered instead of holding the site in memory; `check` and `watch` keep
//! everything. Both paths must give the same site, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;

use playbook::output::Contents;
use playbook::Options;

use crate::site_test::SiteTest;

/// Every file under `dir` (output path → bytes), but the build's marker.
fn on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .filter(|(rel, _)| rel != playbook::write::MARKER)
        .collect()
}

fn assert_build_matches_compile(site: &SiteTest, step: &str) {
    let out = site.path("public");
    let options = Options {
        root: site.root.clone(),
        out: Some(out.clone()),
        drafts: false,
    };
    let (built, _) = playbook::build(&options).unwrap_or_else(|f| panic!("{step}: {:?}", f.0));
    let compiled = playbook::compile(&options).unwrap_or_else(|f| panic!("{step}: {:?}", f.0));
    let disk = on_disk(&out);
    assert_eq!(
        disk.keys().collect::<Vec<_>>(),
        compiled.output.files.keys().collect::<Vec<_>>(),
        "{step}: the same files"
    );
    assert_eq!(built.output.pages, compiled.output.pages, "{step}");
    let mut streamed = 0;
    for (path, contents) in &compiled.output.files {
        let expected = match contents {
            Contents::Bytes(b) => b.to_vec(),
            Contents::Pieces(p) => Contents::join(p),
            Contents::Copy(source) => std::fs::read(source).unwrap(),
            Contents::Written => panic!("{step}: compile wrote {path}"),
        };
        assert!(disk[path] == expected, "{step}: {path} differs");
        streamed += usize::from(matches!(built.output.files[path], Contents::Written));
    }
    // Every content page, print.html and the text files went the direct way.
    assert!(
        streamed > compiled.site.pages.len() + 1,
        "{step}: only {streamed} files streamed"
    );
}

#[test]
fn a_build_writes_what_compile_renders() {
    let site = SiteTest::default_playbook();
    site.write(
        "content/img/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    assert_build_matches_compile(&site, "default playbook");
    // print.html's parts in another order than the pages': still streamed in
    // the template's order.
    site.write(
        "templates/print.html",
        "{% for g in groups | reverse %}<h1>{{ g.label }}</h1>{% for p in g.pages | reverse %}{{ p.html | safe }}{% endfor %}{% endfor %}{% for p in home %}{{ p.html | safe }}{% endfor %}",
    );
    assert_build_matches_compile(&site, "print.html reversed");
    // A theme that changes a part gets the parts whole: written at once.
    site.write(
        "templates/print.html",
        "{% for g in groups %}{% for p in g.pages %}{{ p.html | upper | safe }}{% endfor %}{% endfor %}{% for p in home %}{{ p.html | safe }}{% endfor %}",
    );
    assert_build_matches_compile(&site, "print.html filtered");
}

/// A build renders each page and its part of print.html in one streamed
/// pass; `check` renders them apart, in memory. A template that fails on
/// every page is reported once either way, and the same.
#[test]
fn template_runtime_errors_while_streaming_match_check() {
    for (template, text) in [
        ("page.html", "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ no_such_variable }}</p>\n{% endblock main %}\n"),
        ("print-page.html", "<section>\n{{ p.no_such_field.deeper }}\n</section>\n"),
    ] {
        let path = format!("templates/{template}");
        let t = SiteTest::fixture("all-kinds");
        t.built();
        let before = t.snapshot("public");
        t.write(&path, text);
        let run = t.build();
        run.failure();
        assert_eq!(before, t.snapshot("public"), "the failed build changed the output");
        assert!(run.stderr.contains(&format!("{path}:")), "{}", run.stderr);
        assert_eq!(run.error_count(), 1, "{template}:\n{}", run.stderr);
        let t = SiteTest::fixture("all-kinds");
        t.write(&path, text);
        let check = t.run(&["check"]);
        check.failure();
        let errors = |stderr: &str| -> Vec<String> {
            stderr
                .lines()
                .filter(|l| l.contains(&path))
                .map(String::from)
                .collect()
        };
        assert_eq!(errors(&run.stderr), errors(&check.stderr), "{template}");
    }
}
