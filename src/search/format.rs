//! The index on disk: the file names, the page table of `search-index.js`,
//! the term buckets and the text files, each a script that
//! assigns a global (see the format in [`super`]).

use serde::Serialize;

use crate::model::schema::{EnumValue, FieldType};
use crate::model::{Kind, Model};

/// `[name, label, the index in `fields` of the field it groups by, or -1]`.
pub(super) type KindEntry<'a> = (&'a str, &'a str, i64);
/// `[kind, name, label, values, facet]`, each value `[value, label, tone]`.
pub(super) type FieldEntry<'a> = (
    usize,
    &'a str,
    &'a str,
    Vec<(&'a str, &'a str, &'a str)>,
    u8,
);

#[derive(Serialize)]
pub(super) struct IndexFile<'a> {
    pub(super) v: u32,
    /// `[name, label, the index in `fields` of the field it groups by, or -1]`.
    pub(super) kinds: Vec<KindEntry<'a>>,
    /// Every enumeration field: `[kind, name, label, values, facet]`, each
    /// value `[value, label, tone]`; `facet` is 1 for a field the results can
    /// be filtered by.
    pub(super) fields: Vec<FieldEntry<'a>>,
    pub(super) chunk: usize,
    pub(super) pages: Pages,
    /// How many term buckets there are: [`BUCKETS`].
    pub(super) buckets: usize,
}

/// The kinds in the index's order: home, the declared kinds, free pages.
pub(super) fn kind_index(model: &Model, kind: Kind) -> usize {
    match kind {
        Kind::Home => 0,
        Kind::Declared(i) => 1 + usize::from(i),
        Kind::Page => 1 + model.kinds.len(),
    }
}

/// Every enumeration field of `model`, as `(kind, field index)`, in the
/// order of [`IndexFile::fields`].
pub(super) fn enum_fields(model: &Model) -> Vec<(Kind, usize)> {
    model
        .sections()
        .flat_map(|k| {
            model
                .fields(k)
                .iter()
                .enumerate()
                .filter_map(move |(i, f)| matches!(f.ty, FieldType::Enum(_)).then_some((k, i)))
        })
        .collect()
}

impl<'a> IndexFile<'a> {
    /// The kinds and enumeration fields of `model`, as the index states them.
    pub(super) fn tables(model: &'a Model) -> (Vec<KindEntry<'a>>, Vec<FieldEntry<'a>>) {
        let enums = enum_fields(model);
        let kinds = model
            .all_kinds()
            .map(|k| {
                let group = model.kind_def(k).and_then(|d| d.group_by);
                let badge = group
                    .and_then(|g| enums.iter().position(|&(ek, ei)| ek == k && ei == g))
                    .map_or(-1, |i| i as i64);
                (model.name(k), model.label(k), badge)
            })
            .collect();
        let fields = enums
            .iter()
            .map(|&(k, i)| {
                let f = &model.fields(k)[i];
                let values = match &f.ty {
                    FieldType::Enum(values) => values.iter().map(value_entry).collect(),
                    _ => Vec::new(),
                };
                (
                    kind_index(model, k),
                    f.name.as_str(),
                    f.label.as_str(),
                    values,
                    u8::from(f.facet),
                )
            })
            .collect();
        (kinds, fields)
    }
}

fn value_entry(v: &EnumValue) -> (&str, &str, &str) {
    (&v.value, &v.label, v.tone.as_deref().unwrap_or("neutral"))
}

/// One term bucket: `[terms, postings]`, each space-separated.
#[derive(Serialize)]
pub(super) struct Bucket(pub(super) String, pub(super) String);

/// One page of the index: its path (the output path without ".html"),
/// title, kind, number of sections, and for each enumeration field of its
/// kind, in the order of [`IndexFile::fields`], 1 + the index of the
/// page's value (0 for none).
pub(super) struct Doc<'a> {
    pub(super) path: &'a str,
    pub(super) title: &'a str,
    pub(super) kind: usize,
    pub(super) sections: usize,
    pub(super) values: Vec<usize>,
}

