//! Terms → posting lists: each page's terms gathered on its own (in
//! parallel), then merged in page order into one numbered dictionary and a
//! posting list per term, written as base-32 digits as they come.

use super::analyze::{
    each_folded_term, fnv, hash_packed, is_stop_word, lower_into, packed_lower, stem_in_place, Runs,
};
use std::sync::OnceLock;

/// Digits of a posting number: every digit but the last from `CONT`, the last from
/// `LAST`. None needs escaping in JSON or HTML.
const CONT: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()";
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// A raw word that is no term (a stop word).
const NO_TERM: u32 = u32::MAX;

/// One page's terms, gathered in parallel with the other pages: each distinct
/// term once (in `arena`, with its hash), and per text the terms it holds,
/// each once, in reading order.
#[derive(Default)]
pub(super) struct PageTerms {
    pub(super) arena: String,
    /// `(start, end, hash)` of each distinct term in `arena`.
    pub(super) distinct: Vec<(u32, u32, u64)>,
    /// Which text last added each distinct term, so a text adds it once;
    /// emptied once the page is gathered.
    pub(super) last_text: Vec<u32>,
    /// Per text, `(end in postings, local section, field)`: its terms are
    /// those after the previous text's end. Kept apart from the term numbers
    /// so that a posting costs four bytes, not twelve.
    pub(super) texts: Vec<(u32, u32, u32)>,
    /// Term numbers, text after text.
    pub(super) postings: Vec<u32>,
}

