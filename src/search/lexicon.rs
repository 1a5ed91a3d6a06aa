//! Words → one page's terms, gathered with a lexicon each thread keeps for
//! all the pages it indexes: a word is folded, checked against the stop
//! words and stemmed once per thread, not once per page.

use super::analyze::{
    each_folded_term, fnv, hash_packed, is_stop_word, lower_into, packed_lower, stem_in_place, Runs,
};
use super::postings::PageTerms;

/// A raw word that is no term: a stop word.
const STOP_WORD: u32 = u32::MAX;

/// One page's terms: those of the texts `add` gives to [`Gather::add`], in
/// order, gathered with this thread's lexicon.
pub(super) fn gather(add: impl FnOnce(&mut Gather<'_>)) -> PageTerms {
    let mut page = PageTerms::default();
    LEXICON.with(|shared| {
        let mut borrowed = shared.try_borrow_mut();
        let mut own = None;
        let lexicon: &mut Lexicon = match &mut borrowed {
            Ok(lexicon) => lexicon,
            // Only a gather inside a gather on one thread: it gets its own.
            Err(_) => own.insert(Lexicon::default()),
        };
        lexicon.next_page();
        add(&mut Gather {
            page: &mut page,
            lexicon,
        });
    });
    page.last_text = Vec::new();
    page
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
    /// [`packed_lower`]), with its term or [`STOP_WORD`] for a stop word.
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
    /// [`STOP_WORD`] for a stop word: looked up as written first.
    fn raw_term(&mut self, packed: u128, run: &str) -> u32 {
        let hash = hash_packed(packed);
        let raw = &self.raw;
        if let Some(&r) = self.raw_table.find(hash, |&r| raw[r as usize].0 == packed) {
            return self.raw[r as usize].1;
        }
        let mut word = std::mem::take(&mut self.word);
        lower_into(&mut word, run);
        let n = if is_stop_word(&word) {
            STOP_WORD
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

/// Gathers one page's terms, text by text: see [`gather`].
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
            if n != STOP_WORD {
                let local = lexicon.local(n, page);
                page.post(local, text_no);
            }
        }
        page.texts
            .push((page.postings.len() as u32, section, field));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::terms_by_definition;
    use crate::search::BODY;

    /// Each text's terms as `PageTerms` records them: the distinct terms of
    /// `terms`, in order of first use.
    fn page_terms(texts: &[&str]) -> Vec<Vec<String>> {
        let page = gather(|page| {
            for text in texts {
                page.add(text, 0, BODY);
            }
        });
        page.listed()
            .into_iter()
            .map(|(terms, _, _)| terms)
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
            let gather_page = |texts: &[String]| {
                gather(|page| {
                    for (k, text) in texts.iter().enumerate() {
                        page.add(text, k as u32, BODY);
                    }
                })
            };
            let shared: Vec<_> = pages.iter().map(|p| gather_page(p).listed()).collect();
            let mut own = Vec::new();
            gather(|_| {
                own = pages.iter().map(|p| gather_page(p).listed()).collect();
            });
            proptest::prop_assert_eq!(&shared, &own);
            for p in &pages {
                let page = gather_page(p);
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
}
