//! Every rule about links inside content, in one place: how a link or image
//! in a page's Markdown is checked and rewritten to an output path
//! ([`rewrite`]), that every `#fragment` names a heading of its target once
//! all pages are rendered ([`check_fragments`]), and what points at each
//! page ([`inbound`]). The built output is checked again, as a browser
//! would follow it, by [`crate::check`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::diagnostics::{self, list_for_hint, Diagnostic};
use crate::model::schema::FieldType;
use crate::model::{ImageSize, PageLink, Rendered, Site, Tree};
use crate::urls;

/// What a link or image in a page's Markdown turns out to be.
enum Resolved {
    /// Left as written: empty, or a link to another site.
    Keep,
    /// `#fragment` on the same page.
    Here(String),
    /// Another page, with the link to it and the fragment.
    Page {
        target: usize,
        url: String,
        fragment: Option<String>,
    },
    /// A section's index page, or a file of the content folder.
    File(String),
    /// Refused: a diagnostic's message and hint. A script link is also
    /// blanked in the output.
    Refused {
        message: String,
        hint: String,
        blank: bool,
    },
}

/// What every page's links and images are checked against: the content
/// paths of the site's own files, and the pixel sizes of its images.
pub(super) struct Files<'a> {
    pub(super) assets: HashSet<String>,
    pub(super) sizes: HashMap<String, ImageSize>,
    /// The checked decision tree, for links into its answers.
    pub(super) tree: Option<&'a Tree>,
}

impl<'a> Files<'a> {
    pub(super) fn of(site: &Site, tree: Option<&'a Tree>) -> Files<'a> {
        Files {
            tree,
            assets: site.assets.iter().map(|a| a.content_path.clone()).collect(),
            sizes: site
                .assets
                .iter()
                .filter_map(|a| Some((a.content_path.clone(), a.size?)))
                .collect(),
        }
    }
}

/// Checks and rewrites the destination of a link or image event, in place.
pub(super) fn rewrite(
    site: &Site,
    index: usize,
    files: &Files<'_>,
    event: &mut Event,
    offset: usize,
    out: &mut Rendered,
    error: &mut impl FnMut(usize, String, &str) -> Diagnostic,
) {
    let (dest, is_image) = match event {
        Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
        Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
        _ => return,
    };
    let link = Link {
        site,
        index,
        assets: &files.assets,
        tree: files.tree,
        href: dest,
        is_image,
    };
    match link.resolve() {
        Resolved::Keep => {}
        Resolved::Here(fragment) => out.links.push(PageLink {
            target: index,
            fragment: Some(fragment),
            offset,
            pos: None,
        }),
        Resolved::Page {
            target,
            url,
            fragment,
        } => {
            *dest = CowStr::from(url);
            out.links.push(PageLink {
                target,
                fragment,
                offset,
                pos: None,
            });
        }
        Resolved::File(url) => *dest = CowStr::from(url),
        Resolved::Refused {
            message,
            hint,
            blank,
        } => {
            out.diags.push(error(offset, message, &hint));
            if blank {
                *dest = CowStr::from("#");
            }
        }
    }
}

/// One link or image of page `index`, as written.
struct Link<'a> {
    site: &'a Site,
    index: usize,
    assets: &'a HashSet<String>,
    tree: Option<&'a Tree>,
    href: &'a str,
    is_image: bool,
}

