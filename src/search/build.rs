//! Site + rendered pages → the index files, a batch of pages at a time:
//! each page's share made in parallel ([`Indexer`]), merged in page order and
//! its text files written ([`IndexBuilder`]), then the dictionary sorted into
//! term buckets once every page is in.

use std::sync::Arc;

use rayon::prelude::*;

use super::format::{
    bucket_entries, chunk_pages, kind_index, script, terms_file, text_file, Bucket, Doc, DocText,
    IndexFile, Pages, SectionOut,
};
use super::lexicon;
use super::postings::{Dictionary, Merged, PageTerms, Segment, Segmenter};
use super::{BODY, BUCKETS, FILE, HEADING, SUMMARY, TITLE};
use crate::diagnostics::Diagnostic;
use crate::incremental::{self, Memo, Reuse};
use crate::model::schema::FieldType;
use crate::model::{FieldValue, Model, Page, Rendered, Site};
use crate::output::Sink;

/// Keeps at most `max` characters of `text`, cut after a whole word.
pub fn excerpt(text: &str, max: usize) -> &str {
    // Counting characters costs a pass; a short or ASCII head needs none.
    let nth = if text.len() <= max {
        None
    } else if text.as_bytes()[..max].is_ascii() {
        Some((max, ' '))
    } else {
        text.char_indices().nth(max)
    };
    match nth {
        None => text,
        Some((cut, _)) => {
            let head = &text[..cut];
            // Stop before the word the cut fell into, unless that leaves nothing.
            match head.rfind(' ') {
                Some(space) if space > 0 && !text[cut..].starts_with(' ') => &text[..space],
                _ => head,
            }
        }
    }
}

/// Section text joins inline pieces with spaces, leaving "a [link](x.md)." as
/// "a link ."; closes those gaps before punctuation for snippets.
fn tidy(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // One pass; text is copied only around the (rare) spaces dropped.
    let mut from = 0;
    for (i, pair) in bytes.windows(2).enumerate() {
        if pair[0] == b' ' && b".,;:!?)".contains(&pair[1]) {
            out.push_str(&text[from..i]);
            from = i + 1;
        }
    }
    out.push_str(&text[from..]);
    out
}

/// One page's share of the index: its sections for snippets, and its terms.
/// Made for each page in parallel, and kept by `watch` for the next rebuild.
pub struct PageIndex {
    pub(super) sections: Vec<SectionOut>,
    pub(super) terms: PageTerms,
    /// The [`Dictionary`] number of each of `terms.distinct`, set by the
    /// first merge. A page is only ever merged with one dictionary: `watch`
    /// drops its pages whenever it starts a new one.
    pub(super) ids: std::sync::OnceLock<Vec<u32>>,
}

impl PageIndex {
    fn new(page: &Page, r: &Rendered, excerpt_chars: usize) -> PageIndex {
        let intro: &str = r
            .sections
            .iter()
            .find(|s| s.heading.is_none())
            .map_or("", |s| s.text.as_str());
        let mut sections = vec![SectionOut(
            String::new(),
            String::new(),
            tidy(excerpt(intro, excerpt_chars)),
        )];
        let terms = lexicon::gather(|terms| {
            terms.add(&page.title, 0, TITLE);
            terms.add(&page.summary, 0, SUMMARY);
            terms.add(intro, 0, BODY);
            let glance = glance_text(page);
            if !glance.is_empty() {
                // The theme's "At a glance" box (front-matter lists) has this id.
                sections.push(SectionOut(
                    "pb-glance".into(),
                    "At a glance".into(),
                    tidy(excerpt(&glance, excerpt_chars)),
                ));
                terms.add(&glance, sections.len() as u32 - 1, BODY);
            }
            for s in &r.sections {
                let Some(h) = s.heading.and_then(|h| r.headings.get(h)) else {
                    continue;
                };
                sections.push(SectionOut(
                    h.id.clone(),
                    h.text.clone(),
                    tidy(excerpt(&s.text, excerpt_chars)),
                ));
                let n = sections.len() as u32 - 1;
                terms.add(&h.text, n, HEADING);
                terms.add(&s.text, n, BODY);
            }
        });
        PageIndex {
            sections,
            terms,
            ids: std::sync::OnceLock::new(),
        }
    }
}

/// Makes each page's share of the index, on any thread.
#[derive(Clone, Copy)]
pub struct Indexer<'a> {
    site: &'a Site,
    excerpt_chars: usize,
    reuse: Option<&'a SearchReuse<'a>>,
}

