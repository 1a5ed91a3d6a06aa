//! Site + rendered pages → the search index, as a `.js` file that defines
//! `window.PLAYBOOK_SEARCH`.
//!
//! Readers open the site from `file://`, where Chromium refuses `fetch()` of local
//! files, so the index is a script the theme's `search.js` loads with
//! `<script src>` the first time the search box gets focus.
//!
//! The format keeps what the first query loads small at thousands of pages. The
//! file loaded on focus holds the page table and a directory of term shards;
//! the term dictionary and its postings are cut into shards of about
//! [`SHARD_BYTES`], contiguous in dictionary order, and a query loads only the
//! shards its words (or the prefix being typed) fall into. Dictionary and
//! postings are long strings that the browser splits once per shard and decodes
//! only for the terms a query touches.
//!
//! ```text
//! assets/search-index.js, loaded on first focus of the search box:
//! window.PLAYBOOK_SEARCH = {
//!   "v": 3,
//!   "kinds": [["case", "Case"], …],           // kind index → name, label
//!   "verdicts": ["", "Open", "Stay closed"],   // verdict index → label
//!   "chunk": 64,                               // pages per text file
//!   "docs": [[path, title, kind * 3 + verdict, number of sections], …],
//!   "shards": [[first term, number of terms], …]
//! }
//! assets/search-terms-K.js, loaded when a query needs a term of shard K:
//! PLAYBOOK_SEARCH_TERMS[K] = ["term term …", "list list …"]
//!   // sorted, space-separated terms; one posting list per term, same order
//! assets/search-text-N.js, loaded for the pages a query shows or checks:
//! PLAYBOOK_SEARCH_TEXT[N] = [[summary, [[anchor, heading, excerpt], …]], …]
//! ```
//!
//! Shard K holds the terms from its first term up to (not including) the first
//! term of shard K + 1; shard 0's first term is "". Terms sharing a prefix are
//! neighbours in that order, so a prefix maps to a run of consecutive shards that
//! the directory alone tells.
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
//! these steps on the query; keep the two in step.

mod fold_table;

use std::borrow::Cow;

use std::sync::Arc;

use rayon::prelude::*;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::incremental::{self as cache, Memo, Reuse};
use crate::model::{Kind, Page, Rendered, Site, Verdict};
use crate::output::Sink;

/// Output path of the index, under the site root.
pub const FILE: &str = "assets/search-index.js";

/// Field codes, highest weight first in search.js.
pub const BODY: u32 = 0;
pub const HEADING: u32 = 1;
pub const SUMMARY: u32 = 2;
pub const TITLE: u32 = 3;

/// Digits of a posting number: every digit but the last from `CONT`, the last from
/// `LAST`. None needs escaping in JSON or HTML.
const CONT: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()";
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// Per-section text kept for snippets and phrase checks, in characters. Longer
/// sections are cut at a word boundary; words past the cut are still indexed.
/// Measured trade-off: see the README's Search section.
pub const EXCERPT_CHARS: usize = 400;

/// Words too common to be worth a posting list. Queries skip them too (except
/// the word being typed, which may be the start of a longer one).
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if",
    "in", "into", "is", "it", "its", "no", "not", "of", "on", "or", "so", "than", "that", "the",
    "their", "then", "there", "these", "they", "this", "to", "was", "were", "which", "will",
    "with",
];

/// Whether `word` is in [`STOP_WORDS`] (sorted, so a binary search: a linear
/// scan of the list for every word of the site was most of the index's cost).
pub fn is_stop_word(word: &str) -> bool {
    // No stop word is longer than five letters: most words skip the search.
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

/// Lower case, then diacritics removed: "Ökonomie" → "okonomie".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            c if c.is_ascii() => out.push(c),
            c => match fold_table::FOLD.binary_search_by_key(&c, |&(from, _)| from) {
                Ok(i) => out.push(fold_table::FOLD[i].1),
                Err(_) => out.push(c),
            },
        }
    }
    out
}