impl Link<'_> {
    fn what(&self) -> &'static str {
        if self.is_image {
            "image"
        } else {
            "link"
        }
    }

    fn refuse(&self, message: String, hint: impl Into<String>) -> Resolved {
        Resolved::Refused {
            message,
            hint: hint.into(),
            blank: false,
        }
    }

    /// The rules, in order: no script, no image from the network, no
    /// absolute path, nothing outside the content folder; then a page, a
    /// section, a draft, a file.
    fn resolve(&self) -> Resolved {
        let (href, what) = (self.href, self.what());
        if href.is_empty() {
            return Resolved::Keep;
        }
        if urls::is_script_scheme(href) {
            return Resolved::Refused {
                message: format!("{what} to a script URL (`{}`)", truncate(href)),
                hint: "links may not run code; link to a page or an https:// address".into(),
                blank: true,
            };
        }
        if urls::has_scheme(href) {
            if self.is_image {
                // Blanked, so the check of the page's raw HTML, which reads
                // the rendered page, does not report it a second time.
                return Resolved::Refused {
                    message: format!("image loaded from the network (`{}`)", truncate(href)),
                    hint: "readers browse offline: put the image in the content folder and link it with a relative path".into(),
                    blank: true,
                };
            }
            return Resolved::Keep;
        }
        if href.starts_with('/') || href.starts_with('\\') {
            return self.refuse(format!("absolute {what} `{}`", truncate(href)), "absolute paths break under a GitHub Pages /<repo>/ prefix and from disk: use a path relative to this file, e.g. `../cases/catching-up.md`");
        }
        let (path_part, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (href, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        if path_part.is_empty() {
            return fragment.map_or(Resolved::Keep, Resolved::Here);
        }
        let page = &self.site.pages[self.index];
        let Some(target) = urls::resolve(&page.content_path, path_part) else {
            return self.refuse(
                format!(
                    "{what} `{}` points outside the content folder",
                    truncate(href)
                ),
                "link to a file inside the content folder",
            );
        };
        if !self.is_image && target.ends_with(".md") {
            return self.page(&target, fragment);
        }
        let suffix = fragment
            .as_ref()
            .map(|f| format!("#{f}"))
            .unwrap_or_default();
        // The decision tree's source stands for its page, as a page's .md does,
        // so the link also works when the content is read on GitHub.
        if !self.is_image && target == "decide.yaml" && self.site.tree.is_some() {
            if let Some(problem) = fragment
                .as_deref()
                .filter(|f| f.contains('='))
                .and_then(|f| self.answers_problem(f))
            {
                return self.refuse(problem.0, problem.1);
            }
            return Resolved::File(format!(
                "{}{suffix}",
                urls::relative(&page.out_path, "decide.html")
            ));
        }
        if self.assets.contains(&target) {
            return Resolved::File(format!(
                "{}{suffix}",
                urls::encode_path(&urls::relative(&page.out_path, &target))
            ));
        }
        let is_folder = path_part.ends_with('/')
            || self
                .site
                .config
                .model
                .from_folder(target.trim_end_matches('/'))
                .is_some();
        let hint = if is_folder {
            "link to a file, not a folder: from disk a folder shows a file listing; for a section use its `index.md`, e.g. `../cases/index.md`"
        } else if self.is_image {
            "put the image in the content folder and link it relative to this file"
        } else {
            "link to an existing file, relative to this one; pages are linked by their .md path"
        };
        self.refuse(
            format!(
                "{what} to `{}`, which is not in the content folder",
                truncate(href)
            ),
            hint,
        )
    }

    /// What is wrong with a link into the decision tree's answers
    /// (`decide.yaml#harm=no&data=yes`), read as the page reads it: each
    /// `question=answer` in order from the start, up to a call.
    fn answers_problem(&self, fragment: &str) -> Option<(String, String)> {
        let tree = self.tree?;
        let mut at = Some(tree.start);
        for pair in fragment.split('&') {
            let (q, a) = pair.split_once('=').unwrap_or((pair, ""));
            let (q, a) = (urls::percent_decode(q), urls::percent_decode(a));
            let Some(question) = at.map(|i| &tree.questions[i]) else {
                return Some((
                    format!("link to the decision tree: `{q}={a}` comes after the call"),
                    "end the answers where the tree gives its call".into(),
                ));
            };
            if question.id != q {
                return Some((
                    format!(
                        "link to the decision tree: the tree asks `{}` here, not `{q}`",
                        question.id
                    ),
                    "give the answers in the order the tree asks them, from its start".into(),
                ));
            }
            if a == crate::model::tree::NOT_SURE && question.not_sure {
                return None;
            }
            let Some(answer) = question.answers.iter().find(|x| x.id == a) else {
                let ids: Vec<&str> = question.answers.iter().map(|x| x.id.as_str()).collect();
                return Some((
                    format!("link to the decision tree: question `{q}` has no answer `{a}`"),
                    format!("its answers are {}", ids.join(", ")),
                ));
            };
            at = match answer.target {
                crate::model::tree::Target::Question(i) => Some(i),
                crate::model::tree::Target::Verdict(_) => None,
            };
        }
        None
    }

    /// A link to the `.md` file at content path `target`: a page, a
    /// section's index, a draft left out, or a page that does not exist.
    fn page(&self, target: &str, fragment: Option<String>) -> Resolved {
        let site = self.site;
        let page = &site.pages[self.index];
        let suffix = |fragment: &Option<String>| {
            fragment
                .as_ref()
                .map(|f| format!("#{f}"))
                .unwrap_or_default()
        };
        if let Some(&t) = site.by_content_path.get(target) {
            let url = format!(
                "{}{}",
                urls::relative(&page.out_path, &site.pages[t].out_path),
                suffix(&fragment)
            );
            return Resolved::Page {
                target: t,
                url,
                fragment,
            };
        }
        if let Some(folder) = target.strip_suffix("/index.md") {
            if site.config.model.from_folder(folder).is_some() {
                let index = format!("{folder}/index.html");
                let url = format!(
                    "{}{}",
                    urls::relative(&page.out_path, &index),
                    suffix(&fragment)
                );
                return Resolved::File(url);
            }
        }
        if let Some(shown) = site.excluded_drafts.get(target) {
            return self.refuse(
                format!("link to a draft page `{}`", truncate(self.href)),
                format!(
                    "{} has `draft: true`, so this build leaves it out: publish it (remove `draft: true`), build with --drafts to preview, or remove the link",
                    diagnostics::display_path(shown)
                ),
            );
        }
        let known = site.by_content_path.keys().map(String::as_str);
        let hint = match diagnostics::did_you_mean(target, known) {
            _ if target == "decide.md" && site.tree.is_some() => format!(
                "the decision tree is linked by its source file: `{}`",
                urls::relative(&page.content_path, "decide.yaml")
            ),
            Some(s) => format!("did you mean `{}`?", urls::relative(&page.content_path, s)),
            None => {
                "link to an existing .md file, relative to this one, e.g. `../cases/catching-up.md`"
                    .into()
            }
        };
        self.refuse(
            format!("link to a missing page `{}`", truncate(self.href)),
            hint,
        )
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Every `#fragment` of an internal link must name a heading of its target.
pub(super) fn check_fragments(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, r) in rendered.iter().enumerate() {
        for link in &r.links {
            let Some(fragment) = &link.fragment else {
                continue;
            };
            let target = &rendered[link.target];
            if fragment.is_empty() || target.headings.iter().any(|h| &h.id == fragment) {
                continue;
            }
            let page = &site.pages[i];
            let pos = link.pos.unwrap_or(diagnostics::Pos::new(page.body_line, 1));
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let hint = match diagnostics::did_you_mean(
                fragment,
                target.headings.iter().map(|h| h.id.as_str()),
            ) {
                Some(s) => format!("did you mean `#{s}`?"),
                None if target.headings.is_empty() => format!(
                    "{} has no headings",
                    site.pages[link.target].shown_path.display()
                ),
                None => format!("headings there are {}", list_for_hint(ids)),
            };
            diags.push(
                Diagnostic::new(
                    page.shown_path.clone(),
                    format!(
                        "link to a missing heading `#{fragment}` in {}",
                        site.pages[link.target].shown_path.display()
                    ),
                )
                .at_pos(pos)
                .hint(hint),
            );
        }
    }
    diags
}

/// What points at one page from the others, grouped by relation: pages
/// that list it as related, pages whose reference fields name it (under
/// each field's inverse label), and pages that only link to it in their
/// text. A page appears in one group only, the first that applies, and
/// never beside its own related pages.
#[derive(Debug, Default, Clone, Hash)]
pub(super) struct Inbound {
    /// Pages listing this one in `related` that it does not list itself.
    pub related: Vec<usize>,
    /// Each inverse label with its pages, labels in the order first met.
    pub groups: Vec<(String, Vec<usize>)>,
    /// Pages that link here from their text (or through a reference field
    /// with no inverse label), and through nothing above.
    pub linked_from: Vec<usize>,
}

/// For each page, what points at it, built in one pass over every page's
/// links and references (no page looks at all pages).
pub(super) fn inbound(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Inbound> {
    let model = &site.config.model;
    let mut related: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    let mut grouped: Vec<Vec<(&str, usize)>> = vec![Vec::new(); site.pages.len()];
    let mut linked: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    // Sources come in increasing order, so a repeat can only be the last
    // entry (a page linked from thousands stays cheap) and lists end sorted.
    let push = |list: &mut Vec<usize>, i: usize| {
        if list.last() != Some(&i) {
            list.push(i);
        }
    };
    for (i, page) in site.pages.iter().enumerate() {
        for &t in page.related.iter().filter(|&&t| t != i) {
            push(&mut related[t], i);
        }
        let defs = model.fields(page.kind);
        for (field, targets) in page.references() {
            let inverse = match &defs[field].ty {
                FieldType::Reference { inverse, .. } => inverse.as_deref(),
                _ => None,
            };
            for &t in targets.iter().filter(|&&t| t != i) {
                match inverse {
                    Some(label) => grouped[t].push((label, i)),
                    None => push(&mut linked[t], i),
                }
            }
        }
        for t in rendered[i]
            .links
            .iter()
            .map(|l| l.target)
            .filter(|&t| t != i)
        {
            push(&mut linked[t], i);
        }
    }
    (0..site.pages.len())
        .map(|t| {
            let own = &site.pages[t].related;
            let mut shown: HashSet<usize> = own.iter().copied().collect();
            let related: Vec<usize> = related[t]
                .iter()
                .copied()
                .filter(|i| shown.insert(*i))
                .collect();
            let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
            for &(label, i) in &grouped[t] {
                if !shown.insert(i) {
                    continue;
                }
                match groups.iter_mut().find(|(l, _)| l == label) {
                    Some((_, pages)) => pages.push(i),
                    None => groups.push((label.to_string(), vec![i])),
                }
            }
            let linked_from = linked[t]
                .iter()
                .copied()
                .filter(|i| shown.insert(*i))
                .collect();
            Inbound {
                related,
                groups,
                linked_from,
            }
        })
        .collect()
}
