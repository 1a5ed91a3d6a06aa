//! print.html's template contexts: the whole document's, and the tree's
//! static version with its links pointing inside print.html.

use serde_json::{json, Value};

use super::{page_anchor, PRINT_PAGE};
use crate::model::{Kind, Site, Tree};
use crate::render::context::link_to;
use crate::render::tree_svg;

/// The `print.html` template's context, on top of `base`, page `i`'s part
/// given by `html(i)`.
pub(super) fn print(
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
    let model = &site.config.model;
    let kinds: Vec<Kind> = model.sections().chain([Kind::Page]).collect();
    let mut groups: Vec<Value> = kinds
        .into_iter()
        .map(|kind| {
            let pages: Vec<Value> = site.of_kind(kind).map(|(i, _)| take(i)).collect();
            let (id, label) = match kind {
                Kind::Page => ("kind-pages".to_string(), "More"),
                k => (format!("kind-{}", model.folder(k)), model.plural(k)),
            };
            json!({ "id": id, "label": label, "pages": pages })
        })
        .collect();
    groups.retain(|g| g["pages"].as_array().is_some_and(|p| !p.is_empty()));

    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "print");
    ctx.insert(
        "sidebar",
        &crate::render::sidebar::html(
            site,
            tree.is_some(),
            "",
            crate::render::sidebar::Current::Other,
        ),
    );
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
        &tree
            .map(|t| tree_svg::render(t, &site.config.model.tree.calls, ""))
            .unwrap_or_default(),
    );
    ctx
}

/// The decision tree's static version, its links pointing inside print.html.
fn tree_data<'a>(site: &'a Site, tree: &'a Tree) -> crate::render::tree_context::TreeCtx<'a> {
    crate::render::tree_context::tree_ctx(site, tree, &|i| {
        link_to(site, i, format!("#{}", page_anchor(&site.pages[i].id)))
    })
}
