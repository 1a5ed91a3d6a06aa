//! Text → index terms: folded (lower case, accents removed), split on
//! anything that is not a letter or digit, stop words and single characters
//! dropped, stemmed. `search.js` repeats exactly these steps on the query;
//! the test suite runs both over the same words (tests/suite/search_parity.rs).

use std::borrow::Cow;

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
            // Final sigma: search.js lowers whole words, which writes it by context.
            'ς' => out.push('σ'),
            c if c.is_ascii() => out.push(c),
            c => out.push(base_letter(c)),
        }
    }
    out
}

/// The letter without its accents: where `c` is a letter whose canonical
/// decomposition (NFD) is longer than one UTF-16 unit, and dropping its
/// combining marks U+0300–U+036F leaves exactly one UTF-16 unit, that unit;
/// any other character stays as it is. search.js applies the rule with
/// `normalize("NFD")` on UTF-16 strings, to every character; the two differ
/// only on symbols such as U+0385, which split words on both sides anyway.
fn base_letter(c: char) -> char {
    if !c.is_alphabetic() {
        return c;
    }
    let mut units = 0;
    let mut kept = None;
    let mut kept_units = 0;
    unicode_normalization::char::decompose_canonical(c, |d| {
        units += d.len_utf16();
        if !('\u{300}'..='\u{36f}').contains(&d) {
            kept = Some(d);
            kept_units += d.len_utf16();
        }
    });
    match kept {
        Some(base) if units > 1 && kept_units == 1 => base,
        _ => c,
    }
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
pub(super) fn stem_in_place(w: &mut String) {
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
pub(super) fn each_folded_term(run: &str, mut f: impl FnMut(&str)) {
    let folded = fold(run);
    for w in words(&folded) {
        if w.chars().nth(1).is_some() && !is_stop_word(w) {
            f(&stem(w));
        }
    }
}

/// `word` := `run` in ASCII lower case.
pub(super) fn lower_into(word: &mut String, run: &str) {
    word.clear();
    word.push_str(run);
    word.make_ascii_lowercase();
}

/// The runs of `text` between ASCII spaces and punctuation, each with its
/// start and whether it is all ASCII. Scans bytes, not characters: in UTF-8 a byte below 0x80 is
/// always a whole character, so cutting at one never splits another.
pub(super) struct Runs<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Runs<'a> {
    pub(super) fn new(text: &'a str) -> Runs<'a> {
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
pub(super) fn packed_lower(text: &[u8], start: usize, len: usize) -> Option<u128> {
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
pub(super) fn hash_packed(word: u128) -> u64 {
    let x = (word as u64) ^ ((word >> 64) as u64).rotate_left(23);
    let m = u128::from(x) * 0x9e37_79b9_7f4a_7c15;
    (m as u64) ^ ((m >> 64) as u64)
}

/// FNV-1a: much cheaper than SipHash for short words, and the index's input
/// is the site's own text (no untrusted flood of colliding keys to defend
/// against in a one-shot build).
pub(super) fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
/// The definition `terms` must keep: fold the whole text, split, filter, stem.
pub(super) fn terms_by_definition(text: &str) -> Vec<String> {
    let folded = fold(text);
    words(&folded)
        .filter(|w| w.chars().nth(1).is_some() && !is_stop_word(w))
        .map(|w| stem(w).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The fold as it was before unicode-normalization did it: a table
    /// generated from Unicode 14.0.0 data. Every letter in it still folds
    /// to the same base, and no other character folds at all.
    #[test]
    fn folds_exactly_as_the_unicode_14_table_did() {
        let table: std::collections::HashMap<char, char> = include_str!("fold-unicode-14.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let mut hex = l.split(' ').map(|h| u32::from_str_radix(h, 16).unwrap());
                let (from, to) = (hex.next().unwrap(), hex.next().unwrap());
                (char::from_u32(from).unwrap(), char::from_u32(to).unwrap())
            })
            .collect();
        assert_eq!(table.len(), 789);
        let mut checked = 0;
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii())
        {
            let expected = table.get(&c).copied().unwrap_or(c);
            assert_eq!(base_letter(c), expected, "U+{:04X}", c as u32);
            checked += 1;
        }
        assert!(checked > 1_000_000, "{checked}");
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

    proptest::proptest! {
        #[test]
        fn terms_match_the_definition_on_any_text(text in "[ -~àéÉßİıøæ\u{301}日ǅ—]{0,80}") {
            proptest::prop_assert_eq!(terms(&text), terms_by_definition(&text));
        }
    }
}