impl Indexer<'_> {
    /// Page `i`'s share: from the cache if its key matches, else made from
    /// its rendered Markdown. Folding and stemming every word is the costly
    /// part of the index.
    pub fn page(&self, i: usize, rendered: &Rendered) -> Arc<PageIndex> {
        let page = &self.site.pages[i];
        match self.reuse.and_then(|r| r.pages.get(i, &page.out_path)) {
            Some(index) => index,
            None => Arc::new(PageIndex::new(page, rendered, self.excerpt_chars)),
        }
    }
}

/// The search index, built a batch of pages at a time, in page order: each
/// batch's shares (made by an [`Indexer`], in parallel) are merged into the
/// term lists and its text files written, then, without a cache to keep
/// them, dropped; the whole site's are never held at once. `render` feeds it
/// from the Markdown pass, so a page's text is indexed while it is fresh.
pub struct IndexBuilder<'a> {
    indexer: Indexer<'a>,
    sink: Option<&'a dyn Sink>,
    segmenter: Segmenter<'a>,
    merged: Merged,
    /// This index's runs of pages, kept for the next rebuild of `watch`.
    runs: Vec<Arc<Run>>,
    /// Runs whose segment was made now rather than reused.
    afresh: usize,
    chunk: usize,
    docs: Vec<Doc<'a>>,
    files: Vec<IndexOut>,
    made_files: incremental::Made<Bytes>,
    kept: Vec<Arc<PageIndex>>,
    next: usize,
}

