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
    /// Which text last added each distinct term, so a text adds it once.
    pub(super) last_text: Vec<u32>,
    /// Per text, `(end in postings, local section, field)`: its terms are
    /// those after the previous text's end. Kept apart from the term numbers
    /// so that a posting costs four bytes, not twelve.
    pub(super) texts: Vec<(u32, u32, u32)>,
    /// Term numbers, text after text.
    pub(super) postings: Vec<u32>,
    /// Each short ASCII word as written (lowered and packed) that the page
    /// has used, with its term number or [`NO_TERM`]: a page uses most of
    /// its words many times, and each is checked and stemmed only once.
    pub(super) raw: Vec<(u128, u32)>,
    pub(super) raw_table: hashbrown::HashTable<u32>,
    pub(super) table: hashbrown::HashTable<u32>,
    pub(super) word: String,
}

impl PageTerms {
    /// Room in the lookup tables for a page of about `words` words, so they
    /// do not grow step by step (rehashing cost a tenth of indexing). What
    /// the page keeps grows as needed: its size is not guessed.
    pub(super) fn for_words(words: usize) -> PageTerms {
        // A page's distinct words: 29% of its words on the bench corpus, 46%
        // on the default playbook.
        let distinct = words / 2 + 16;
        PageTerms {
            last_text: Vec::with_capacity(distinct),
            table: hashbrown::HashTable::with_capacity(distinct),
            raw: Vec::with_capacity(distinct),
            raw_table: hashbrown::HashTable::with_capacity(distinct),
            ..PageTerms::default()
        }
    }

    pub(super) fn term(&self, n: u32) -> &str {
        let (a, b, _) = self.distinct[n as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Drops what only adding needs: the page's share is kept, by `watch`.
    pub(super) fn finish(&mut self) {
        self.table = hashbrown::HashTable::new();
        self.last_text = Vec::new();
        self.word = String::new();
        self.raw = Vec::new();
        self.raw_table = hashbrown::HashTable::new();
    }

    /// Adds the terms of `text`, as [`each_term`] finds them, as one text.
    pub(super) fn add(&mut self, text: &str, section: u32, field: u32) {
        let text_no = self.texts.len() as u32 + 1;
        let mut word = std::mem::take(&mut self.word);
        for (start, run, ascii) in Runs::new(text) {
            if !ascii {
                each_folded_term(run, |t| {
                    let n = self.term_number(t);
                    self.post(n, text_no);
                });
                continue;
            }
            if run.len() < 2 {
                continue;
            }
            let n = match packed_lower(text.as_bytes(), start, run.len()) {
                Some(packed) => self.raw_term_number(packed, run, &mut word),
                None => {
                    // Too long to be a stop word.
                    lower_into(&mut word, run);
                    stem_in_place(&mut word);
                    self.term_number(&word)
                }
            };
            if n != NO_TERM {
                self.post(n, text_no);
            }
        }
        self.texts
            .push((self.postings.len() as u32, section, field));
        self.word = word;
    }

    /// The term number of ASCII word `run`, `packed` by [`packed_lower`],
    /// or [`NO_TERM`] for a stop word: looked up as written first. `word` is
    /// a buffer for stemming.
    fn raw_term_number(&mut self, packed: u128, run: &str, word: &mut String) -> u32 {
        let hash = hash_packed(packed);
        let raw = &self.raw;
        if let Some(&r) = self.raw_table.find(hash, |&r| raw[r as usize].0 == packed) {
            return self.raw[r as usize].1;
        }
        lower_into(word, run);
        let n = if is_stop_word(word) {
            NO_TERM
        } else {
            stem_in_place(word);
            self.term_number(word)
        };
        let r = self.raw.len() as u32;
        self.raw.push((packed, n));
        let raw = &self.raw;
        self.raw_table
            .insert_unique(hash, r, |&m| hash_packed(raw[m as usize].0));
        n
    }

    /// The number of term `t` in this page, given one if it is new.
    fn term_number(&mut self, t: &str) -> u32 {
        let hash = fnv(t.as_bytes());
        let (arena, distinct) = (&self.arena, &self.distinct);
        let found = self.table.find(hash, |&n| {
            let (a, b, _) = distinct[n as usize];
            &arena[a as usize..b as usize] == t
        });
        if let Some(&n) = found {
            return n;
        }
        let n = self.distinct.len() as u32;
        let start = self.arena.len() as u32;
        self.arena.push_str(t);
        self.distinct.push((start, self.arena.len() as u32, hash));
        self.last_text.push(0);
        let distinct = &self.distinct;
        self.table
            .insert_unique(hash, n, |&m| distinct[m as usize].2);
        n
    }

    /// Term `n` occurs in text `text_no`: a posting, unless it already has one.
    fn post(&mut self, n: u32, text_no: u32) {
        if self.last_text[n as usize] != text_no {
            self.last_text[n as usize] = text_no;
            self.postings.push(n);
        }
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

/// The postings of every page merged so far.
pub(super) struct Merged<'a> {
    pub(super) dictionary: &'a mut Dictionary,
    /// Per term number, its postings, encoded as they come: each (global
    /// section, field) pair as the section's distance from the term's last
    /// one, times four, plus the field; and that last section.
    pub(super) lists: Vec<(String, u32)>,
    /// The global number of the next page's first section.
    pub(super) next_section: u32,
}

impl Merged<'_> {
    /// Adds the next page's postings. Pages are merged in order and each
    /// page's texts in the order [`PageIndex::new`] added them, so every list
    /// comes out sorted, exactly as a single pass would build it. A page's
    /// distinct terms are looked up once each, with the hash computed in the
    /// parallel pass.
    ///
    /// `ids` holds the dictionary number of each of the page's distinct
    /// terms once the page has been merged: a page reused by `watch` knows
    /// them already. `sections` is the page's number of sections.
    pub(super) fn add(&mut self, terms: &PageTerms, ids: &OnceLock<Vec<u32>>, sections: usize) {
        let dictionary = &mut *self.dictionary;
        let ids = ids.get_or_init(|| {
            (0..terms.distinct.len() as u32)
                .map(|n| dictionary.intern(terms.term(n), terms.distinct[n as usize].2))
                .collect()
        });
        if self.lists.len() < dictionary.terms.len() {
            self.lists
                .resize_with(dictionary.terms.len(), Default::default);
        }
        let mut start = 0;
        for &(end, local, field) in &terms.texts {
            let section = self.next_section + local;
            for &n in &terms.postings[start as usize..end as usize] {
                let (list, prev) = &mut self.lists[ids[n as usize] as usize];
                push_number(list, (section - *prev) * 4 + field);
                *prev = section;
            }
            start = end;
        }
        self.next_section += sections as u32;
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
        let mut page = PageTerms::default();
        for text in texts {
            page.add(text, 0, BODY);
        }
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