/// The words of already folded text: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A light English stemmer (plural, -ed, -ing, final e), enough to make
/// "licenses", "licensed", "licensing" and British "licence" meet. Only words of
/// ASCII letters longer than three are touched.
pub fn stem(word: &str) -> Cow<'_, str> {
    if !may_stem(word) {
        return Cow::Borrowed(word);
    }
    let mut w = word.to_string();
    stem_in_place(&mut w);
    Cow::Owned(w)
}

/// Whether [`stem`] can change `word`. Most words end in none of its
/// suffixes: they need no copy.
fn may_stem(word: &str) -> bool {
    word.len() > 3
        && (word.ends_with('s')
            || word.ends_with("ing")
            || word.ends_with("ed")
            || word.ends_with('e'))
        && word.bytes().all(|b| b.is_ascii_lowercase())
}

/// [`stem`] on a word the caller owns, so the index builder stems every word
/// of the site without allocating.
fn stem_in_place(w: &mut String) {
    if !may_stem(w) {
        return;
    }
    if let Some(n) = w.strip_suffix("ies").map(str::len).filter(|&n| n >= 2) {
        w.truncate(n);
        w.push('y');
    } else if w.ends_with("sses") {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    for suffix in ["ing", "ed"] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= 3 && base.bytes().any(is_vowel) {
                let n = base.len();
                w.truncate(n);
                undouble(w);
                break;
            }
        }
    }
    // "licence" → "license": British -ence/-ice nouns meet their -ense/-ise forms.
    if w.ends_with("ce") && w.len() > 4 {
        let n = w.len();
        w.replace_range(n - 2.., "se");
    }
    if w.len() > 4 && w.ends_with('e') {
        w.pop();
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// "stopp" → "stop", but "install" and "access" keep their double letter.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    let n = b.len();
    if n >= 2 && b[n - 1] == b[n - 2] && !is_vowel(b[n - 1]) && !b"lsz".contains(&b[n - 1]) {
        w.pop();
    }
}

/// The index terms of `text`: folded, split, stemmed, without stop words and
/// single characters.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, &mut String::new(), |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each term of [`terms`], in order, without folding the whole
/// text first: a run of ASCII letters and digits (most of any English text) is
/// lowered and stemmed in `word`, a buffer reused for every word; only runs
/// holding other characters take the general path of [`fold`] and [`words`].
///
/// Splitting at ASCII punctuation and spaces before folding gives the same
/// words as folding first, because folding works character by character and
/// leaves those characters as they are, and they split words either way.
fn each_term(text: &str, word: &mut String, mut f: impl FnMut(&str)) {
    for (_, run, ascii) in Runs::new(text) {
        if ascii {
            if run.len() < 2 {
                continue;
            }
            lower_into(word, run);
            if !is_stop_word(word) {
                stem_in_place(word);
                f(word);
            }
        } else {
            each_folded_term(run, &mut f);
        }
    }
}

/// The terms of a run holding non-ASCII characters: the general path.
fn each_folded_term(run: &str, mut f: impl FnMut(&str)) {
    let folded = fold(run);
    for w in words(&folded) {
        if w.chars().nth(1).is_some() && !is_stop_word(w) {
            f(&stem(w));
        }
    }
}

/// `word` := `run` in ASCII lower case.
fn lower_into(word: &mut String, run: &str) {
    word.clear();
    word.push_str(run);
    word.make_ascii_lowercase();
}

/// The runs of `text` between ASCII spaces and punctuation, each with its
/// start and whether it is all ASCII. Scans bytes, not characters: in UTF-8 a byte below 0x80 is
/// always a whole character, so cutting at one never splits another.
struct Runs<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Runs<'a> {
    fn new(text: &'a str) -> Runs<'a> {
        Runs { text, at: 0 }
    }
}

impl<'a> Iterator for Runs<'a> {
    type Item = (usize, &'a str, bool);

    fn next(&mut self) -> Option<(usize, &'a str, bool)> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        while i < bytes.len() && SEPARATOR[bytes[i] as usize] {
            i += 1;
        }
        if i == bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        let mut seen = 0;
        while i < bytes.len() && !SEPARATOR[bytes[i] as usize] {
            seen |= bytes[i];
            i += 1;
        }
        self.at = i;
        Some((start, &self.text[start..i], seen < 0x80))
    }
}

