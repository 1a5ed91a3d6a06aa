//! `watch` rebuilds reuse what the last rebuild made from unchanged inputs.
//! Each test edits a copy of the default playbook step by step and holds the
//! incremental result to a full compile of the same files, byte for byte, and
//! checks that the reuse really happened (so the cache is not a no-op).

use std::collections::BTreeMap;

use playbook::output::Contents;
use playbook::render::Stats;
use playbook::{compile, compile_with, Incremental, Options};

use crate::site_test::SiteTest;

/// Output path → bytes (or source path, for a copied file).
fn files(output: &playbook::output::Output) -> BTreeMap<String, Vec<u8>> {
    output
        .files
        .iter()
        .map(|(path, contents)| {
            let bytes = match contents {
                Contents::Bytes(b) => b.to_vec(),
                Contents::Pieces(p) => Contents::join(p),
                Contents::Copy(source) => source.to_string_lossy().as_bytes().to_vec(),
                Contents::Written => panic!("compile writes nothing: {path}"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

struct Steps {
    site: SiteTest,
    options: Options,
    cache: Incremental,
}

impl Steps {
    fn new() -> Steps {
        Steps::on(SiteTest::default_playbook())
    }

    fn on(site: SiteTest) -> Steps {
        let options = Options {
            root: site.root.clone(),
            out: None,
            drafts: false,
        };
        let mut steps = Steps {
            site,
            options,
            cache: Incremental::default(),
        };
        let first = steps.check("first build");
        assert_eq!(first.templates, first.pages, "nothing to reuse yet");
        steps
    }

    /// Compiles with the cache and without; both must give the same site.
    fn check(&mut self, step: &str) -> Stats {
        let full = compile(&self.options).unwrap_or_else(|f| panic!("{step}: {:?}", f.0));
        let incremental = compile_with(&self.options, Some(&mut self.cache))
            .unwrap_or_else(|f| panic!("{step}: {:?}", f.0));
        let (a, b) = (files(&full.output), files(&incremental.output));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{step}: same files"
        );
        for (path, bytes) in &a {
            assert!(
                &b[path] == bytes,
                "{step}: {path} differs from a full build"
            );
        }
        // As `watch` does: the next compile may start from this site.
        self.cache.keep_site(incremental.site);
        self.cache.render.stats
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.site.read(rel);
        assert!(text.contains(from), "{rel} holds {from:?}");
        self.site.write(rel, text.replacen(from, to, 1));
    }
}

#[test]
fn a_body_edit_renders_that_page_alone() {
    let mut s = Steps::new();
    s.edit(
        "content/cases/catching-up.md",
        "## The situation",
        "A new sentence about quantized releases.\n\n## The situation",
    );
    let stats = s.check("body edit");
    assert_eq!(stats.markdown, 1, "{stats:?}");
    assert_eq!(stats.templates, 1, "{stats:?}");

    // Nothing changed: nothing rendered.
    let stats = s.check("no change");
    assert_eq!((stats.markdown, stats.templates), (0, 0), "{stats:?}");
}

/// A save that changes only bodies leaves every checked field as it was:
/// the next compile starts from the last checked site. Anything else
/// validate reads, or a compile that failed, checks every page again.
#[test]
fn a_body_only_save_reuses_the_checked_site() {
    let mut s = Steps::new();
    let all = s.cache.validate.checked;
    assert!(all > 20, "the first compile checks every page: {all}");
    let case = "content/cases/catching-up.md";
    let checked = |s: &mut Steps, step: &str| {
        s.check(step);
        s.cache.validate.checked
    };
    s.edit(
        case,
        "## The situation",
        "One new sentence.\n\n## The situation",
    );
    assert_eq!(checked(&mut s, "a body edit"), 0);
    // Nothing changed at all: the same.
    assert_eq!(checked(&mut s, "no change"), 0);
    // A heading another page may link to is body too: the render, which
    // checks every link, still runs in full (and `check` compares it).
    s.edit(case, "## The situation", "## The setting");
    assert_eq!(checked(&mut s, "a heading renamed"), 0);

    // Front matter: its text, or the line the body starts on.
    s.edit(case, "title: Catching up", "title: Catching up fast");
    assert_eq!(checked(&mut s, "a title edit"), all);
    s.edit(case, "title: Catching up fast", "title:  Catching up fast");
    assert_eq!(checked(&mut s, "a space in the front matter"), all);
    s.edit(case, "\n---\n", "\n---\n\n");
    assert_eq!(checked(&mut s, "a blank line after the front matter"), 0);
    assert_eq!(checked(&mut s, "no change after it"), 0);

    // The settings, the tree and the files beside the pages.
    s.edit(
        "book.toml",
        "description = \"",
        "description = \"Reworded: ",
    );
    assert_eq!(checked(&mut s, "book.toml"), all);
    s.site.write(
        "content/cases/diagram.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    assert_eq!(checked(&mut s, "an asset added"), all);
    let draft = "content/cases/draft-case.md";
    s.site.write(
        draft,
        "---\ntitle: A draft\nsummary: Not yet.\nverdict: open\ndraft: true\n---\nText.\n",
    );
    assert_eq!(checked(&mut s, "a draft added"), all + 1);
    s.edit(draft, "Text.", "More text.");
    assert_eq!(checked(&mut s, "a draft's body, left out"), 0);

    // A body edit that breaks the build: the site it made is not handed
    // back, so the fix checks every page.
    s.edit(
        case,
        "One new sentence.",
        "[A broken link](missing-page.md).",
    );
    assert!(compile_with(&s.options, Some(&mut s.cache)).is_err());
    s.edit(case, "[A broken link](missing-page.md).", "Fixed.");
    assert_eq!(checked(&mut s, "fixed"), all + 1);
    assert_eq!(checked(&mut s, "after the fix"), 0);
}

/// The checked site is only taken back from the compile that made it, once.
#[test]
fn a_site_from_another_compile_is_not_reused() {
    let mut s = Steps::new();
    let case = "content/cases/catching-up.md";
    s.edit(case, "## The situation", "One.\n\n## The situation");
    let own = compile_with(&s.options, Some(&mut s.cache)).unwrap();
    // A site checked from other files: were it taken, the next compile
    // would show its title.
    s.edit(case, "title: Catching up", "title: Stray");
    let stray = compile(&s.options).unwrap();
    s.edit(case, "title: Stray", "title: Catching up");
    // The right one, then the stray one: only the first is taken.
    s.cache.keep_site(own.site);
    s.cache.keep_site(stray.site);
    s.edit(case, "One.", "Two.");
    s.check("a body edit after a stray site");
    assert_eq!(s.cache.validate.checked, 0, "its own site was taken");
}

#[test]
fn a_title_edit_renders_the_pages_that_show_it() {
    let mut s = Steps::new();
    s.edit(
        "content/cases/catching-up.md",
        "title: Catching up",
        "title: Catching up fast",
    );
    let stats = s.check("title edit");
    // Every page's sidebar lists every page of a short kind.
    assert_eq!(stats.templates, stats.pages, "{stats:?}");
    assert_eq!(stats.markdown, 1, "links show their own text: {stats:?}");
}

/// In a kind too long for every sidebar to list, a page's title shows only
/// around it: in its neighbours' sidebar windows, its links and lists.
#[test]
fn a_title_edit_in_a_long_kind_renders_only_the_pages_around_it() {
    let site = SiteTest::default_playbook();
    for n in 0..150 {
        site.write(
            &format!("content/mistakes/generated-{n:03}.md"),
            format!("---\ntitle: Generated {n:03}\nsummary: One of many.\n---\nText.\n"),
        );
    }
    let mut s = Steps::on(site);
    s.edit(
        "content/mistakes/generated-075.md",
        "title: Generated 075",
        "title: Generated 075, renamed",
    );
    let stats = s.check("title edit");
    // Itself, 14 neighbours, the index and print.html's part: far from 180.
    assert!(stats.templates > 10, "{stats:?}");
    assert!(stats.templates < 25, "{stats:?}");
}

#[test]
fn added_and_removed_pages_and_assets_match_a_full_build() {
    let mut s = Steps::new();
    s.site.write(
        "content/cases/new-case.md",
        "---\ntitle: A new case\nsummary: Added while watching.\nverdict: open\nrelated: [catching-up]\n---\n\nSee [catching up](catching-up.md#the-situation).\n\n## Details\n\n![chart](../chart.svg)\n",
    );
    s.site.write(
        "content/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"></svg>",
    );
    s.check("page and image added");
    s.site.write(
        "content/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"30\"></svg>",
    );
    s.check("image resized");
    s.edit(
        "content/cases/new-case.md",
        "verdict: open",
        "verdict: closed",
    );
    s.check("verdict changed");
    s.site.remove("content/cases/new-case.md");
    s.check("page removed");
}

/// The search index is merged a run of pages at a time, and a rebuild
/// merges an untouched run's postings as they were: the index must still be
/// the one a full build makes, however the runs shift.
#[test]
fn search_runs_untouched_by_an_edit_are_reused_and_the_index_stays_exact() {
    let site = SiteTest::default_playbook();
    // Enough pages for several batches and runs; words shared across all of them, so
    // that each term's postings cross batch boundaries.
    for n in 0..1100 {
        site.write(
            &format!("content/mistakes/generated-{n:04}.md"),
            format!(
                "---\ntitle: Generated {n:04}\nsummary: One of many, number {n}.\n---\n\
                 Shared words weights licence w{n}.\n\n## Part {}\n\nMore shared words.\n",
                n % 7
            ),
        );
    }
    let mut s = Steps::on(site);
    let all = s.check("no change").search_runs;
    assert_eq!(all, 0, "nothing to gather again");

    s.edit(
        "content/mistakes/generated-0600.md",
        "More shared words.",
        "More shared words, and a brandnewterm.\n\n## A new part\n\nweights again",
    );
    let stats = s.check("body edit in one run");
    assert_eq!(stats.search_runs, 1, "{stats:?}");

    s.edit(
        "content/mistakes/generated-0600.md",
        "and a brandnewterm.",
        "and no new term.",
    );
    s.check("a term gone");

    // A page near the start shifts every later page into another run.
    s.site.write(
        "content/mistakes/generated-0000a.md",
        "---\ntitle: Inserted\nsummary: Shifts the rest.\n---\nShared words.\n",
    );
    let stats = s.check("page inserted");
    assert!(stats.search_runs > 1, "{stats:?}");
    let stats = s.check("no change after the shift");
    assert_eq!(stats.search_runs, 0, "{stats:?}");
}

#[test]
fn site_settings_and_templates_reach_every_page() {
    let mut s = Steps::new();
    let yaml = s.site.read("content/decide.yaml");
    let question = yaml
        .lines()
        .find_map(|l| l.trim().strip_prefix("question: "))
        .unwrap()
        .to_string();
    s.edit(
        "content/decide.yaml",
        &question,
        &format!("{question} (reworded)"),
    );
    let stats = s.check("decision tree");
    assert_eq!(stats.templates, 0, "pages do not show the tree: {stats:?}");
    s.edit(
        "book.toml",
        "title = ",
        "base-url = \"https://example.org/pb/\"\ntitle = ",
    );
    let stats = s.check("book.toml");
    assert_eq!(stats.templates, stats.pages, "{stats:?}");
    let page = std::fs::read_to_string(
        crate::site_test::repo_root().join("themes/default/templates/page.html"),
    )
    .unwrap();
    s.site.write(
        "templates/page.html",
        page.replacen(
            "{% endblock title %}",
            " (local override){% endblock title %}",
            1,
        ),
    );
    let stats = s.check("template override");
    assert_eq!(stats.markdown, 0, "{stats:?}");
    assert!(stats.templates >= stats.pages - 1, "{stats:?}");
    // Each page's part of print.html has a template of its own.
    let part = std::fs::read_to_string(
        crate::site_test::repo_root().join("themes/default/templates/print-page.html"),
    )
    .unwrap();
    s.site.write(
        "templates/print-page.html",
        format!("<!-- local override -->\n{part}"),
    );
    s.check("print part override");
}

#[test]
fn a_broken_rebuild_leaves_the_cache_usable() {
    let mut s = Steps::new();
    s.edit(
        "content/cases/catching-up.md",
        "title: Catching up",
        "title: [unclosed",
    );
    assert!(compile_with(&s.options, Some(&mut s.cache)).is_err());
    s.edit(
        "content/cases/catching-up.md",
        "title: [unclosed",
        "title: Catching up again",
    );
    s.check("fixed");
}

/// `watch` names every path its events name. When they are all page files
/// the last build read, the next one reads just those, without walking the
/// folder or looking at any other file; anything else (a new or removed
/// page, a folder, an asset) walks it again. Either way the site is the one
/// a full build makes of the files named.
#[test]
fn saves_the_watcher_names_are_read_alone_and_anything_else_walks_again() {
    let mut s = Steps::new();
    let case = "content/cases/catching-up.md";
    let saved = |s: &mut Steps, rels: &[&str]| {
        let paths: Vec<std::path::PathBuf> = rels.iter().map(|r| s.site.path(r)).collect();
        s.cache.forget(paths.iter().map(|p| p.as_path()));
    };
    s.edit(
        case,
        "## The situation",
        "A first new sentence.\n\n## The situation",
    );
    saved(&mut s, &[case]);
    let stats = s.check("a page saved");
    assert_eq!((stats.markdown, stats.templates), (1, 1), "{stats:?}");

    // A file no event named is not looked at: the walk and its stamps were
    // skipped. (Its own event, once it comes, brings it in.)
    s.edit("content/index.md", "title: ", "title: Renamed ");
    s.edit(case, "A first new sentence.", "A second new sentence.");
    saved(&mut s, &[case]);
    let stale = compile_with(&s.options, Some(&mut s.cache)).unwrap();
    let home = files(&stale.output)["index.html"].clone();
    assert!(!String::from_utf8_lossy(&home).contains("Renamed "));
    saved(&mut s, &["content/index.md"]);
    s.check("the home page's own save");
    let full = compile(&s.options).unwrap();
    assert!(String::from_utf8_lossy(&files(&full.output)["index.html"]).contains("Renamed "));

    // A save by rename (write a temporary file, move it over the page).
    let text = s.site.read(case).replace("A second", "A third");
    s.site.write("content/cases/.catching-up.md.tmp", text);
    std::fs::rename(
        s.site.path("content/cases/.catching-up.md.tmp"),
        s.site.path(case),
    )
    .unwrap();
    saved(&mut s, &[case]);
    s.check("a save by rename");

    // A new page is not one the last build read: the folder is walked.
    s.site.write(
        "content/cases/new-case.md",
        "---\ntitle: A new case\nsummary: Added while watching.\nverdict: open\n---\nText.\n",
    );
    saved(&mut s, &["content/cases/new-case.md"]);
    s.check("a page added");
    s.edit("content/cases/new-case.md", "Text.", "More text.");
    saved(&mut s, &["content/cases/new-case.md"]);
    s.check("the new page saved");
    // Nor is a removed one, nor a folder.
    s.site.remove("content/cases/new-case.md");
    saved(&mut s, &["content/cases/new-case.md"]);
    s.check("a page removed");
    s.site.write(
        "content/mistakes/moved.md",
        "---\ntitle: Moved here\nsummary: From a folder event.\n---\nText.\n",
    );
    saved(&mut s, &["content/mistakes"]);
    s.check("a folder named");
}

/// A broken page stays reported while another is saved, and a change of the
/// model checks every page again, unchanged files included.
#[test]
fn problems_of_pages_checked_before_are_reported_again() {
    let mut s = Steps::new();
    let errors = |s: &mut Steps, step: &str| -> Vec<String> {
        match compile_with(&s.options, Some(&mut s.cache)) {
            Ok(_) => panic!("{step}: the build should fail"),
            Err(f) => f.0.iter().map(|d| d.to_string()).collect(),
        }
    };
    s.edit(
        "content/cases/catching-up.md",
        "verdict: ",
        "colour: blue\nverdict: ",
    );
    let first = errors(&mut s, "a page broken");
    assert!(
        first.iter().any(|e| e.contains("unknown field `colour`")),
        "{first:#?}"
    );
    s.edit("content/index.md", "title: ", "title: Saved ");
    assert_eq!(errors(&mut s, "another page saved"), first);

    s.edit("content/cases/catching-up.md", "colour: blue\n", "");
    s.check("fixed");
    // A field every case must now have: each case is checked again.
    s.edit(
        "book.toml",
        "[kinds.case.fields]\n",
        "[kinds.case.fields]\nowner = { type = \"text\", required = true }\n",
    );
    let model = errors(&mut s, "a required field declared");
    assert!(
        model.iter().filter(|e| e.contains("owner")).count() > 1,
        "{model:#?}"
    );
}
