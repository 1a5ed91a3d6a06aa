//! The whole site → `print.html`: every page once, in reading order, on one
//! page a reader can print or save as a PDF.
//!
//! Pages are already rendered to HTML; this module moves them into one
//! document. Each page sits in `<section id="page-<id>">`, its element ids get
//! the prefix `page-<id>:` (ids cannot contain `:`, so no two pages' ids can
//! meet), and its links to other pages become `#page-<id>[:<fragment>]`, so
//! the printed whole links within itself. Links to files stay links to files.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::{tree_svg, DECIDE_MAP_PAGE, DECIDE_PAGE};
use crate::diagnostics::Diagnostic;
use crate::incremental::{self, Made, Reuse};
use crate::model::tree::Target;
use crate::model::{Kind, Rendered, Site, Tree};
use crate::output::Sink;
use crate::urls;

/// Its output path, at the site root.
pub const PRINT_PAGE: &str = "print.html";

/// The anchor of a page inside print.html.
pub fn page_anchor(id: &str) -> String {
    format!("page-{id}")
}

/// Where a link to output path `target` (with `fragment`) goes inside print.html.
struct Targets<'a> {
    site: &'a Site,
    by_out: HashMap<&'a str, usize>,
    has_tree: bool,
}

impl Targets<'_> {
    fn link(&self, target: &str, fragment: Option<&str>) -> String {
        if let Some(&i) = self.by_out.get(target) {
            let anchor = page_anchor(&self.site.pages[i].id);
            return match fragment.filter(|f| !f.is_empty()) {
                Some(f) => format!("#{anchor}:{f}"),
                None => format!("#{anchor}"),
            };
        }
        if let Some(folder) = target.strip_suffix("/index.html") {
            if Kind::from_folder(folder).is_some() {
                return format!("#kind-{folder}");
            }
        }
        if self.has_tree && (target == DECIDE_PAGE || target == DECIDE_MAP_PAGE) {
            return match fragment.filter(|f| !f.is_empty()) {
                Some(f) => format!("#{f}"),
                None => "#decide".into(),
            };
        }
        // A file (image, PDF): print.html sits at the root, so its path is the link.
        match fragment {
            Some(f) => format!("{target}#{f}"),
            None => target.to_string(),
        }
    }
}

/// print.html's template rendered with a marker in place of each page's
/// part, the parts to be spliced in afterwards: copying megabytes of HTML
/// into the template's context and out again cost more than the template
/// itself. It needs no page's HTML, so it is rendered beside the Markdown
/// pass, not after it.
pub struct Skeleton {
    html: String,
    prefix: String,
}

/// Renders print.html's [`Skeleton`].
pub fn skeleton(
    site: &Site,
    tree: Option<&Tree>,
    base: &tera::Context,
    theme: &super::templates::Theme,
) -> Result<Skeleton, Diagnostic> {
    let nonce = format!(
        "{:016x}",
        incremental::hash(&(std::process::id(), std::time::SystemTime::now()))
    );
    let prefix = format!("<!--playbook-part-{nonce}-");
    let marker = |i: usize| Value::String(format!("{prefix}{i}-->"));
    let html = theme.render("print.html", &context(site, tree, base, &marker))?;
    Ok(Skeleton { html, prefix })
}

impl Skeleton {
    /// Where each of the site's `parts` goes, or `None` for a theme that does
    /// more with a part than print it whole (no marker comes out once,
    /// unchanged): such a theme gets the parts themselves instead.
    pub fn layout(&self, parts: usize) -> Option<Layout<'_>> {
        Layout::of(&self.html, &self.prefix, parts)
    }
}

/// Parts rendered at once when streaming: enough to keep both cores busy,
/// few enough to stay small.
const BATCH: usize = 256;