/// Bytes that end a word: ASCII other than letters and digits.
static SEPARATOR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = !(b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// A word of at most 16 ASCII letters and digits, lowered, as one number:
/// most words are that short, and comparing and hashing one number is much
/// cheaper than comparing and hashing a string. Letters and digits are never
/// zero, so the zero padding cannot make two words equal.
///
/// The word is `text[start..start + len]`: where 16 bytes follow its start,
/// they are read at once and the excess masked off, rather than copied into
/// a buffer and read back (which stalls the processor).
fn packed_lower(text: &[u8], start: usize, len: usize) -> Option<u128> {
    if len > 16 || len == 0 {
        return None;
    }
    let used = u128::MAX >> (8 * (16 - len));
    let bytes = match text.get(start..start + 16) {
        Some(sixteen) => u128::from_le_bytes(sixteen.try_into().ok()?) & used,
        None => {
            let mut bytes = [0u8; 16];
            bytes[..len].copy_from_slice(text.get(start..start + len)?);
            u128::from_le_bytes(bytes)
        }
    };
    // Every letter and digit but the capitals has 0x20 set: setting it on
    // each byte of the word lowers exactly the capitals.
    Some(bytes | (u128::from_le_bytes([0x20; 16]) & used))
}

/// A hash of a packed word: a folded multiply, whose high and low bits both
/// depend on every input bit (hashbrown uses both).
fn hash_packed(word: u128) -> u64 {
    let x = (word as u64) ^ ((word >> 64) as u64).rotate_left(23);
    let m = u128::from(x) * 0x9e37_79b9_7f4a_7c15;
    (m as u64) ^ ((m >> 64) as u64)
}

/// FNV-1a: much cheaper than SipHash for short words, and the index's input
/// is the site's own text (no untrusted flood of colliding keys to defend
/// against in a one-shot build).
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A raw word that is no term (a stop word).
const NO_TERM: u32 = u32::MAX;

/// One page's terms, gathered in parallel with the other pages: each distinct
/// term once (in `arena`, with its hash), and per text the terms it holds,
/// each once, in reading order.
#[derive(Default)]
struct PageTerms {
    arena: String,
    /// `(start, end, hash)` of each distinct term in `arena`.
    distinct: Vec<(u32, u32, u64)>,
    /// Which text last added each distinct term, so a text adds it once.
    last_text: Vec<u32>,
    /// Per text, `(end in postings, local section, field)`: its terms are
    /// those after the previous text's end. Kept apart from the term numbers
    /// so that a posting costs four bytes, not twelve.
    texts: Vec<(u32, u32, u32)>,
    /// Term numbers, text after text.
    postings: Vec<u32>,
    /// Each short ASCII word as written (lowered and packed) that the page
    /// has used, with its term number or [`NO_TERM`]: a page uses most of
    /// its words many times, and each is checked and stemmed only once.
    raw: Vec<(u128, u32)>,
    raw_table: hashbrown::HashTable<u32>,
    table: hashbrown::HashTable<u32>,
    word: String,
}

impl PageTerms {
    /// Room in the lookup tables for a page of about `words` words, so they
    /// do not grow step by step (rehashing cost a tenth of indexing). What
    /// the page keeps grows as needed: its size is not guessed.
    fn for_words(words: usize) -> PageTerms {
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

    fn term(&self, n: u32) -> &str {
        let (a, b, _) = self.distinct[n as usize];
        &self.arena[a as usize..b as usize]
    }

    /// Drops what only adding needs: the page's share is kept, by `watch`.
    fn finish(&mut self) {
        self.table = hashbrown::HashTable::new();
        self.last_text = Vec::new();
        self.word = String::new();
        self.raw = Vec::new();
        self.raw_table = hashbrown::HashTable::new();
    }

    /// Adds the terms of `text`, as [`each_term`] finds them, as one text.
    fn add(&mut self, text: &str, section: u32, field: u32) {
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

/// Writes `n` as posting digits.
fn push_number(out: &mut String, mut n: u32) {
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

/// Makes serialized JSON safe inside a `<script>` file and any JS parser:
/// `<`, `>`, `&` (so no `</script>` or `<!--` can appear), and the line
/// separators U+2028 and U+2029 (not allowed in older JS string literals) become
/// `\uXXXX`. These characters only ever occur inside JSON strings, where the
/// escape means the same character.
pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    escape_json_for_script_into(json, &mut out);
    out
}

/// [`escape_json_for_script`], appending to `out`.
fn escape_json_for_script_into(json: &str, out: &mut String) {
    // Copy the runs between special characters whole; they are rare in text.
    let mut rest = json;
    while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or('<');
        out.push_str(match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            _ => "\\u2029",
        });
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

const KINDS: [Kind; 6] = [
    Kind::Home,
    Kind::Pattern,
    Kind::Case,
    Kind::Hybrid,
    Kind::Mistake,
    Kind::Page,
];

#[derive(Serialize)]
struct IndexFile<'a> {
    v: u32,
    kinds: Vec<(&'static str, &'static str)>,
    verdicts: [&'static str; 3],
    chunk: usize,
    docs: Vec<Doc<'a>>,
    shards: Vec<(&'a str, usize)>,
}

/// One term shard: `[terms, postings]`, each space-separated.
#[derive(Serialize)]
struct Shard(String, String);

/// `[path, title, kind * 3 + verdict, number of sections]`, as a JSON array.
#[derive(Serialize)]
struct Doc<'a>(&'a str, &'a str, usize, usize);

/// One page's text for results: `[summary, [[anchor, heading, excerpt], …]]`.
#[derive(Serialize)]
struct DocText<'a>(&'a str, &'a [SectionOut]);

/// `[anchor, heading, text]`.
#[derive(Serialize)]
struct SectionOut(String, String, String);

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

/// Builds the index: `(output path, contents)` of [`FILE`], of each term shard and
/// of each text file.
pub fn index_files(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<(String, String)> {
    index_files_with(site, rendered, EXCERPT_CHARS)
}

/// One page's share of the index: its sections for snippets, and its terms.
/// Made for each page in parallel, and kept by `watch` for the next rebuild.
pub struct PageIndex {
    sections: Vec<SectionOut>,
    terms: PageTerms,
    /// The [`Dictionary`] number of each of `terms.distinct`, set by the
    /// first merge. A page is only ever merged with one dictionary: `watch`
    /// drops its pages whenever it starts a new one.
    ids: std::sync::OnceLock<Vec<u32>>,
}

/// Every term merged so far, numbered. A build starts with an empty one;
/// `watch` keeps its own between rebuilds, so the terms of a page it reuses
/// need no lookup, and the dictionary's order is sorted again only after a
/// new term arrives.
#[derive(Default)]
pub struct Dictionary {
    terms: Vec<String>,
    hashes: Vec<u64>,
    table: hashbrown::HashTable<u32>,
    /// Term numbers in search.js's order, until a term is added.
    sorted: Option<Vec<u32>>,
    /// Terms some page held at the last merge.
    live: usize,
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
    fn sort(&mut self) {
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

impl PageIndex {
    fn new(page: &Page, r: &Rendered, excerpt_chars: usize) -> PageIndex {
        let text_len: usize = r.sections.iter().map(|s| s.text.len()).sum();
        let mut terms = PageTerms::for_words(text_len / 6);
        terms.add(&page.title, 0, TITLE);
        terms.add(&page.summary, 0, SUMMARY);
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
        terms.finish();
        PageIndex {
            sections,
            terms,
            ids: std::sync::OnceLock::new(),
        }
    }
}

/// [`index_files`] with a chosen excerpt length, for measuring the trade-off.
pub fn index_files_with(
    site: &Site,
    rendered: &[Arc<Rendered>],
    excerpt_chars: usize,
) -> Vec<(String, String)> {
    match index_files_reusing(site, rendered, excerpt_chars, None, None, None) {
        Ok((files, _)) => files
            .into_iter()
            .filter_map(|(path, js)| Some((path, js?)))
            .collect(),
        // Without a sink nothing is written, so nothing can fail.
        Err(_) => Vec::new(),
    }
}

/// [`index_files_with`], taking each page's share from `reuse` where its key
/// matches; also returns every page's share with its key, for the next time.
/// Text files go to `sink` if there is one and no cache keeps them; their
/// contents come back as `None`.
pub fn index_files_reusing(
    site: &Site,
    rendered: &[Arc<Rendered>],
    excerpt_chars: usize,
    reuse: Option<&SearchReuse>,
    dictionary: Option<&mut Dictionary>,
    sink: Option<&dyn Sink>,
) -> Result<(Vec<IndexOut>, Made), Diagnostic> {
    let mut fresh = Dictionary::default();
    let dictionary = dictionary.unwrap_or(&mut fresh);
    let mut builder = IndexBuilder::new(site, excerpt_chars, reuse, dictionary, sink);
    let indexer = builder.indexer();
    let batch = builder.batch();
    let index_pages = |first: usize| -> Vec<Arc<PageIndex>> {
        (first..site.pages.len().min(first + batch))
            .into_par_iter()
            .map(|i| indexer.page(i, &rendered[i]))
            .collect()
    };
    let mut indexed = index_pages(0);
    for first in (0..site.pages.len()).step_by(batch) {
        // The next batch is indexed while this one is merged and written.
        let indexes = std::mem::take(&mut indexed);
        let (taken, ahead) = rayon::join(
            || builder.take_batch(indexes),
            || index_pages(first + batch),
        );
        taken?;
        indexed = ahead;
    }
    Ok(builder.finish())
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
    merged: Merged<'a>,
    chunk: usize,
    docs: Vec<Doc<'a>>,
    files: Vec<IndexOut>,
    made_texts: cache::Made<Arc<str>>,
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
            merged: Merged {
                dictionary,
                lists: Vec::new(),
                next_section: 0,
            },
            chunk: chunk_pages(site.pages.len()),
            docs: Vec::with_capacity(site.pages.len()),
            files: Vec::new(),
            made_texts: Vec::new(),
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
        for (page, index) in site.pages[first..self.next].iter().zip(&indexes) {
            self.merged.add(index);
            let kind = KINDS.iter().position(|&k| k == page.kind).unwrap_or(0);
            let verdict = match page.verdict {
                None => 0,
                Some(Verdict::Open) => 1,
                Some(Verdict::Closed) => 2,
            };
            let path = page
                .out_path
                .strip_suffix(".html")
                .unwrap_or(&page.out_path);
            self.docs.push(Doc(
                path,
                &page.title,
                kind * 3 + verdict,
                index.sections.len(),
            ));
        }
        // (path, the text and its key for the cache, or `None` once written)
        type TextFile = (String, Option<(u64, Arc<str>)>);
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
                        None => Ok((path, Some((0, Arc::from(make()))))),
                    };
                };
                // A text file holds its pages' shares and nothing else.
                let from = n * chunk;
                let keys = &r.pages.keys[from..from + chunk_indexes.len()];
                let key = cache::hash(&(chunk, n, keys));
                let js = match r.texts.get(&path, key) {
                    Some(js) => js,
                    None => Arc::from(make()),
                };
                Ok((path, Some((key, js))))
            })
            .collect();
        for file in texts {
            let (path, text) = file?;
            let js = text.map(|(key, js)| {
                if reuse.is_some() {
                    self.made_texts.push((path.clone(), key, js.clone()));
                }
                js.to_string()
            });
            self.files.push((path, js));
        }
        if reuse.is_some() {
            self.kept.extend(indexes);
        }
        Ok(())
    }

    /// The index file and term shards, after every page's batch; with the
    /// text files, and each page's share with its key for the next time.
    pub fn finish(self) -> (Vec<IndexOut>, Made) {
        let mut timer = crate::timing::Timer::new();
        let IndexBuilder {
            indexer,
            merged,
            chunk,
            docs,
            mut files,
            made_texts,
            kept,
            ..
        } = self;
        let Merged {
            dictionary,
            mut lists,
            ..
        } = merged;
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
        let shards = cut_shards(&encoded, SHARD_BYTES);
        let directory: Vec<(&str, usize)> = shards
            .iter()
            .map(|range| {
                let first = if range.start == 0 {
                    ""
                } else {
                    encoded[range.start].0
                };
                (first, range.len())
            })
            .collect();
        let file = IndexFile {
            v: 3,
            kinds: KINDS.iter().map(|k| (k.name(), k.label())).collect(),
            verdicts: ["", Verdict::Open.label(), Verdict::Closed.label()],
            chunk,
            docs,
            shards: directory,
        };
        files.push((
            FILE.to_string(),
            Some(script("window.PLAYBOOK_SEARCH=", &file)),
        ));
        // Escaping tens of megabytes of postings for a script: on all cores.
        let shard_files: Vec<IndexOut> = shards
            .into_par_iter()
            .enumerate()
            .map(|(k, range)| {
                let entries = &encoded[range];
                let shard = Shard(
                    entries.iter().map(|e| e.0).collect::<Vec<_>>().join(" "),
                    entries
                        .iter()
                        .map(|e| e.1.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                let prefix = format!(
                    "(window.PLAYBOOK_SEARCH_TERMS=window.PLAYBOOK_SEARCH_TERMS||{{}})[{k}]="
                );
                (terms_file(k), Some(script(&prefix, &shard)))
            })
            .collect();
        files.extend(shard_files);
        timer.mark("search: shard files");
        let made = indexer
            .reuse
            .map(|r| r.pages.made(indexer.site, &kept))
            .unwrap_or_default();
        (
            files,
            Made {
                pages: made,
                texts: made_texts,
            },
        )
    }
}

/// Pages indexed at once: enough to keep both cores busy, few enough that
/// their terms and texts stay small.
const BATCH_PAGES: usize = 512;

/// The postings of every page merged so far.
struct Merged<'a> {
    dictionary: &'a mut Dictionary,
    /// Per term number, its postings, encoded as they come: each (global
    /// section, field) pair as the section's distance from the term's last
    /// one, times four, plus the field; and that last section.
    lists: Vec<(String, u32)>,
    /// The global number of the next page's first section.
    next_section: u32,
}

impl Merged<'_> {
    /// Adds the next page's postings. Pages are merged in order and each
    /// page's texts in the order [`PageIndex::new`] added them, so every list
    /// comes out sorted, exactly as a single pass would build it. A page's
    /// distinct terms are looked up once each, with the hash computed in the
    /// parallel pass.
    fn add(&mut self, index: &PageIndex) {
        let terms = &index.terms;
        let dictionary = &mut *self.dictionary;
        // A page reused by `watch` knows its terms' numbers already.
        let ids = index.ids.get_or_init(|| {
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
        self.next_section += index.sections.len() as u32;
    }
}

/// An index file: its output path and contents, `None` once written to the sink.
pub type IndexOut = (String, Option<String>);

/// What a rebuild of `watch` may take from the last one's index.
pub struct SearchReuse<'a> {
    pub pages: Reuse<'a, Arc<PageIndex>>,
    pub texts: &'a Memo<Arc<str>>,
}

/// This index's pieces with their keys, for the next rebuild.
pub struct Made {
    pub pages: cache::Made<Arc<PageIndex>>,
    pub texts: cache::Made<Arc<str>>,
}

/// Cuts the sorted dictionary (term, encoded postings) into shards: runs of
/// consecutive entries, each closed once it holds `target` bytes or more (an
/// entry counts its term, its postings and two separators). Every entry lands
/// in exactly one shard; an empty dictionary has no shard.
fn cut_shards(entries: &[(&str, String)], target: usize) -> Vec<std::ops::Range<usize>> {
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
fn script(prefix: &str, value: &impl Serialize) -> String {
    // Serializing plain strings and numbers cannot fail.
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(prefix.len() + json.len() + json.len() / 64 + 2);
    out.push_str(prefix);
    escape_json_for_script_into(&json, &mut out);
    out.push_str(";\n");
    out
}

/// The front-matter lists the theme shows "at a glance", as one searchable text.
fn glance_text(page: &Page) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(page.opened.as_deref());
    parts.extend(page.kept.as_deref());
    for list in [&page.gains, &page.costs, &page.signals, &page.examples] {
        parts.extend(list.iter().map(String::as_str));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && is_stop_word("a") && is_stop_word("with"));
        assert!(!is_stop_word("weights"));
    }

    #[test]
    fn folding_lowers_case_and_strips_diacritics() {
        assert_eq!(fold("Ökonomie Café NAÏVE"), "okonomie cafe naive");
        assert_eq!(fold("Straße Łódź Æther"), "strasse lodz aether");
        assert_eq!(fold("Tiếng Việt"), "tieng viet");
        // Letters with no decomposition stay as they are.
        assert_eq!(fold("日本 Москва"), "日本 москва");
    }

    #[test]
    fn fold_table_is_sorted_for_binary_search() {
        assert!(fold_table::FOLD.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let text = fold("DeepSeek-R1 (January 2025): the MIT licence; o'clock");
        let got: Vec<&str> = words(&text).collect();
        assert_eq!(
            got,
            ["deepseek", "r1", "january", "2025", "the", "mit", "licence", "o", "clock"]
        );
    }

    #[test]
    fn stemming_joins_forms_of_a_word() {
        for w in [
            "licence",
            "licences",
            "license",
            "licenses",
            "licensed",
            "licensing",
        ] {
            assert_eq!(stem(w), "licens", "{w}");
        }
        assert_eq!(stem("weights"), stem("weight"));
        assert_eq!(stem("policies"), "policy");
        assert_eq!(stem("opened"), "open");
        assert_eq!(stem("opening"), "open");
        assert_eq!(stem("stopped"), "stop");
        assert_eq!(stem("installed"), "install");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("analysis"), "analysis");
        // Short and non-ASCII words are left alone.
        assert_eq!(stem("was"), "was");
        assert_eq!(stem("need"), "need");
        assert_eq!(stem("москва"), "москва");
    }

    #[test]
    fn terms_drop_stop_words_and_single_letters() {
        assert_eq!(
            terms("The model's weights, a release"),
            ["model", "weight", "releas"]
        );
    }

    /// The definition `terms` must keep: fold the whole text, split, filter, stem.
    fn terms_by_definition(text: &str) -> Vec<String> {
        let folded = fold(text);
        words(&folded)
            .filter(|w| w.chars().nth(1).is_some() && !is_stop_word(w))
            .map(|w| stem(w).into_owned())
            .collect()
    }

    #[test]
    fn the_fast_path_finds_the_terms_of_the_definition() {
        for text in [
            "Naïve CAFÉ-owners' licences: Straße, Łódź & 日本 (ǅemal) İstanbul",
            "a bb ccc dddd the The THE weights—weighted…weighing 2025 R1",
            "x\u{300}y combining é e\u{301} ﬁle ß",
            "",
        ] {
            assert_eq!(terms(text), terms_by_definition(text), "{text}");
        }
    }

    #[test]
    fn packed_words_are_lowered_and_never_collide() {
        let p = |w: &str| {
            // Both ways of reading a word: at the end of the text, and with
            // more text after it.
            let alone = packed_lower(w.as_bytes(), 0, w.len());
            let padded = format!("{w}-and-more-text-after-it");
            assert_eq!(packed_lower(padded.as_bytes(), 0, w.len()), alone, "{w}");
            alone
        };
        assert_eq!(p("Weights"), p("weights"));
        assert_eq!(p("R1"), p("r1"));
        assert_ne!(p("ab"), p("abc"));
        assert_ne!(p("a1"), p("aq"));
        assert!(p("SixteenLetters16").is_some());
        assert_eq!(p("SeventeenLetters7"), None);
        assert_ne!(p("abcdefghijklmnop"), p("abcdefghijklmnoq"));
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
        #[test]
        fn terms_match_the_definition_on_any_text(text in "[ -~àéÉßİıøæ\u{301}日ǅ—]{0,80}") {
            proptest::prop_assert_eq!(terms(&text), terms_by_definition(&text));
        }

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

    #[test]
    fn script_escaping_leaves_no_way_out() {
        let json = serde_json::to_string(
            "</script><img src=x onerror=alert(1)> & \u{2028}\u{2029} \"q\" 'q'",
        )
        .unwrap();
        let safe = escape_json_for_script(&json);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!safe.contains(bad), "{bad:?} left in {safe}");
        }
        // Still JSON, and still the same string.
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(
            back,
            "</script><img src=x onerror=alert(1)> & \u{2028}\u{2029} \"q\" 'q'"
        );
    }
}