impl PageTerms {
    /// The terms of the texts `add` gives to [`Gather::add`], in order.
    pub(super) fn gather(add: impl FnOnce(&mut Gather<'_>)) -> PageTerms {
        let mut page = PageTerms::default();
        LEXICON.with(|lexicon| match lexicon.try_borrow_mut() {
            Ok(mut lexicon) => {
                lexicon.next_page();
                add(&mut Gather {
                    page: &mut page,
                    lexicon: &mut lexicon,
                });
            }
            // Only a gather inside a gather on one thread: it gets its own.
            Err(_) => {
                let mut lexicon = Lexicon::default();
                lexicon.next_page();
                add(&mut Gather {
                    page: &mut page,
                    lexicon: &mut lexicon,
                });
            }
        });
        page.last_text = Vec::new();
        page
    }

    pub(super) fn term(&self, n: u32) -> &str {
        let (a, b, _) = self.distinct[n as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Term `n` occurs in text `text_no`: a posting, unless it already has one.
    fn post(&mut self, n: u32, text_no: u32) {
        if self.last_text[n as usize] != text_no {
            self.last_text[n as usize] = text_no;
            self.postings.push(n);
        }
    }
}

/// Every word the pages indexed on this thread have used, folded, checked
/// against the stop words and stemmed once for all of them: a site's pages
/// share most of their words. Doing that again for each page's first use
/// of a word, in tables of the page's own, was about a third of gathering
/// the terms; shared, a 10,000-page build takes 0.968–0.975 of the time
/// (bench/RESULTS.md, "Search: one lexicon per thread").
#[derive(Default)]
struct Lexicon {
    /// Each short ASCII word as written (lowered and packed by
    /// [`packed_lower`]), with its term or [`NO_TERM`] for a stop word.
    raw: Vec<(u128, u32)>,
    raw_table: hashbrown::HashTable<u32>,
    arena: String,
    terms: Vec<LexiconTerm>,
    /// `terms` by their text.
    table: hashbrown::HashTable<u32>,
    /// The page being gathered, counted from 1.
    page: u32,
    /// A buffer for lowering and stemming.
    word: String,
}

/// A term of the [`Lexicon`], and its number in the page that last used it.
struct LexiconTerm {
    start: u32,
    end: u32,
    hash: u64,
    page: u32,
    local: u32,
}

thread_local! {
    static LEXICON: std::cell::RefCell<Lexicon> = std::cell::RefCell::default();
}

impl Lexicon {
    /// Words kept at most: about 15 MB a thread. A site with more distinct
    /// words starts again with an empty lexicon.
    const MAX_WORDS: usize = 1 << 18;
    /// Bytes of term text kept at most, for sites whose "words" are long
    /// (data, identifiers): the same again.
    const MAX_TEXT: usize = 16 << 20;

    fn next_page(&mut self) {
        if self.page == u32::MAX
            || self.raw.len() > Self::MAX_WORDS
            || self.terms.len() > Self::MAX_WORDS
            || self.arena.len() > Self::MAX_TEXT
        {
            *self = Lexicon::default();
        }
        self.page += 1;
    }

    /// The term of ASCII word `run`, `packed` by [`packed_lower`], or
    /// [`NO_TERM`] for a stop word: looked up as written first.
    fn raw_term(&mut self, packed: u128, run: &str) -> u32 {
        let hash = hash_packed(packed);
        let raw = &self.raw;
        if let Some(&r) = self.raw_table.find(hash, |&r| raw[r as usize].0 == packed) {
            return self.raw[r as usize].1;
        }
        let mut word = std::mem::take(&mut self.word);
        lower_into(&mut word, run);
        let n = if is_stop_word(&word) {
            NO_TERM
        } else {
            stem_in_place(&mut word);
            self.term(&word)
        };
        self.word = word;
        let r = self.raw.len() as u32;
        self.raw.push((packed, n));
        let raw = &self.raw;
        self.raw_table
            .insert_unique(hash, r, |&m| hash_packed(raw[m as usize].0));
        n
    }

    /// The number of term `t`, given one if it is new.
    fn term(&mut self, t: &str) -> u32 {
        let hash = fnv(t.as_bytes());
        let (arena, terms) = (&self.arena, &self.terms);
        let found = self.table.find(hash, |&n| {
            let e = &terms[n as usize];
            &arena[e.start as usize..e.end as usize] == t
        });
        if let Some(&n) = found {
            return n;
        }
        let n = self.terms.len() as u32;
        let start = self.arena.len() as u32;
        self.arena.push_str(t);
        self.terms.push(LexiconTerm {
            start,
            end: self.arena.len() as u32,
            hash,
            page: 0,
            local: 0,
        });
        let terms = &self.terms;
        self.table
            .insert_unique(hash, n, |&m| terms[m as usize].hash);
        n
    }

    /// Term `n`'s number in `page`, the page being gathered: given one, and
    /// the term copied into the page, the first time the page uses it.
    fn local(&mut self, n: u32, page: &mut PageTerms) -> u32 {
        let e = &mut self.terms[n as usize];
        if e.page != self.page {
            e.page = self.page;
            e.local = page.distinct.len() as u32;
            let start = page.arena.len() as u32;
            page.arena
                .push_str(&self.arena[e.start as usize..e.end as usize]);
            page.distinct.push((start, page.arena.len() as u32, e.hash));
            page.last_text.push(0);
        }
        e.local
    }
}

/// Gathers one page's terms, text by text: see [`PageTerms::gather`].
pub(super) struct Gather<'a> {
    page: &'a mut PageTerms,
    lexicon: &'a mut Lexicon,
}

impl Gather<'_> {
    /// Adds the terms of `text`, as [`each_term`] finds them, as one text.
    pub(super) fn add(&mut self, text: &str, section: u32, field: u32) {
        let (page, lexicon) = (&mut *self.page, &mut *self.lexicon);
        let text_no = page.texts.len() as u32 + 1;
        for (start, run, ascii) in Runs::new(text) {
            if !ascii {
                each_folded_term(run, |t| {
                    let n = lexicon.term(t);
                    let local = lexicon.local(n, page);
                    page.post(local, text_no);
                });
                continue;
            }
            if run.len() < 2 {
                continue;
            }
            let n = match packed_lower(text.as_bytes(), start, run.len()) {
                Some(packed) => lexicon.raw_term(packed, run),
                None => {
                    // Too long to be a stop word.
                    let mut word = std::mem::take(&mut lexicon.word);
                    lower_into(&mut word, run);
                    stem_in_place(&mut word);
                    let n = lexicon.term(&word);
                    lexicon.word = word;
                    n
                }
            };
            if n != NO_TERM {
                let local = lexicon.local(n, page);
                page.post(local, text_no);
            }
        }
        page.texts
            .push((page.postings.len() as u32, section, field));
    }
}

/// Writes `n` as posting digits.
pub(super) fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 7];
    let mut len = 0;
    loop {
        digits[len] = (n % 32) as u8;
        len += 1;
        n /= 32;
        if n == 0 {
            break;
        }
    }
    for (i, &d) in digits[..len].iter().enumerate().rev() {
        let alphabet = if i == 0 { LAST } else { CONT };
        out.push(alphabet[d as usize] as char);
    }
}

/// Every term merged so far, numbered. A build starts with an empty one;
/// `watch` keeps its own between rebuilds, so the terms of a page it reuses
/// need no lookup, and the dictionary's order is sorted again only after a
/// new term arrives.
#[derive(Default)]
pub struct Dictionary {
    pub(super) terms: Vec<String>,
    pub(super) hashes: Vec<u64>,
    pub(super) table: hashbrown::HashTable<u32>,
    /// Term numbers in search.js's order, until a term is added.
    pub(super) sorted: Option<Vec<u32>>,
    /// Terms some page held at the last merge.
    pub(super) live: usize,
}