impl<'a> IndexBuilder<'a> {
    pub fn new(
        site: &'a Site,
        excerpt_chars: usize,
        reuse: Option<&'a SearchReuse<'a>>,
        dictionary: &'a mut Dictionary,
        sink: Option<&'a dyn Sink>,
    ) -> IndexBuilder<'a> {
        IndexBuilder {
            indexer: Indexer {
                site,
                excerpt_chars,
                reuse,
            },
            sink,
            segmenter: Segmenter::new(dictionary),
            merged: Merged::default(),
            runs: Vec::new(),
            afresh: 0,
            chunk: chunk_pages(site.pages.len()),
            docs: Vec::with_capacity(site.pages.len()),
            files: Vec::new(),
            made_files: Vec::new(),
            kept: Vec::new(),
            next: 0,
        }
    }

    pub fn indexer(&self) -> Indexer<'a> {
        self.indexer
    }

    /// Pages per batch: whole text files.
    pub fn batch(&self) -> usize {
        self.chunk * (BATCH_PAGES / self.chunk).max(1)
    }

    /// Merges the shares of the next pages in order and writes their text
    /// files. Every batch but the last holds exactly [`Self::batch`] pages,
    /// so that each text file's pages come in one batch.
    pub fn take_batch(&mut self, indexes: Vec<Arc<PageIndex>>) -> Result<(), Diagnostic> {
        let site = self.indexer.site;
        let reuse = self.indexer.reuse;
        let (chunk, sink) = (self.chunk, self.sink);
        let first = self.next;
        self.next = first + indexes.len();
        for pages in indexes.chunks(RUN_PAGES) {
            // With a cache, `runs` holds every run so far: its length is
            // this run's number.
            let run = match reuse
                .and_then(|r| r.runs.get(self.runs.len()))
                .filter(|r| r.made_from(pages))
            {
                Some(run) => run.clone(),
                None => {
                    self.afresh += 1;
                    Arc::new(Run {
                        segment: self
                            .segmenter
                            .segment(pages.iter().map(|i| (&i.terms, &i.ids, i.sections.len()))),
                        pages: match reuse {
                            Some(_) => pages.to_vec(),
                            None => Vec::new(),
                        },
                    })
                }
            };
            self.merged
                .add(&run.segment, self.segmenter.dictionary.terms.len());
            if reuse.is_some() {
                self.runs.push(run);
            }
        }
        for (page, index) in site.pages[first..self.next].iter().zip(&indexes) {
            let model = &site.config.model;
            let path = page
                .out_path
                .strip_suffix(".html")
                .unwrap_or(&page.out_path);
            let values = model
                .fields(page.kind)
                .iter()
                .zip(&page.fields)
                .filter(|(f, _)| matches!(f.ty, FieldType::Enum(_)))
                .map(|(_, v)| match v {
                    FieldValue::Enum(i) => i + 1,
                    _ => 0,
                })
                .collect();
            self.docs.push(Doc {
                path,
                title: &page.title,
                kind: kind_index(model, page.kind),
                sections: index.sections.len(),
                values,
            });
        }
        // (path, the text and its key for the cache, or `None` once written)
        type TextFile = (String, Option<(u64, Bytes)>);
        let texts: Vec<Result<TextFile, Diagnostic>> = indexes
            .par_chunks(chunk)
            .enumerate()
            .map(|(k, chunk_indexes)| {
                let n = first / chunk + k;
                let path = text_file(n);
                let make = || {
                    let texts: Vec<DocText> = chunk_indexes
                        .iter()
                        .enumerate()
                        .map(|(j, index)| {
                            DocText(&site.pages[first + k * chunk + j].summary, &index.sections)
                        })
                        .collect();
                    let prefix = format!(
                        "(window.PLAYBOOK_SEARCH_TEXT=window.PLAYBOOK_SEARCH_TEXT||{{}})[{n}]="
                    );
                    script(&prefix, &texts)
                };
                let Some(r) = reuse else {
                    return match sink {
                        Some(sink) => sink.put(&path, make().as_bytes()).map(|_| (path, None)),
                        None => Ok((path, Some((0, Arc::new(make().into_bytes()))))),
                    };
                };
                // A text file holds its pages' shares and nothing else.
                let from = n * chunk;
                let keys = &r.pages.keys[from..from + chunk_indexes.len()];
                let key = incremental::hash(&(chunk, n, keys));
                let js = match r.files.get(&path, key) {
                    Some(js) => js,
                    None => Arc::new(make().into_bytes()),
                };
                Ok((path, Some((key, js))))
            })
            .collect();
        for file in texts {
            let (path, text) = file?;
            let js = text.map(|(key, js)| {
                if reuse.is_some() {
                    self.made_files.push((path.clone(), key, js.clone()));
                }
                js
            });
            self.files.push((path, js));
        }
        if reuse.is_some() {
            self.kept.extend(indexes);
        }
        Ok(())
    }

    /// The index file and term buckets, after every page's batch; with the
    /// text files, and each page's share with its key for the next time.
    pub fn finish(self) -> (Vec<IndexOut>, Made) {
        let mut timer = crate::timing::Timer::new();
        let IndexBuilder {
            indexer,
            segmenter,
            merged,
            runs,
            chunk,
            docs,
            mut files,
            mut made_files,
            kept,
            afresh,
            ..
        } = self;
        let dictionary = segmenter.dictionary;
        let mut lists = merged.lists;
        dictionary.live = lists.iter().filter(|l| !l.0.is_empty()).count();
        dictionary.sort();
        let order = dictionary.sorted.as_deref().unwrap_or_default();
        let terms = &dictionary.terms;
        // Terms no page holds any more (`watch` keeps its dictionary) are left out.
        let encoded: Vec<(&str, String)> = order
            .iter()
            .filter_map(|&g| {
                let list = lists.get_mut(g as usize).filter(|l| !l.0.is_empty())?;
                Some((terms[g as usize].as_str(), std::mem::take(&mut list.0)))
            })
            .collect();
        timer.mark("search: sort");
        files.push((
            FILE.to_string(),
            Some(Arc::new(
                index_file(&indexer.site.config.model, chunk, docs).into_bytes(),
            )),
        ));
        let reuse = indexer.reuse.map(|r| r.files);
        for (path, key, js) in bucket_files(bucket_entries(&encoded), &encoded, reuse) {
            if reuse.is_some() {
                made_files.push((path.clone(), key, js.clone()));
            }
            files.push((path, Some(js)));
        }
        timer.mark("search: term files");
        let made = indexer
            .reuse
            .map(|r| r.pages.made(indexer.site, &kept))
            .unwrap_or_default();
        (
            files,
            Made {
                pages: made,
                files: made_files,
                runs,
                afresh,
            },
        )
    }
}

/// `search-index.js`: the page table, and the number of term buckets.
fn index_file(model: &Model, chunk: usize, docs: Vec<Doc>) -> String {
    let (kinds, fields) = IndexFile::tables(model);
    let file = IndexFile {
        v: 6,
        kinds,
        fields,
        chunk,
        pages: Pages::of(&docs),
        buckets: BUCKETS,
    };
    script("window.PLAYBOOK_SEARCH=", &file)
}

