//! Every rule about links inside content, in one place: how a link or image
//! in a page's Markdown is checked and rewritten to an output path
//! ([`rewrite`]), that every `#fragment` names a heading of its target once
//! all pages are rendered ([`check_fragments`]), and which pages link to
//! which ([`backlinks`]). The built output is checked again, as a browser
//! would follow it, by [`crate::check`].

use std::collections::HashSet;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Tag};

use crate::diagnostics::{self, list_for_hint, Diagnostic};
use crate::model::{Kind, PageLink, Rendered, Site};
use crate::urls;

/// Checks and rewrites the destination of a link or image event, in place.
pub(super) fn rewrite(
    site: &Site,
    index: usize,
    assets: &HashSet<String>,
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
    let page = &site.pages[index];
    let href = dest.to_string();
    let what = if is_image { "image" } else { "link" };
    if href.is_empty() {
        return;
    }
    if urls::is_script_scheme(&href) {
        out.diags.push(error(
            offset,
            format!("{what} to a script URL (`{}`)", truncate(&href)),
            "links may not run code; link to a page or an https:// address",
        ));
        *dest = CowStr::from("#");
        return;
    }
    if urls::has_scheme(&href) {
        if is_image {
            out.diags.push(error(offset, format!("image loaded from the network (`{}`)", truncate(&href)), "readers browse offline: put the image in the content folder and link it with a relative path"));
        }
        return;
    }
    if href.starts_with('/') || href.starts_with('\\') {
        out.diags.push(error(offset, format!("absolute {what} `{}`", truncate(&href)), "absolute paths break under a GitHub Pages /<repo>/ prefix and from disk: use a path relative to this file, e.g. `../cases/catching-up.md`"));
        return;
    }
    let (path_part, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (href.as_str(), None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    if path_part.is_empty() {
        if let Some(fragment) = fragment {
            out.links.push(PageLink {
                target: index,
                fragment: Some(fragment),
                offset,
                pos: None,
            });
        }
        return;
    }
    let Some(target) = urls::resolve(&page.content_path, path_part) else {
        out.diags.push(error(
            offset,
            format!(
                "{what} `{}` points outside the content folder",
                truncate(&href)
            ),
            "link to a file inside the content folder",
        ));
        return;
    };
    let fragment_suffix = fragment
        .as_ref()
        .map(|f| format!("#{f}"))
        .unwrap_or_default();
    if !is_image && target.ends_with(".md") {
        if let Some(&t) = site.by_content_path.get(&target) {
            let url = format!(
                "{}{}",
                urls::relative(&page.out_path, &site.pages[t].out_path),
                fragment_suffix
            );
            *dest = CowStr::from(url);
            out.links.push(PageLink {
                target: t,
                fragment,
                offset,
                pos: None,
            });
            return;
        }
        if let Some(folder) = target.strip_suffix("/index.md") {
            if Kind::from_folder(folder).is_some() {
                let url = format!(
                    "{}{}",
                    urls::relative(&page.out_path, &format!("{folder}/index.html")),
                    fragment_suffix
                );
                *dest = CowStr::from(url);
                return;
            }
        }
        if let Some(shown) = site.excluded_drafts.get(&target) {
            out.diags.push(error(
                offset,
                format!("link to a draft page `{}`", truncate(&href)),
                &format!(
                    "{} has `draft: true`, so this build leaves it out: publish it (remove `draft: true`), build with --drafts to preview, or remove the link",
                    diagnostics::display_path(shown)
                ),
            ));
            return;
        }
        let known = site.by_content_path.keys().map(String::as_str);
        let hint = match diagnostics::did_you_mean(&target, known) {
            Some(s) => format!("did you mean `{}`?", urls::relative(&page.content_path, s)),
            None => {
                "link to an existing .md file, relative to this one, e.g. `../cases/catching-up.md`"
                    .into()
            }
        };
        out.diags.push(error(
            offset,
            format!("link to a missing page `{}`", truncate(&href)),
            &hint,
        ));
        return;
    }
    if assets.contains(&target) {
        let url = format!(
            "{}{}",
            urls::relative(&page.out_path, &target),
            fragment_suffix
        );
        *dest = CowStr::from(url);
        return;
    }
    let is_folder =
        path_part.ends_with('/') || Kind::from_folder(target.trim_end_matches('/')).is_some();
    let hint = if is_folder {
        "link to a file, not a folder: from disk a folder shows a file listing; for a section use its `index.md`, e.g. `../cases/index.md`"
    } else if is_image {
        "put the image in the content folder and link it relative to this file"
    } else {
        "link to an existing file, relative to this one; pages are linked by their .md path"
    };
    out.diags.push(error(
        offset,
        format!(
            "{what} to `{}`, which is not in the content folder",
            truncate(&href)
        ),
        hint,
    ));
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

/// For each page, the pages that link to it in their body or list it as related,
/// built in one pass over all links (no page looks at all pages).
pub(super) fn backlinks(site: &Site, rendered: &[Arc<Rendered>]) -> Vec<Vec<usize>> {
    let mut back: Vec<Vec<usize>> = vec![Vec::new(); site.pages.len()];
    for (i, page) in site.pages.iter().enumerate() {
        let targets = rendered[i]
            .links
            .iter()
            .map(|l| l.target)
            .chain(page.related.iter().copied());
        // Sources come in increasing order, so a repeat can only be the last
        // entry (a page linked from thousands stays cheap) and lists end sorted.
        for t in targets {
            if t != i && back[t].last() != Some(&i) {
                back[t].push(i);
            }
        }
    }
    back
}