impl Dictionary {
    fn intern(&mut self, term: &str, hash: u64) -> u32 {
        let terms = &self.terms;
        if let Some(&g) = self.table.find(hash, |&g| terms[g as usize] == term) {
            return g;
        }
        let g = self.terms.len() as u32;
        self.terms.push(term.to_string());
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, g, |&m| hashes[m as usize]);
        self.sorted = None;
        g
    }

    /// search.js binary-searches the dictionary comparing UTF-16 code units,
    /// which order some characters differently from UTF-8 bytes: sort its way.
    pub(super) fn sort(&mut self) {
        let terms = &self.terms;
        self.sorted.get_or_insert_with(|| {
            let mut order: Vec<u32> = (0..terms.len() as u32).collect();
            order.sort_by(|&a, &b| {
                terms[a as usize]
                    .encode_utf16()
                    .cmp(terms[b as usize].encode_utf16())
            });
            order
        });
    }

    /// Mostly terms that no page holds any more: time for a new one.
    pub fn is_stale(&self) -> bool {
        self.terms.len() > 2 * self.live + 10_000
    }
}

/// One batch of pages' postings, numbered from the batch's first section.
/// Merging it into the site's lists costs a step per term it holds, not one
/// per posting, and its numbers hold wherever the batch starts: `watch`
/// keeps each batch's and merges an unchanged one again as it is. On the
/// 10,000-page bench corpus a save merged 6.1 million postings, in 20
/// batches holding 14,367 terms between them.
#[derive(Default)]
pub(super) struct Segment {
    lists: Vec<SegmentList>,
    /// The batch's number of sections.
    sections: u32,
}

/// One term's postings in a [`Segment`]: its first posting apart, as the
/// gap before it depends on the batches merged before this one.
struct SegmentList {
    term: u32,
    first: u32,
    field: u32,
    last: u32,
    /// The postings after the first, encoded as in [`Merged::lists`].
    rest: String,
}

/// Builds [`Segment`]s, one batch at a time.
pub(super) struct Segmenter<'a> {
    pub(super) dictionary: &'a mut Dictionary,
    /// Per term number, its list's place in the segment being built, or
    /// [`NO_TERM`]: reset after each segment, so it is allocated once.
    slots: Vec<u32>,
}

impl<'a> Segmenter<'a> {
    pub(super) fn new(dictionary: &'a mut Dictionary) -> Segmenter<'a> {
        Segmenter {
            dictionary,
            slots: Vec::new(),
        }
    }

    /// The segment of `pages`, in order: each page's terms, the dictionary
    /// number of each of them (set here on its first merge: a page reused by
    /// `watch` knows them already) and its number of sections. Pages are
    /// taken in order and each page's texts in the order [`Gather::add`]
    /// took them, so every list comes out sorted.
    pub(super) fn segment<'p>(
        &mut self,
        pages: impl Iterator<Item = (&'p PageTerms, &'p OnceLock<Vec<u32>>, usize)>,
    ) -> Segment {
        let mut segment = Segment::default();
        for (terms, ids, sections) in pages {
            let dictionary = &mut *self.dictionary;
            let ids = ids.get_or_init(|| {
                (0..terms.distinct.len() as u32)
                    .map(|n| dictionary.intern(terms.term(n), terms.distinct[n as usize].2))
                    .collect()
            });
            if self.slots.len() < dictionary.terms.len() {
                self.slots.resize(dictionary.terms.len(), NO_TERM);
            }
            let mut start = 0;
            for &(end, local, field) in &terms.texts {
                let section = segment.sections + local;
                for &n in &terms.postings[start as usize..end as usize] {
                    let term = ids[n as usize];
                    let slot = &mut self.slots[term as usize];
                    if *slot == NO_TERM {
                        *slot = segment.lists.len() as u32;
                        segment.lists.push(SegmentList {
                            term,
                            first: section,
                            field,
                            last: section,
                            rest: String::new(),
                        });
                    } else {
                        let list = &mut segment.lists[*slot as usize];
                        push_number(&mut list.rest, (section - list.last) * 4 + field);
                        list.last = section;
                    }
                }
                start = end;
            }
            segment.sections += sections as u32;
        }
        for list in &segment.lists {
            self.slots[list.term as usize] = NO_TERM;
        }
        segment
    }
}