/// print.html's skeleton cut at its part markers: each piece is the text
/// before a marker and the part that goes there.
pub struct Layout<'a> {
    pieces: Vec<(&'a str, usize)>,
    tail: &'a str,
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

    fn join(&self, parts: &[Arc<str>]) -> String {
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

/// Renders print.html from the pages' HTML: each page's part with
/// `print-page.html`, then the whole, in memory or streamed.
pub struct Printer<'a> {
    site: &'a Site,
    tree: Option<&'a Tree>,
    rendered: &'a [Arc<Rendered>],
    base: &'a tera::Context,
    theme: &'a super::templates::Theme,
    targets: Targets<'a>,
}

impl<'a> Printer<'a> {
    pub fn new(
        site: &'a Site,
        tree: Option<&'a Tree>,
        rendered: &'a [Arc<Rendered>],
        base: &'a tera::Context,
        theme: &'a super::templates::Theme,
    ) -> Printer<'a> {
        let targets = Targets {
            site,
            by_out: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.out_path.as_str(), i))
                .collect(),
            has_tree: tree.is_some(),
        };
        Printer {
            site,
            tree,
            rendered,
            base,
            theme,
            targets,
        }
    }

    /// Renders print.html in memory. Each page's part is rendered first,
    /// in parallel, with `print-page.html` (one template render of the
    /// whole site would run on one core); parts `reuse` holds for the same
    /// key are not rendered again. Also returns each part with its key, for
    /// the watch cache. With a `sink`, the page is handed to it and `None`
    /// returned.
    ///
    /// A build streams print.html with [`Printer::stream`] instead, unless
    /// the theme leaves it no [`Layout`].
    pub fn page(
        &self,
        skeleton: &Skeleton,
        reuse: Option<&Reuse<Arc<str>>>,
        sink: Option<&dyn Sink>,
    ) -> Result<(Option<String>, Made<Arc<str>>), Diagnostic> {
        let site = self.site;
        let htmls: Vec<Arc<str>> = (0..site.pages.len())
            .into_par_iter()
            .map(
                |i| match reuse.and_then(|r| r.get(i, &site.pages[i].out_path)) {
                    Some(html) => Ok(html),
                    None => self.part(i).map(Arc::from),
                },
            )
            .collect::<Result<_, _>>()?;
        let made = reuse.map(|r| r.made(site, &htmls)).unwrap_or_default();
        let html = match skeleton.layout(site.pages.len()) {
            Some(layout) => layout.join(&htmls),
            None => {
                let whole = |i: usize| Value::String(htmls[i].to_string());
                let ctx = context(site, self.tree, self.base, &whole);
                self.theme.render("print.html", &ctx)?
            }
        };
        match sink {
            Some(sink) => {
                sink.put(PRINT_PAGE, html.as_bytes())?;
                Ok((None, made))
            }
            None => Ok((Some(html), made)),
        }
    }

    /// Writes print.html to `sink` in the layout's order, a batch of parts
    /// at a time, rendering the next batch while the last one is written:
    /// the whole document is the size of the site, and is never held at
    /// once.
    ///
    /// `beside(i)` runs with part `i`'s rendering, in the same task: a build
    /// renders page `i`'s own file there, so the page's HTML is read while
    /// it is in cache, and no pass over all pages waits for another. Its
    /// results come back in page order (the layout holds each page once).
    /// After the first failed part or write nothing more goes to
    /// print.html, but `beside` still runs for every page, so a build
    /// reports each page's problems as a check does.
    pub fn stream<R: Send>(
        &self,
        sink: &dyn Sink,
        layout: &Layout,
        beside: &(dyn Fn(usize) -> R + Sync),
    ) -> (Vec<R>, Result<(), Diagnostic>) {
        let mut results: Vec<(usize, R)> = Vec::with_capacity(layout.pieces.len());
        let mut file = sink.open(PRINT_PAGE);
        type Batch<R> = Vec<(R, Option<Result<String, Diagnostic>>)>;
        let render = |batch: &[(&str, usize)], failed: bool| -> Batch<R> {
            batch
                .par_iter()
                .map(|&(_, i)| (beside(i), (!failed).then(|| self.part(i))))
                .collect()
        };
        let mut failed = file.is_err();
        let mut batches = layout.pieces.chunks(BATCH);
        let mut pending = batches.next().map(|b| (b, render(b, failed)));
        while let Some((batch, made)) = pending {
            let mut parts = Vec::with_capacity(batch.len());
            for (&(_, i), (result, part)) in batch.iter().zip(made) {
                results.push((i, result));
                parts.push(part);
            }
            let next = batches.next();
            let (written, rendered) = rayon::join(
                || -> Result<(), Diagnostic> {
                    let Ok(file) = file.as_mut() else {
                        return Ok(());
                    };
                    for ((literal, _), part) in batch.iter().zip(parts) {
                        let Some(part) = part else {
                            break;
                        };
                        file.append(literal.as_bytes())?;
                        file.append(part?.as_bytes())?;
                    }
                    Ok(())
                },
                || next.map(|b| (b, render(b, failed))),
            );
            if let Err(d) = written {
                failed = true;
                if file.is_ok() {
                    file = Err(d);
                }
            }
            pending = rendered;
        }
        let done = file.and_then(|mut file| file.append(layout.tail.as_bytes()));
        results.sort_unstable_by_key(|&(i, _)| i);
        (results.into_iter().map(|(_, r)| r).collect(), done)
    }

    /// Page `i`'s part of print.html.
    fn part(&self, i: usize) -> Result<String, Diagnostic> {
        let site = self.site;
        let page_link = |j: usize| {
            let p = &site.pages[j];
            PrintLink {
                href: format!("#{}", page_anchor(&p.id)),
                title: &p.title,
            }
        };
        let p = &site.pages[i];
        let anchor = page_anchor(&p.id);
        let body = rewrite(&self.rendered[i].html, &p.out_path, &anchor, &self.targets);
        let data = PrintPage {
            fields: super::context::PageFields::of(p, &body),
            patterns: p.patterns.iter().map(|&j| page_link(j)).collect(),
            related: p.related.iter().map(|&j| page_link(j)).collect(),
            anchor,
        };
        let mut ctx = self.base.clone();
        ctx.insert("root", "");
        ctx.insert("p", &data);
        self.theme.render("print-page.html", &ctx)
    }
}

