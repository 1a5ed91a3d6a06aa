//! The index on disk: the file names, the page table and shard directory of
//! `search-index.js`, the term shards and the text files, each a script that
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
    pub(super) shards: Vec<(&'a str, usize)>,
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

/// One term shard: `[terms, postings]`, each space-separated.
#[derive(Serialize)]
pub(super) struct Shard(pub(super) String, pub(super) String);

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

/// Terms and postings per shard, in bytes: a shard closes once it holds this
/// much, so it is at most one term's postings larger. A query loads one shard
/// per word, more for a short prefix being typed.
pub const SHARD_BYTES: usize = 24 * 1024;

/// Path of text file `n`.
pub fn text_file(n: usize) -> String {
    format!("assets/search-text-{n}.js")
}

/// Path of term shard `k`.
pub fn terms_file(k: usize) -> String {
    format!("assets/search-terms-{k}.js")
}

/// Cuts the sorted dictionary (term, encoded postings) into shards: runs of
/// consecutive entries, each closed once it holds `target` bytes or more (an
/// entry counts its term, its postings and two separators). Every entry lands
/// in exactly one shard; an empty dictionary has no shard.
pub(super) fn cut_shards(entries: &[(&str, String)], target: usize) -> Vec<std::ops::Range<usize>> {
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (n, (term, list)) in entries.iter().enumerate() {
        size += term.len() + list.len() + 2;
        if size >= target {
            shards.push(start..n + 1);
            start = n + 1;
            size = 0;
        }
    }
    if start < entries.len() {
        shards.push(start..entries.len());
    }
    shards
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
    fn shards_cover_the_dictionary_in_order() {
        let names: Vec<String> = (0..1000).map(|i| format!("t{i:04}")).collect();
        let entries: Vec<(&str, String)> = names
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), "0".repeat(i % 37)))
            .collect();
        let shards = cut_shards(&entries, 1024);
        assert!(shards.len() > 10, "{}", shards.len());
        assert_eq!(shards[0].start, 0);
        assert_eq!(shards.last().unwrap().end, entries.len());
        for pair in shards.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "contiguous");
        }
        let bytes = |r: &std::ops::Range<usize>| -> usize {
            entries[r.clone()]
                .iter()
                .map(|(t, l)| t.len() + l.len() + 2)
                .sum()
        };
        for (k, r) in shards.iter().enumerate() {
            assert!(!r.is_empty());
            let size = bytes(r);
            // At least the target, except the last; at most one entry over.
            assert!(size >= 1024 || k == shards.len() - 1, "shard {k}: {size}");
            assert!(
                size - bytes(&(r.end - 1..r.end)) < 1024,
                "shard {k}: {size}"
            );
        }
        // One large entry makes a shard of its own; nothing makes no shard.
        let big = vec![("a", "0".repeat(5000)), ("b", "1".to_string())];
        assert_eq!(cut_shards(&big, 1024), [0..1, 1..2]);
        assert!(cut_shards(&[], 1024).is_empty());
    }
}