/// The postings of every batch merged so far, by term number.
#[derive(Default)]
pub(super) struct Merged {
    /// Per term number, its postings, encoded as they come: each (global
    /// section, field) pair as the section's distance from the term's last
    /// one, times four, plus the field; and that last section.
    pub(super) lists: Vec<(String, u32)>,
    /// The global number of the next batch's first section.
    pub(super) next_section: u32,
}

impl Merged {
    /// Adds the next batch's postings; `terms` is the dictionary's size.
    pub(super) fn add(&mut self, segment: &Segment, terms: usize) {
        if self.lists.len() < terms {
            self.lists.resize_with(terms, Default::default);
        }
        for l in &segment.lists {
            let (list, prev) = &mut self.lists[l.term as usize];
            let first = self.next_section + l.first;
            push_number(list, (first - *prev) * 4 + l.field);
            list.push_str(&l.rest);
            *prev = self.next_section + l.last;
        }
        self.next_section += segment.sections;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::terms_by_definition;
    use crate::search::BODY;

    fn decode(list: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0;
        for b in list.bytes() {
            if let Some(d) = CONT.iter().position(|&c| c == b) {
                n = n * 32 + d as u32;
            } else {
                let d = LAST.iter().position(|&c| c == b).unwrap();
                out.push(n * 32 + d as u32);
                n = 0;
            }
        }
        out
    }

    /// Each text's terms as `PageTerms` records them: the distinct terms of
    /// `terms`, in order of first use.
    fn page_terms(texts: &[&str]) -> Vec<Vec<String>> {
        let page = PageTerms::gather(|page| {
            for text in texts {
                page.add(text, 0, BODY);
            }
        });
        let mut start = 0;
        page.texts
            .iter()
            .map(|&(end, _, _)| {
                let list = page.postings[start as usize..end as usize]
                    .iter()
                    .map(|&n| page.term(n).to_string())
                    .collect();
                start = end;
                list
            })
            .collect()
    }

    fn distinct_in_order(terms: Vec<String>) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        terms
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect()
    }

    proptest::proptest! {
        /// Words met again in a page (the cached path) give the same terms.
        #[test]
        fn a_page_records_each_texts_terms_once(
            texts in proptest::collection::vec("(The|the|weights?|Weighted|licen[cs]es|a|x|[a-zé]{1,6}|[A-Za-z0-9]{15,18}|日本| |, ){0,12}", 1..4)
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let expected: Vec<Vec<String>> = texts
                .iter()
                .map(|t| distinct_in_order(terms_by_definition(t)))
                .collect();
            proptest::prop_assert_eq!(page_terms(&texts), expected);
        }
    }

    /// A page's terms as `page_terms` lists them, from a gathered page.
    fn listed(page: &PageTerms) -> Vec<(Vec<String>, u32, u32)> {
        let mut start = 0;
        page.texts
            .iter()
            .map(|&(end, section, field)| {
                let terms = page.postings[start as usize..end as usize]
                    .iter()
                    .map(|&n| page.term(n).to_string())
                    .collect();
                start = end;
                (terms, section, field)
            })
            .collect()
    }

    proptest::proptest! {
        /// A page gathers the same terms after other pages have filled the
        /// thread's lexicon as with a lexicon of its own (a gather inside a
        /// gather gets one), and keeps one number per term however many
        /// words stem to it.
        #[test]
        fn the_lexicon_pages_share_changes_no_page(
            pages in proptest::collection::vec(
                proptest::collection::vec("(The|models?|Modelling|weights?|Weighted|a|[a-c]{1,3}|[A-Za-z]{15,18}|été|日本| |, ){0,10}", 1..4),
                1..6,
            )
        ) {
            let gather = |texts: &[String]| {
                PageTerms::gather(|page| {
                    for (k, text) in texts.iter().enumerate() {
                        page.add(text, k as u32, BODY);
                    }
                })
            };
            let shared: Vec<_> = pages.iter().map(|p| listed(&gather(p))).collect();
            let mut own = Vec::new();
            PageTerms::gather(|_| {
                own = pages.iter().map(|p| listed(&gather(p))).collect();
            });
            proptest::prop_assert_eq!(&shared, &own);
            for p in &pages {
                let page = gather(p);
                let mut terms: Vec<&str> = (0..page.distinct.len() as u32).map(|n| page.term(n)).collect();
                let all = terms.len();
                terms.sort_unstable();
                terms.dedup();
                proptest::prop_assert_eq!(terms.len(), all);
            }
        }
    }