/// The page table, a column per property: the browser evaluates a few long
/// strings and flat number arrays about 3 times as fast as an array per page
/// (at 10,000 pages, a median of 8.5 ms against 24.6 ms over 15 runs in
/// Node's V8), and that evaluation is on every first query's path.
#[derive(Serialize)]
pub(super) struct Pages {
    /// Paths, one per line.
    paths: String,
    /// Titles, one per line; a title's own line breaks become spaces.
    titles: String,
    kinds: Vec<usize>,
    sections: Vec<usize>,
    /// Every page's values, one after the other.
    values: Vec<usize>,
}

impl Pages {
    pub(super) fn of(docs: &[Doc]) -> Pages {
        let mut pages = Pages {
            paths: String::new(),
            titles: String::new(),
            kinds: Vec::with_capacity(docs.len()),
            sections: Vec::with_capacity(docs.len()),
            values: Vec::new(),
        };
        for (n, doc) in docs.iter().enumerate() {
            if n > 0 {
                pages.paths.push('\n');
                pages.titles.push('\n');
            }
            // Paths are ids and folder names: lower-case letters, digits,
            // `-`, `_` and `/`, never a line break.
            pages.paths.push_str(doc.path);
            pages.titles.extend(doc.title.chars().map(|c| {
                if matches!(c, '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            }));
            pages.kinds.push(doc.kind);
            pages.sections.push(doc.sections);
            pages.values.extend_from_slice(&doc.values);
        }
        pages
    }
}

/// One page's text for results: `[summary, [[anchor, heading, excerpt], …]]`.
#[derive(Serialize)]
pub(super) struct DocText<'a>(pub(super) &'a str, pub(super) &'a [SectionOut]);

/// `[anchor, heading, text]`.
#[derive(Serialize)]
pub(super) struct SectionOut(pub(super) String, pub(super) String, pub(super) String);

/// Pages per text file for a site of `pages` pages. Loading a file costs about
/// the same whatever its size up to tens of KB, and a dozen results on a large
/// site fall in a dozen different files: small sites get few large files (64
/// pages each up to 1,024 pages), large ones many small files (fewer pages per
/// file as the site grows, down to 4 from 16,384 pages).
pub fn chunk_pages(pages: usize) -> usize {
    (65_536 / pages.max(1)).clamp(4, 64)
}

/// Term buckets: a term's postings are in bucket [`bucket_of`] of it, one
/// file each. `search.js` names the file a query word needs from the word
/// alone, so it loads it beside the index instead of after it; every prefix
/// of two letters or more falls in one bucket. 64, for the site sizes the
/// benchmark measures: at 10,000 pages the largest bucket holds 0.53 MB and
/// the one with "re…" 0.47 MB (with 256 buckets, both 0.44 MB: a few large
/// prefixes decide it), while a 30-page site writes 64 files of a few
/// hundred bytes (see bench/RESULTS.md).
pub const BUCKETS: usize = 64;

/// The bucket of `term`: FNV-1a over its first two characters' code points,
/// modulo [`BUCKETS`]; `search.js` computes the same (`bucketOf`). Stemming
/// keeps a word's first two letters, so a word, its stem and every term
/// starting with either share a bucket.
pub fn bucket_of(term: &str) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for c in term.chars().take(2) {
        hash = (hash ^ u32::from(c)).wrapping_mul(0x0100_0193);
    }
    hash as usize % BUCKETS
}

/// Path of text file `n`.
pub fn text_file(n: usize) -> String {
    format!("assets/search-text-{n}.js")
}

/// Path of term bucket `k`.
pub fn terms_file(k: usize) -> String {
    format!("assets/search-terms-{k}.js")
}

/// The entries of the sorted dictionary (term, encoded postings) in each
/// bucket, by position, in dictionary order: every entry in exactly one, and
/// every bucket present, empty or not, since `search.js` may ask for any.
pub(super) fn bucket_entries(entries: &[(&str, String)]) -> Vec<Vec<usize>> {
    let mut buckets = vec![Vec::new(); BUCKETS];
    for (n, (term, _)) in entries.iter().enumerate() {
        buckets[bucket_of(term)].push(n);
    }
    buckets
}

/// `prefix` + the value as script-safe JSON + `;`.
pub(super) fn script(prefix: &str, value: &impl Serialize) -> String {
    // Serializing plain strings and numbers cannot fail.
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(prefix.len() + json.len() + json.len() / 64 + 2);
    out.push_str(prefix);
    crate::escape::json_for_script_into(&json, &mut out);
    out.push_str(";\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_table_is_a_line_per_page() {
        let doc = |path, title, kind, values: &[usize]| Doc {
            path,
            title,
            kind,
            sections: 2,
            values: values.to_vec(),
        };
        let pages = Pages::of(&[
            doc("index", "Home", 0, &[]),
            doc("cases/a", "Two\nlines\r\n", 2, &[1, 0]),
            doc("b", "", 5, &[]),
        ]);
        let json = serde_json::to_value(&pages).unwrap();
        assert_eq!(json["paths"], "index\ncases/a\nb");
        assert_eq!(json["titles"], "Home\nTwo lines  \n");
        assert_eq!(json["kinds"], serde_json::json!([0, 2, 5]));
        assert_eq!(json["sections"], serde_json::json!([2, 2, 2]));
        assert_eq!(json["values"], serde_json::json!([1, 0]));
    }

    #[test]
    fn text_files_shrink_as_the_site_grows() {
        assert_eq!(chunk_pages(0), 64);
        assert_eq!(chunk_pages(21), 64);
        assert_eq!(chunk_pages(1000), 64);
        assert_eq!(chunk_pages(4096), 16);
        assert_eq!(chunk_pages(10_000), 6);
        assert_eq!(chunk_pages(100_000), 4);
    }

    #[test]
    fn buckets_hold_every_term_once_in_order() {
        let names: Vec<String> = (0..1000).map(|i| format!("t{i:04}")).collect();
        let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
        names.extend(["ab", "abc", "é", "日本語", "𝒜𝒜"]);
        names.sort_unstable();
        let entries: Vec<(&str, String)> = names.iter().map(|t| (*t, String::new())).collect();
        let buckets = bucket_entries(&entries);
        assert_eq!(buckets.len(), BUCKETS);
        let mut all: Vec<usize> = buckets.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..entries.len()).collect::<Vec<_>>());
        for (k, bucket) in buckets.iter().enumerate() {
            assert!(
                bucket.windows(2).all(|w| w[0] < w[1]),
                "bucket {k} in order"
            );
            assert!(bucket.iter().all(|&n| bucket_of(entries[n].0) == k));
        }
        // Only the first two characters count: a prefix and its terms share one.
        assert_eq!(bucket_of("ab"), bucket_of("abc"));
        assert_eq!(bucket_of("t0"), bucket_of("t0999"));
        assert_eq!(bucket_of("日本"), bucket_of("日本語"));
        assert!(bucket_entries(&[]).iter().all(Vec::is_empty));
    }

    proptest::proptest! {
        /// What lets a query word name its term file: stemming keeps the
        /// first two letters, so the word and its stem share a bucket.
        #[test]
        fn a_word_and_its_stem_share_a_bucket(word in "[a-z]{2,12}(ies|sses|s|ing|ed|ce|e)?") {
            proptest::prop_assert_eq!(bucket_of(&super::super::stem(&word)), bucket_of(&word));
        }
    }

    /// Fixed numbers: a change here moves every term to another file, and
    /// search.js must change with it (tests/suite/search_parity.rs holds the
    /// two to the same buckets).
    #[test]
    fn bucket_numbers_are_fixed() {
        let got: Vec<usize> = ["re", "open", "we", "a", "", "é", "日本"]
            .iter()
            .map(|t| bucket_of(t))
            .collect();
        assert_eq!(got, [16, 42, 41, 44, 5, 4, 36]);
    }
}
