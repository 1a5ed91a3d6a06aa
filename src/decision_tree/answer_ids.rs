//! Answer ids: what the page's address records for each answer, so a shared
//! link keeps its meaning when answers are reordered. An author may write
//! `id:`, which also survives rewording; otherwise the id comes from the
//! label's first words.

use unicode_normalization::UnicodeNormalization;

/// Words an id taken from a label keeps at most: enough to tell answers
/// apart ("Yes, and …" from "Yes, but …"), short enough for an address.
const MAX_WORDS: usize = 6;

/// The id an answer gets from its label when the author gives none: the
/// label's first six words of letters and digits, accents removed, in
/// lower case, joined by hyphens. "Yes" → `yes`; "Clearly ahead, and cheap
/// to copy" → `clearly-ahead-and-cheap-to-copy`. It changes only when the
/// start of its own label does. Empty when the label has no letter or digit.
pub fn from_label(label: &str) -> String {
    let folded: String = label
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect::<Vec<_>>()
        .join("-")
}

/// Why `id` cannot be an answer's id, if it cannot: ids are lower-case
/// letters and digits, words joined by single hyphens, so they read the
/// same in an address, a file and a test.
pub fn problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("is empty".into());
    }
    if let Some(c) = id
        .chars()
        .find(|&c| !(c == '-' || (c.is_alphanumeric() && !c.is_uppercase())))
    {
        let what = if c.is_uppercase() {
            format!("has an upper-case letter ({c})")
        } else if c.is_whitespace() {
            "has a space".to_string()
        } else {
            format!("has \"{c}\"")
        };
        return Some(what);
    }
    if id.starts_with('-') || id.ends_with('-') || id.contains("--") {
        return Some("has a hyphen that joins no two words".into());
    }
    None
}

/// `id` made valid, for the hint: lower case, other characters as hyphens.
pub fn suggest(id: &str) -> String {
    let s = from_label(id);
    if s.is_empty() {
        "yes".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_label_s_first_words() {
        assert_eq!(from_label("Yes"), "yes");
        assert_eq!(from_label("Not yet"), "not-yet");
        assert_eq!(from_label("Yes — the risk is real"), "yes-the-risk-is-real");
        assert_eq!(
            from_label("Clearly ahead, and cheap to copy"),
            "clearly-ahead-and-cheap-to-copy"
        );
        assert_eq!(
            from_label("Proprietary data and a product only we can improve"),
            "proprietary-data-and-a-product-only"
        );
        // Labels that start alike still differ.
        assert_ne!(
            from_label("Yes, and their data may be exposed"),
            from_label("Yes, the service is down or slow")
        );
        assert_eq!(from_label("Déjà vu: again"), "deja-vu-again");
        assert_eq!(from_label("  Über-cool   idea  "), "uber-cool-idea");
        assert_eq!(from_label("50% or more"), "50-or-more");
        assert_eq!(from_label("Yes."), "yes");
        assert_eq!(from_label("是的"), "是的");
        assert_eq!(from_label("—"), "");
        assert_eq!(from_label("?!"), "");
    }

    #[test]
    fn authored_ids_are_lower_case_words_and_hyphens() {
        assert_eq!(problem("yes"), None);
        assert_eq!(problem("top-only-2"), None);
        assert_eq!(
            problem("Yes").as_deref(),
            Some("has an upper-case letter (Y)")
        );
        assert_eq!(problem("far ahead").as_deref(), Some("has a space"));
        assert_eq!(problem("a=b").as_deref(), Some("has \"=\""));
        assert_eq!(problem("a&b").as_deref(), Some("has \"&\""));
        assert_eq!(
            problem("-no").as_deref(),
            Some("has a hyphen that joins no two words")
        );
        assert!(problem("a--b").is_some());
        assert_eq!(problem("").as_deref(), Some("is empty"));
        assert_eq!(suggest("Far Ahead!"), "far-ahead");
        assert_eq!(suggest("?"), "yes");
    }
}