    /// A lexicon that starts again (its page count run out, or too many
    /// words) forgets no page's terms.
    #[test]
    fn a_lexicon_started_again_changes_no_page() {
        let texts = ["Open weights, open models", "weights of the model", "open"];
        let expected: Vec<_> = texts
            .iter()
            .map(|t| distinct_in_order(terms_by_definition(t)))
            .collect();
        LEXICON.with(|l| l.borrow_mut().page = u32::MAX - 1);
        let each = |t: &str| page_terms(&[t]).remove(0);
        assert_eq!(texts.map(each), expected.as_slice());
        LEXICON.with(|l| {
            let mut l = l.borrow_mut();
            assert!(l.page < 10, "the page count started again");
            l.arena.push_str(&"x".repeat(Lexicon::MAX_TEXT + 1));
        });
        assert_eq!(texts.map(each), expected.as_slice());
        LEXICON.with(|l| assert!(l.borrow().arena.len() < 1000));
    }

    /// Every list, decoded to absolute (section, field) pairs, by term.
    fn merged_lists(
        pages: &[Vec<(&str, u32, u32)>],
        cuts: &[usize],
    ) -> Vec<(String, Vec<(u32, u32)>)> {
        let built: Vec<(PageTerms, OnceLock<Vec<u32>>, usize)> = pages
            .iter()
            .map(|texts| {
                let terms = PageTerms::gather(|terms| {
                    for &(text, section, field) in texts {
                        terms.add(text, section, field);
                    }
                });
                let sections = texts.iter().map(|t| t.1 + 1).max().unwrap_or(1) as usize;
                (terms, OnceLock::new(), sections)
            })
            .collect();
        let mut dictionary = Dictionary::default();
        let mut segmenter = Segmenter::new(&mut dictionary);
        let mut merged = Merged::default();
        let mut from = 0;
        for &to in cuts.iter().chain([&pages.len()]) {
            let to = to.clamp(from, pages.len());
            let segment = segmenter.segment(built[from..to].iter().map(|(t, i, s)| (t, i, *s)));
            merged.add(&segment, segmenter.dictionary.terms.len());
            from = to;
        }
        let mut out: Vec<(String, Vec<(u32, u32)>)> = merged
            .lists
            .iter()
            .enumerate()
            .map(|(g, (list, _))| {
                let mut section = 0;
                let pairs = decode(list)
                    .into_iter()
                    .map(|n| {
                        section += n / 4;
                        (section, n % 4)
                    })
                    .collect();
                (dictionary.terms[g].clone(), pairs)
            })
            .collect();
        out.sort();
        out
    }

    proptest::proptest! {
        /// Batches merge into the lists one batch of all the pages makes,
        /// wherever they are cut: a segment's numbers hold wherever it starts.
        #[test]
        fn batches_merge_as_one(
            pages in proptest::collection::vec(
                proptest::collection::vec(("(alpha|beta|gamma|weights|[a-d]{1,2})( (alpha|beta|delta))?", 0..3u32, 0..4u32), 0..4),
                1..9,
            ),
            cuts in proptest::collection::vec(0..9usize, 0..4),
        ) {
            let pages: Vec<Vec<(&str, u32, u32)>> = pages
                .iter()
                .map(|texts| {
                    let mut texts: Vec<(&str, u32, u32)> =
                        texts.iter().map(|(t, s, f)| (t.as_str(), *s, *f)).collect();
                    // A page's texts come in section order.
                    texts.sort_by_key(|t| t.1);
                    texts
                })
                .collect();
            let mut cuts = cuts;
            cuts.sort();
            proptest::prop_assert_eq!(merged_lists(&pages, &cuts), merged_lists(&pages, &[]));
        }
    }

    #[test]
    fn a_segment_records_gaps_from_the_batch_before() {
        // Page 0: "alpha" in section 0 (body); page 1 (two sections): in
        // section 1 (heading). Site-wide that is sections 0 and 2.
        let pages = vec![
            vec![("alpha", 0, BODY)],
            vec![("beta", 0, BODY), ("alpha", 1, 1)],
        ];
        let lists = merged_lists(&pages, &[1]);
        let alpha = lists.iter().find(|(t, _)| t == "alpha").unwrap();
        assert_eq!(alpha.1, [(0, BODY), (2, 1)]);
    }

    #[test]
    fn posting_numbers_round_trip() {
        let mut s = String::new();
        for n in [0, 5, 31, 32, 1000, 123_456_789] {
            push_number(&mut s, n);
        }
        assert_eq!(decode(&s), [0, 5, 31, 32, 1000, 123_456_789]);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"\\<>&".contains(&b)));
    }
}
