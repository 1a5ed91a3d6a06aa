//! print.html's skeleton: the template rendered once with a marker where
//! each page's part goes, and cut at those markers, so the parts are spliced
//! in (or streamed) without passing through the template again.

use std::sync::{Arc, OnceLock};

use super::context;
use crate::diagnostics::Diagnostic;
use crate::incremental;
use crate::model::{Site, Tree};
use crate::render::templates::Theme;

/// print.html's template rendered with a marker in place of each page's
/// part, the parts to be spliced in afterwards: copying megabytes of HTML
/// into the template's context and out again cost more than the template
/// itself. It needs no page's HTML, so it is rendered beside the Markdown
/// pass, not after it.
pub struct Skeleton {
    html: String,
    prefix: String,
    /// Its pieces for [`Contents::Pieces`](crate::output::Contents), cut
    /// once: `watch` keeps the skeleton between rebuilds, and cutting its
    /// megabytes again on each save was 4 % of a rebuild's instructions at
    /// 10,000 pages (callgrind).
    cut: OnceLock<Option<Cut>>,
}

/// The skeleton's text between the markers, shared, with the part each
/// piece is followed by.
struct Cut {
    parts: usize,
    pieces: Vec<(Arc<str>, usize)>,
    tail: Arc<str>,
}

/// Renders print.html's [`Skeleton`].
pub fn skeleton(
    site: &Site,
    tree: Option<&Tree>,
    base: &tera::Context,
    theme: &Theme,
) -> Result<Skeleton, Diagnostic> {
    let nonce = format!(
        "{:016x}",
        incremental::hash(&(std::process::id(), std::time::SystemTime::now()))
    );
    let prefix = format!("<!--playbook-part-{nonce}-");
    let marker = |i: usize| serde_json::Value::String(format!("{prefix}{i}-->"));
    let html = theme.render("print.html", &context::print(site, tree, base, &marker))?;
    Ok(Skeleton {
        html,
        prefix,
        cut: OnceLock::new(),
    })
}

impl Skeleton {
    /// Where each of the site's `parts` goes, or `None` for a theme that does
    /// more with a part than print it whole (no marker comes out once,
    /// unchanged): such a theme gets the parts themselves instead.
    pub fn layout(&self, parts: usize) -> Option<Layout<'_>> {
        Layout::of(&self.html, &self.prefix, parts)
    }

    /// The skeleton's pieces and the `parts` in order, not joined; `None`
    /// when it has no [`Layout`] for them.
    pub fn pieces(&self, parts: &[Arc<str>]) -> Option<Arc<[Arc<str>]>> {
        let cut = self.cut.get_or_init(|| {
            self.layout(parts.len()).map(|layout| Cut {
                parts: parts.len(),
                pieces: layout
                    .pieces
                    .iter()
                    .map(|&(literal, i)| (Arc::from(literal), i))
                    .collect(),
                tail: Arc::from(layout.tail),
            })
        });
        let cut = cut.as_ref().filter(|c| c.parts == parts.len())?;
        let mut out: Vec<Arc<str>> = Vec::with_capacity(cut.pieces.len() * 2 + 1);
        for (literal, i) in &cut.pieces {
            if !literal.is_empty() {
                out.push(literal.clone());
            }
            out.push(parts[*i].clone());
        }
        out.push(cut.tail.clone());
        Some(out.into())
    }
}

/// print.html's skeleton cut at its part markers: each piece is the text
/// before a marker and the part that goes there.
pub struct Layout<'a> {
    pub(super) pieces: Vec<(&'a str, usize)>,
    pub(super) tail: &'a str,
}

impl<'a> Layout<'a> {
    /// The layout of `skeleton`, or `None` unless each of the `parts` part
    /// markers (`{prefix}{i}-->`) occurs exactly once.
    fn of(skeleton: &'a str, prefix: &str, parts: usize) -> Option<Layout<'a>> {
        let mut seen = vec![false; parts];
        let mut pieces = Vec::with_capacity(parts);
        let mut rest = skeleton;
        while let Some(at) = rest.find(prefix) {
            let after = &rest[at + prefix.len()..];
            let end = after.find("-->")?;
            let i: usize = after[..end].parse().ok()?;
            if std::mem::replace(seen.get_mut(i)?, true) {
                return None;
            }
            pieces.push((&rest[..at], i));
            rest = &after[end + 3..];
        }
        seen.iter()
            .all(|&s| s)
            .then_some(Layout { pieces, tail: rest })
    }

    pub(super) fn join(&self, parts: &[Arc<str>]) -> String {
        let size = self.tail.len()
            + self
                .pieces
                .iter()
                .map(|&(literal, i)| literal.len() + parts[i].len())
                .sum::<usize>();
        let mut out = String::with_capacity(size);
        for &(literal, i) in &self.pieces {
            out.push_str(literal);
            out.push_str(&parts[i]);
        }
        out.push_str(self.tail);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn splice(skeleton: &str, prefix: &str, parts: &[Arc<str>]) -> Option<String> {
        Layout::of(skeleton, prefix, parts.len()).map(|l| l.join(parts))
    }

    #[test]
    fn parts_are_spliced_only_when_each_marker_is_there_once() {
        let parts: Vec<Arc<str>> = vec![Arc::from("<p>zero</p>"), Arc::from("<p>one</p>")];
        let p = "<!--playbook-part-abc-";
        assert_eq!(
            splice(&format!("a{p}1-->b{p}0-->c"), p, &parts).as_deref(),
            Some("a<p>one</p>b<p>zero</p>c")
        );
        // Missing, repeated, out of range or mangled markers: no splice.
        assert_eq!(splice(&format!("a{p}0-->"), p, &parts), None);
        assert_eq!(splice(&format!("{p}0-->{p}1-->{p}1-->"), p, &parts), None);
        assert_eq!(splice(&format!("{p}0-->{p}1-->{p}2-->"), p, &parts), None);
        assert_eq!(splice(&format!("{p}0-->{p}x-->"), p, &parts), None);
        assert_eq!(splice(&format!("{p}0-->{p}1"), p, &parts), None);
    }
}
