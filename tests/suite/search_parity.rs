//! The two halves of search agree: the index (Rust, `playbook::search::terms`)
//! and the query (`search.js`, in Chromium) fold, split, drop and stem every
//! text of a long list the same way. The list holds every letter the accent
//! fold maps, words in many scripts and cases, and every word of the default
//! playbook. The JavaScript is the theme's own file, cut at its analysis
//! functions and run as it is, so an edit to either half that the other does
//! not repeat fails here.

use crate::browser;
use crate::site_test::{repo_root, SiteTest};

/// The analysis part of search.js: from the stop words to the end of
/// `bucketOf`.
fn analysis_js() -> String {
    let js = std::fs::read_to_string(repo_root().join("themes/default/static/search.js")).unwrap();
    let start = js.find("  var STOP = ").expect("search.js defines STOP");
    let end = js
        .find("  // ---- the index")
        .expect("search.js has its index section after the analysis functions");
    js[start..end].to_string()
}

/// Texts that exercise each rule on both sides.
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "Naïve CAFÉ-owners' licences: Straße, Łódź & 日本 (ǅemal) İstanbul",
        "a bb ccc dddd the The THE weights—weighted…weighing 2025 R1",
        "x\u{300}y combining é e\u{301} ﬁle ß ǆ Ǳ ΐ ΰ",
        "ΟΔΟΣ οδος Σίσυφος ΣΊΣΥΦΟΣ",
        "Москва МОСКВА ёлка Ёлка",
        "𐐀 𐐀𐐁 𝒜 𝒜𝒝 𠀋 a𐐨b",
        "policies stopped installed licensing licensed licenses license licence",
        "process status analysis access pass mess",
        "Ωhm ℃ ℉ Å Å ﬀ ½ ² Ⅻ ⅻ",
        "DeepSeek-R1 (January 2025): the MIT licence; o'clock",
        "open-weights open_core open.weights open/weights",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every letter the fold maps, alone, lower and upper, and inside a word.
    let table =
        std::fs::read_to_string(repo_root().join("src/search/fold-unicode-14.txt")).unwrap();
    let letters: Vec<char> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(' ').next())
        .filter_map(|h| char::from_u32(u32::from_str_radix(h, 16).ok()?))
        .collect();
    assert!(letters.len() > 700, "{}", letters.len());
    for chunk in letters.chunks(40) {
        let words: Vec<String> = chunk
            .iter()
            .map(|c| format!("ab{c}cd {c}{c} {c}"))
            .collect();
        texts.push(words.join(" "));
    }
    // The default playbook's own words: the text readers search.
    for entry in walkdir::WalkDir::new(repo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            texts.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    texts
}

#[test]
fn rust_and_search_js_make_the_same_terms() {
    let t = SiteTest::empty();
    let script = format!(
        "<!doctype html><meta charset=utf-8><title>parity</title><script>{}\n\
         window.termsOf = function (text) {{\n\
           return words(fold(text)).filter(function (w) {{\n\
             return letters(w) >= 2 && STOP.indexOf(w) < 0;\n\
           }}).map(stem);\n\
         }};</script>",
        analysis_js()
    );
    t.write("parity.html", script);
    let page = browser::open(&t.path("parity.html"));
    let texts = texts();
    let expected: Vec<Vec<String>> = texts.iter().map(|s| playbook::search::terms(s)).collect();
    let list = serde_json::to_string(&texts).unwrap();
    let got = page.eval(&format!("JSON.stringify({list}.map(termsOf))"));
    let got: Vec<Vec<String>> = serde_json::from_str(got.as_str().unwrap()).unwrap();
    assert_eq!(got.len(), expected.len());
    let mut differences = Vec::new();
    for ((text, js), rust) in texts.iter().zip(&got).zip(&expected) {
        if js != rust {
            let only_js: Vec<&String> = js.iter().filter(|t| !rust.contains(t)).collect();
            let only_rust: Vec<&String> = rust.iter().filter(|t| !js.contains(t)).collect();
            let head: String = text.chars().take(60).collect();
            differences.push(format!(
                "{head:?}\n    only search.js: {only_js:?}\n    only Rust: {only_rust:?}"
            ));
        }
    }
    let words: usize = expected.iter().map(Vec::len).sum();
    assert!(
        words > 10_000,
        "the list is too short to prove much: {words} terms"
    );
    assert!(
        differences.is_empty(),
        "{} of {} texts give other terms:\n{}",
        differences.len(),
        texts.len(),
        differences.join("\n")
    );
    page.assert_clean();
}

/// A term and the query word that finds it name the same term file: every
/// term of the list, and the first two letters of each, in both halves.
#[test]
fn rust_and_search_js_put_terms_in_the_same_files() {
    let t = SiteTest::empty();
    t.write(
        "buckets.html",
        format!(
            "<!doctype html><meta charset=utf-8><title>buckets</title><script>{}</script>",
            analysis_js()
        ),
    );
    let page = browser::open(&t.path("buckets.html"));
    let mut terms: Vec<String> = texts()
        .iter()
        .flat_map(|s| playbook::search::terms(s))
        .collect();
    terms.sort();
    terms.dedup();
    let prefixes: Vec<String> = terms.iter().map(|t| t.chars().take(2).collect()).collect();
    terms.extend(prefixes);
    let expected: Vec<usize> = terms
        .iter()
        .map(|t| playbook::search::bucket_of(t))
        .collect();
    let list = serde_json::to_string(&terms).unwrap();
    let got = page.eval(&format!("JSON.stringify({list}.map(bucketOf))"));
    let got: Vec<usize> = serde_json::from_str(got.as_str().unwrap()).unwrap();
    let differences: Vec<String> = terms
        .iter()
        .zip(got.iter().zip(&expected))
        .filter(|(_, (js, rust))| js != rust)
        .map(|(t, (js, rust))| format!("{t:?}: search.js {js}, Rust {rust}"))
        .collect();
    assert!(terms.len() > 3_000, "{} terms", terms.len());
    // Every file is used: the hash spreads real words over all of them.
    let mut used = expected.clone();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), playbook::search::BUCKETS);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    page.assert_clean();
}
