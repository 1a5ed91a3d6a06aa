//! Terms → posting lists: each page's terms gathered on its own (in
//! parallel), then merged in page order into one numbered dictionary and a
//! posting list per term, written as base-32 digits as they come.

use std::sync::OnceLock;

/// Digits of a posting number: every digit but the last from `CONT`, the last from
/// `LAST`. None needs escaping in JSON or HTML.
const CONT: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()";
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// A term with no list yet in the segment being built.
const NO_LIST: u32 = u32::MAX;

/// One page's terms, gathered in parallel with the other pages (by
/// [`super::lexicon::gather`]): each distinct
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
    pub(super) fn term(&self, n: u32) -> &str {
        let (a, b, _) = self.distinct[n as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Term `n` occurs in text `text_no`: a posting, unless it already has one.
    pub(super) fn post(&mut self, n: u32, text_no: u32) {
        if self.last_text[n as usize] != text_no {
            self.last_text[n as usize] = text_no;
            self.postings.push(n);
        }
    }

    /// Each text's terms, in order, with its section and field.
    #[cfg(test)]
    pub(super) fn listed(&self) -> Vec<(Vec<String>, u32, u32)> {
        let mut start = 0;
        self.texts
            .iter()
            .map(|&(end, section, field)| {
                let terms = self.postings[start as usize..end as usize]
                    .iter()
                    .map(|&n| self.term(n).to_string())
                    .collect();
                start = end;
                (terms, section, field)
            })
            .collect()
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
    /// [`NO_LIST`]: reset after each segment, so it is allocated once.
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
    /// taken in order and each page's texts in the order [`super::lexicon::Gather::add`]
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
                self.slots.resize(dictionary.terms.len(), NO_LIST);
            }
            let mut start = 0;
            for &(end, local, field) in &terms.texts {
                let section = segment.sections + local;
                for &n in &terms.postings[start as usize..end as usize] {
                    let term = ids[n as usize];
                    let slot = &mut self.slots[term as usize];
                    if *slot == NO_LIST {
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
            self.slots[list.term as usize] = NO_LIST;
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
    use crate::search::lexicon::gather;
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

    /// Every list, decoded to absolute (section, field) pairs, by term.
    fn merged_lists(
        pages: &[Vec<(&str, u32, u32)>],
        cuts: &[usize],
    ) -> Vec<(String, Vec<(u32, u32)>)> {
        let built: Vec<(PageTerms, OnceLock<Vec<u32>>, usize)> = pages
            .iter()
            .map(|texts| {
                let terms = gather(|terms| {
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