/// `p` in print-page.html.
struct PrintPage<'a> {
    fields: super::context::PageFields<'a>,
    anchor: String,
    patterns: Vec<PrintLink<'a>>,
    related: Vec<PrintLink<'a>>,
}

impl serde::Serialize for PrintPage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        self.fields.serialize_with(serializer, "PrintPage", 3, |s| {
            s.serialize_field("anchor", &self.anchor)?;
            s.serialize_field("patterns", &self.patterns)?;
            s.serialize_field("related", &self.related)
        })
    }
}

/// A link between parts of print.html.
#[derive(serde::Serialize)]
struct PrintLink<'a> {
    href: String,
    title: &'a str,
}

/// The `print.html` template's context, on top of `base`, page `i`'s part
/// given by `html(i)`.
fn context(
    site: &Site,
    tree: Option<&Tree>,
    base: &tera::Context,
    html: &dyn Fn(usize) -> Value,
) -> tera::Context {
    let mut parts: Vec<Value> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| json!({ "id": p.id, "anchor": page_anchor(&p.id), "title": p.title, "html": html(i) }))
        .collect();
    let mut take = |i: usize| std::mem::take(&mut parts[i]);
    let home: Vec<Value> = site.of_kind(Kind::Home).map(|(i, _)| take(i)).collect();
    let mut groups: Vec<Value> = Kind::SECTIONS
        .into_iter()
        .chain([Kind::Page])
        .map(|kind| {
            let pages: Vec<Value> = site.of_kind(kind).map(|(i, _)| take(i)).collect();
            let (id, label) = match kind {
                Kind::Page => ("kind-pages".to_string(), "More"),
                k => (format!("kind-{}", k.folder()), k.plural()),
            };
            json!({ "id": id, "label": label, "pages": pages })
        })
        .collect();
    groups.retain(|g| g["pages"].as_array().is_some_and(|p| !p.is_empty()));

    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "print");
    ctx.insert(
        "canonical",
        &site
            .config
            .base_url
            .as_ref()
            .map(|b| format!("{b}{PRINT_PAGE}")),
    );
    ctx.insert("home", &home);
    ctx.insert("groups", &groups);
    ctx.insert("print_tree", &tree.map(|t| tree_data(site, t)));
    ctx.insert(
        "tree_svg",
        &tree.map(|t| tree_svg::render(t, "")).unwrap_or_default(),
    );
    ctx
}