/// Each term bucket's file: its terms and their postings, space-separated;
/// with its key, under which `watch` keeps it. A save changes the postings
/// of a few buckets, and escaping all of them again was 9 % of a rebuild's
/// instructions at 10,000 pages (callgrind); hashing them is a fraction.
fn bucket_files(
    buckets: Vec<Vec<usize>>,
    encoded: &[(&str, String)],
    reuse: Option<&Memo<Bytes>>,
) -> Vec<(String, u64, Bytes)> {
    // Escaping tens of megabytes of postings for a script: on all cores.
    buckets
        .into_par_iter()
        .enumerate()
        .map(|(k, bucket)| {
            let entries: Vec<&(&str, String)> = bucket.iter().map(|&n| &encoded[n]).collect();
            let path = terms_file(k);
            let key = reuse.map_or(0, |_| incremental::hash(&(k, &entries)));
            if let Some(js) = reuse.and_then(|r| r.get(&path, key)) {
                return (path, key, js);
            }
            let bucket = Bucket(
                entries.iter().map(|e| e.0).collect::<Vec<_>>().join(" "),
                entries
                    .iter()
                    .map(|e| e.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let prefix =
                format!("(window.PLAYBOOK_SEARCH_TERMS=window.PLAYBOOK_SEARCH_TERMS||{{}})[{k}]=");
            (path, key, Arc::new(script(&prefix, &bucket).into_bytes()))
        })
        .collect()
}

/// Pages indexed at once: enough to keep both cores busy, few enough that
/// their terms and texts stay small.
const BATCH_PAGES: usize = 512;

/// A search file's bytes: shared with the watch cache, so that a text file
/// a rebuild reuses is the same allocation (and `watch` need not compare it).
pub type Bytes = Arc<Vec<u8>>;

/// A search file: its path, and its bytes unless the sink has them.
pub type IndexOut = (String, Option<Bytes>);

/// What a rebuild of `watch` may take from the last one's index.
pub struct SearchReuse<'a> {
    pub pages: Reuse<'a, Arc<PageIndex>>,
    pub files: &'a Memo<Bytes>,
    /// The last index's runs of pages, in order.
    pub runs: &'a [Arc<Run>],
}

/// This index's pieces with their keys, for the next rebuild.
pub struct Made {
    pub pages: incremental::Made<Arc<PageIndex>>,
    pub files: incremental::Made<Bytes>,
    pub runs: Vec<Arc<Run>>,
    /// How many runs' postings were gathered afresh.
    pub afresh: usize,
}

/// A run of up to [`RUN_PAGES`] consecutive pages merged into the index as
/// one segment, with the pages it was made from: a rebuild whose run holds
/// the very same pages (the cache's own, not equal ones) merges its segment
/// again instead of every posting.
pub struct Run {
    pages: Vec<Arc<PageIndex>>,
    segment: Segment,
}

/// Pages per [`Run`]. A save gathers again the postings of the run holding
/// the page: with whole batches of 512 that was a fifth of a rebuild's
/// instructions at 1,000 pages; more runs cost a step per term each.
const RUN_PAGES: usize = 64;

impl Run {
    fn made_from(&self, pages: &[Arc<PageIndex>]) -> bool {
        self.pages.len() == pages.len()
            && self.pages.iter().zip(pages).all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

/// The declared fields' texts and lists the theme shows "at a glance", in
/// their order, as one searchable text.
fn glance_text(page: &Page) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for value in &page.fields {
        match value {
            FieldValue::Text(t) => parts.push(t),
            FieldValue::List(items) => parts.extend(items.iter().map(String::as_str)),
            _ => {}
        }
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_at_a_word() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("one two three", 9), "one two");
        assert_eq!(excerpt("one two three", 7), "one two");
        assert_eq!(excerpt("abcdef", 3), "abc");
        assert_eq!(excerpt("é é é", 3), "é é");
    }

    #[test]
    fn tidy_closes_gaps_left_by_links() {
        assert_eq!(
            tidy("see the case . And (this one ) , ok"),
            "see the case. And (this one), ok"
        );
    }

    proptest::proptest! {
        /// Drops exactly the spaces right before closing punctuation.
        #[test]
        fn tidy_drops_only_spaces_before_punctuation(text in "[ a.,;:!?()é]{0,30}") {
            let mut expected = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == ' ' && chars.peek().is_some_and(|n| ".,;:!?)".contains(*n)) {
                    continue;
                }
                expected.push(c);
            }
            proptest::prop_assert_eq!(tidy(&text), expected);
        }
    }
}
