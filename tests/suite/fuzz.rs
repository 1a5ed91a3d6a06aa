//! Property tests ("fuzzing" on the stable toolchain: cargo-fuzz needs nightly):
//! no input makes the front-matter parser, the link rewriter or the whole
//! pipeline panic, and what they produce keeps its promises. Failing inputs
//! proptest finds are kept in tests/suite/fuzz.proptest-regressions and
//! replayed first on every run. Longer runs: `PROPTEST_CASES=20000 cargo test fuzz`.

use std::path::Path;

use playbook::load::front_matter;
use proptest::prelude::*;

/// Cases per property: the default keeps `cargo test` quick; PROPTEST_CASES
/// sets a longer run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Text made of the pieces front matter and Markdown are made of, so random
/// strings hit the interesting paths rather than plain prose.
fn fragments() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("title: ".to_string()),
        Just("summary: ".to_string()),
        Just("verdict: open\n".to_string()),
        Just("related: [".to_string()),
        Just("]\n".to_string()),
        Just("  - ".to_string()),
        Just("\t".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just(": ".to_string()),
        Just("{".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("é".to_string()),
        Just("[link](../cases/a.md#x)".to_string()),
        Just("[l](b.md)".to_string()),
        Just("](".to_string()),
        Just("![i](".to_string()),
        Just("<".to_string()),
        Just("#".to_string()),
        Just("## Heading\n".to_string()),
        Just("## pb-x {#id}\n".to_string()),
        Just("javascript:".to_string()),
        Just("/abs".to_string()),
        Just("%2e%2e/".to_string()),
        "[a-z ]{0,8}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn front_matter_split_and_parse_never_panic(text in fragments()) {
        match front_matter::split(&text) {
            Ok(split) => {
                prop_assert!(split.body_line >= split.front_line);
                if let Err(e) = front_matter::parse(split.front, split.front_line) {
                    let pos = e.pos(split.front_line);
                    prop_assert!(pos.line >= 1 && pos.col >= 1);
                    prop_assert!(pos.line <= text.lines().count() + 2, "line {} beyond the text", pos.line);
                    prop_assert!(!e.to_string().is_empty() && !e.hint().is_empty());
                }
            }
            Err(e) => {
                prop_assert_eq!(e.pos(1).line, 1);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

fn write_site(dir: &Path, body: &str, front_extra: &str) {
    std::fs::create_dir_all(dir.join("content/cases")).unwrap();
    std::fs::write(dir.join("book.toml"), "title = \"Fuzz\"\n").unwrap();
    std::fs::write(
        dir.join("content/index.md"),
        "---\ntitle: Home\nsummary: S\n---\n[a](cases/a.md)\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/cases/a.md"),
        format!("---\ntitle: A\nsummary: S\nverdict: open\n{front_extra}---\n{body}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("content/cases/b.md"),
        "---\ntitle: B\nsummary: S\nverdict: closed\n---\n## X\n",
    )
    .unwrap();
}

proptest! {
    // Each case writes a small site to disk and compiles it in memory.
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn the_pipeline_never_panics_and_only_writes_relative_links(body in fragments(), front in fragments()) {
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), &body, &front.replace("---", "").replace("...", ""));
        let options = playbook::Options { root: dir.path().to_path_buf(), out: None, drafts: false };
        match playbook::compile(&options) {
            Ok(compiled) => {
                // Whatever the body said, generated links are relative and local.
                for (path, contents) in &compiled.output.files {
                    let playbook::output::Contents::Bytes(bytes) = contents else { continue };
                    if !path.ends_with(".html") { continue; }
                    let html = String::from_utf8_lossy(bytes);
                    for attr in ["href=\"/", "src=\"/", "href=\"javascript:", "href=\"JAVASCRIPT:"] {
                        prop_assert!(!html.contains(attr), "{} contains {}", path, attr);
                    }
                }
            }
            Err(failure) => {
                prop_assert!(!failure.0.is_empty());
                for d in &failure.0 {
                    prop_assert!(d.hint.is_some(), "no hint: {}", d);
                }
            }
        }
    }
}