/// The decision tree's static version, its links pointing inside print.html.
fn tree_data(site: &Site, tree: &Tree) -> Value {
    let link = |i: usize| {
        let p = &site.pages[i];
        json!({ "href": format!("#{}", page_anchor(&p.id)), "title": p.title, "kind_label": p.kind.label() })
    };
    let questions: Vec<Value> = tree
        .questions
        .iter()
        .map(|q| {
            json!({
                "id": q.id,
                "text": q.text,
                "why": q.why,
                "see": q.see.iter().map(|&i| link(i)).collect::<Vec<_>>(),
                "answers": q.answers.iter().map(|a| {
                    let anchor = match a.target {
                        Target::Question(n) => format!("q-{}", tree.questions[n].id),
                        Target::Verdict(v) => format!("v-{}", tree.verdicts[v].id),
                    };
                    json!({ "label": a.label, "anchor": anchor })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let verdicts: Vec<Value> = tree
        .verdicts
        .iter()
        .map(|v| {
            json!({
                "id": v.id,
                "call": v.call.name(),
                "call_label": v.call.label(),
                "title": v.title,
                "confidence": v.confidence,
                "changes": v.changes,
                "recommend": link(v.recommend),
                "reasons": v.reasons.iter().map(|r| {
                    let mut l = link(r.page);
                    l["text"] = json!(r.text);
                    l
                }).collect::<Vec<_>>(),
                "watch": v.watch.iter().map(|&i| link(i)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": tree.title,
        "intro": tree.intro,
        "start": tree.questions.get(tree.start).map(|q| q.id.as_str()),
        "questions": questions,
        "verdicts": verdicts,
    })
}

/// Moves one page's body HTML into print.html: ids prefixed, links retargeted,
/// image sources made relative to the root, headings moved two levels down
/// (under the section and the page title).
fn rewrite(html: &str, page_out: &str, anchor: &str, targets: &Targets) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        rewrite_tag(&mut out, tag, page_out, anchor, targets);
    }
    out.push_str(rest);
    out
}

/// Appends `tag` to `out`, rewritten; writes straight into `out`, as a page
/// has thousands of tags and most need no change.
fn rewrite_tag(out: &mut String, tag: &str, page_out: &str, anchor: &str, targets: &Targets) {
    let tag = shift_heading(tag);
    let mut rest: &str = &tag;
    // Attribute values are double-quoted and never hold a raw `"` in
    // pulldown-cmark's output.
    while let Some(q) = rest.find("=\"") {
        let name_start = rest[..q]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name = &rest[name_start..q];
        out.push_str(&rest[..q + 2]);
        rest = &rest[q + 2..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        rest = &rest[end..];
        if name.eq_ignore_ascii_case("id") {
            out.push_str(anchor);
            out.push(':');
            out.push_str(value);
        } else if name.eq_ignore_ascii_case("href") {
            out.push_str(&retarget(value, page_out, anchor, targets));
        } else if name.eq_ignore_ascii_case("src") {
            out.push_str(&relocate(value, page_out));
        } else {
            out.push_str(value);
        }
    }
    out.push_str(rest);
}

fn retarget(href: &str, page_out: &str, anchor: &str, targets: &Targets) -> String {
    if let Some(fragment) = href.strip_prefix('#') {
        return format!("#{anchor}:{fragment}");
    }
    if href.is_empty() || urls::has_scheme(href) || href.starts_with('/') {
        return href.to_string();
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    match urls::resolve(page_out, &path.replace("&amp;", "&")) {
        Some(target) => targets.link(&target, fragment),
        None => href.to_string(),
    }
}

fn relocate(src: &str, page_out: &str) -> String {
    if src.is_empty() || urls::has_scheme(src) || src.starts_with('/') {
        return src.to_string();
    }
    urls::resolve(page_out, src).unwrap_or_else(|| src.to_string())
}

/// `<h2 …>` → `<h4 …>`, `</h2>` → `</h4>`; at most `h6`.
fn shift_heading(tag: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let b = tag.as_bytes();
    let (prefix, at) = if tag.starts_with("</h") {
        ("</h", 3)
    } else if tag.starts_with("<h") {
        ("<h", 2)
    } else {
        return Cow::Borrowed(tag);
    };
    match b.get(at) {
        Some(d @ b'1'..=b'6')
            if b.get(at + 1)
                .is_some_and(|c| *c == b'>' || c.is_ascii_whitespace()) =>
        {
            let level = (d - b'0' + 2).min(6);
            Cow::Owned(format!("{prefix}{level}{}", &tag[at + 1..]))
        }
        _ => Cow::Borrowed(tag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_two_levels_down() {
        assert_eq!(shift_heading("<h2 id=\"x\">"), "<h4 id=\"x\">");
        assert_eq!(shift_heading("</h5>"), "</h6>");
        assert_eq!(shift_heading("<hr />"), "<hr />");
        assert_eq!(shift_heading("<header>"), "<header>");
    }

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
