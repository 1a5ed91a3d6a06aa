//! Site + rendered pages → the search index, as a `.js` file that defines
//! `window.PLAYBOOK_SEARCH`.
//!
//! Readers open the site from `file://`, where Chromium refuses `fetch()` of local
//! files, so the index is a script the theme's `search.js` loads with
//! `<script src>` the first time the search box gets focus.
//!
//! The format keeps what the first query waits for short at thousands of
//! pages. The file loaded on focus holds the page table; the term dictionary
//! and its postings are spread over [`BUCKETS`] files by the first two letters
//! of each term ([`bucket_of`]), so a query loads one file per word (the prefix
//! being typed included), and names it from the word alone: it loads beside the
//! page table, not after it. Dictionary and postings are long strings that the
//! browser splits once per bucket and decodes only for the terms a query
//! touches.
//!
//! ```text
//! assets/search-index.js, loaded on first focus of the search box:
//! window.PLAYBOOK_SEARCH = {
//!   "v": 6,
//!   "kinds": [[name, label, badge field or -1], …],  // kind index → …
//!   "fields": [[kind, name, label, [[value, label, tone], …], facet], …],
//!                                         // every enumeration field
//!   "chunk": 64,                          // pages per text file
//!   "pages": {                            // page number → …, a column each
//!     "paths": "index\ncases/catching-up\n…",  // one per line
//!     "titles": "…\n…",                   // one per line
//!     "kinds": [0, 2, …],
//!     "sections": [1, 8, …],              // number of sections
//!     "values": [1, …]   // per page, one per enumeration field of its kind:
//!   },                   //   1 + the index of its value, 0 for none
//!   "buckets": 64                         // number of term files
//! }
//! assets/search-terms-K.js, loaded when a query has a word of bucket K:
//! PLAYBOOK_SEARCH_TERMS[K] = ["term term …", "list list …"]
//!   // sorted, space-separated terms; one posting list per term, same order
//! assets/search-text-N.js, loaded for the pages a query shows or checks:
//! PLAYBOOK_SEARCH_TEXT[N] = [[summary, [[anchor, heading, excerpt], …]], …]
//! ```
//!
//! Bucket K holds, in dictionary order, every term whose first two characters
//! hash to K, and every bucket has its file, empty or not: `search.js` asks for
//! a word's bucket before the page table can say whether it holds anything, and
//! a missing file would be an error in the reader's console.
//!
//! `path` is the output path without ".html". A page's first section is the
//! text before its first heading (anchor and heading ""); a page with
//! front-matter lists has an "At a glance" section next.
//!
//! Sections are numbered across the whole site in document order. A posting
//! list is a run of numbers `(section gap) * 4 + field`, each written in base 32
//! with the digits of [`CONT`] for leading digits and [`LAST`] for the final one,
//! so no separator is needed. Fields: [`TITLE`], [`SUMMARY`], [`HEADING`],
//! [`BODY`]; title and summary postings point at the page's first section.
//!
//! Terms are folded (lower case, diacritics removed), split on anything that is
//! not a letter or digit, and stemmed by [`stem`]. `search.js` repeats exactly
//! these steps on the query; the test suite holds the two to the same terms.
//!
//! The stages: [`analyze`] (text → terms), [`postings`] (terms → numbered
//! posting lists), [`format`] (the files' layout), [`build`] (pages → files,
//! fed by render's Markdown pass a batch at a time).

mod analyze;
mod build;
mod format;
mod lexicon;
mod postings;

pub use analyze::{fold, is_stop_word, stem, terms, words, STOP_WORDS};
pub use build::{excerpt, IndexBuilder, IndexOut, Indexer, Made, PageIndex, Run, SearchReuse};
pub use format::{bucket_of, chunk_pages, terms_file, text_file, BUCKETS};
pub use postings::Dictionary;

/// Output path of the index, under the site root.
pub const FILE: &str = "assets/search-index.js";

/// Field codes, highest weight first in search.js.
pub const BODY: u32 = 0;
pub const HEADING: u32 = 1;
pub const SUMMARY: u32 = 2;
pub const TITLE: u32 = 3;

/// Per-section text kept for snippets and phrase checks, in characters. Longer
/// sections are cut at a word boundary; words past the cut are still indexed.
/// Measured trade-off: see the README's Search section.
pub const EXCERPT_CHARS: usize = 400;
