//! Raw pages → [`Site`]: every field typed and checked, ids unique, cross-references
//! resolved to page indices. Render trusts what comes out of here.
//!
//! All problems are gathered so one run reports them all: [`fields`] types
//! each page on its own, [`refs`] resolves the ids pages name once every
//! page is known.

mod cache;
mod fields;
mod refs;

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::{Loaded, RawPage};
use crate::model::{FieldValue, Kind, Model, Page, Site};
pub use cache::Cache;
use fields::RawRefs;

/// Checks everything and builds the site. `include_drafts` keeps `draft: true` pages.
pub fn validate(config: Config, loaded: Loaded, include_drafts: bool) -> (Site, Vec<Diagnostic>) {
    validate_with(config, loaded, include_drafts, None)
}

/// [`validate`], taking the last site from `cache` when only page bodies
/// changed since the validate that made it, and keeping this one's input
/// there. The site is the same as [`validate`]'s.
pub fn validate_with(
    config: Config,
    mut loaded: Loaded,
    include_drafts: bool,
    cache: Option<&mut Cache>,
) -> (Site, Vec<Diagnostic>) {
    let Some(cache) = cache else {
        return check(config, &mut loaded, include_drafts, false);
    };
    if let Some(site) = cache.reuse(&config, &loaded, include_drafts) {
        cache.checked = 0;
        cache.keep_input(loaded.pages, include_drafts, Some(&site));
        return (site, Vec::new());
    }
    let (site, diags) = check(config, &mut loaded, include_drafts, true);
    cache.checked = loaded.pages.len();
    let made = diags.is_empty().then_some(&site);
    cache.keep_input(loaded.pages, include_drafts, made);
    (site, diags)
}

/// Checks every page of `loaded`, taking its assets and tree into the site,
/// and its pages too unless it is to `keep_pages`.
fn check(
    config: Config,
    loaded: &mut Loaded,
    include_drafts: bool,
    keep_pages: bool,
) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut timer = crate::timing::Timer::new();
    let model_arc = config.model.clone();
    let model: &Model = &model_arc;
    let has_home = loaded.pages.iter().any(|p| p.kind == Kind::Home);
    // Each page's fields on its own, in parallel; problems in page order.
    let check_one = |raw: &RawPage| {
        let mut page_diags = Vec::new();
        let typed = fields::check_fields(raw, model, &mut page_diags);
        (typed, page_diags)
    };
    let typed: Vec<((Page, RawRefs), Vec<Diagnostic>)> = match keep_pages {
        true => loaded.pages.par_iter().map(|raw| check_one(raw)).collect(),
        // Each page as read is freed once checked, with its parsed front
        // matter, rather than all at the end beside the typed fields: at
        // 100,000 bench pages, 1,261 MiB resident after validation instead
        // of 1,435; at 10,000, validation took 37 ms instead of 55.
        false => std::mem::take(&mut loaded.pages)
            .into_par_iter()
            .map(|raw| check_one(&raw))
            .collect(),
    };
    timer.mark("validate: fields");
    let mut checked: Vec<(Page, RawRefs)> = Vec::with_capacity(typed.len());
    let mut drafts: HashMap<String, PathBuf> = HashMap::new();
    let mut excluded_drafts = HashMap::new();
    for ((page, refs), page_diags) in typed {
        diags.extend(page_diags);
        if page.draft && !include_drafts {
            drafts.insert(page.id.clone(), page.shown_path.clone());
            excluded_drafts.insert(page.content_path.clone(), page.shown_path.clone());
            continue;
        }
        checked.push((page, refs));
    }
    if !has_home {
        diags.push(
            Diagnostic::new(crate::load::shown(&config, &config.content_dir.join("index.md")), "the site has no home page")
                .hint("create content/index.md with front matter `title:` and `summary:` and a few paragraphs"),
        );
    }
    sort_in_reading_order(&mut checked, model);
    timer.mark("validate: sort");
    let (by_id, by_content_path) = index(&checked, &mut diags);
    let known = refs::Known {
        by_id: &by_id,
        unreadable: loaded.unreadable.iter().map(String::as_str).collect(),
        drafts: &drafts,
    };
    let resolved = refs::resolve(&checked, &known, model, &mut diags);
    timer.mark("validate: refs");
    let pages: Vec<Page> = checked
        .into_iter()
        .zip(resolved)
        .map(|((mut page, _), (related, fields))| {
            page.related = related;
            for (field, targets) in fields {
                page.fields[field] = FieldValue::Refs(targets);
            }
            page
        })
        .collect();
    let site = Site {
        config,
        pages,
        by_id,
        by_content_path,
        assets: std::mem::take(&mut loaded.assets),
        tree: loaded.tree.take(),
        excluded_drafts,
    };
    (site, diags)
}

/// Reading order: home, the declared kinds in their order, free pages (the
/// order of [`Kind`]); within a kind that groups by a field, by the field's
/// value in declared order (pages without one last), then by weight and
/// title. It is the order of the kind's index page, so the sidebar,
/// previous/next and print.html follow the index.
/// Render relies on each kind's pages being contiguous in this order.
fn sort_in_reading_order(checked: &mut [(Page, RawRefs)], model: &Model) {
    let group = |p: &Page| -> usize {
        let field = model.kind_def(p.kind).and_then(|k| k.group_by);
        match field.and_then(|f| p.fields.get(f)) {
            Some(FieldValue::Enum(v)) => *v,
            _ => usize::MAX,
        }
    };
    // Keys computed once per page: lowering titles in every comparison was
    // most of validate's time.
    checked.sort_by_cached_key(|(p, _)| {
        (
            p.kind,
            group(p),
            p.weight,
            p.title.to_lowercase(),
            p.id.clone(),
        )
    });
}

/// Page indices by id and by content path; a second page with an id is an error.
fn index(
    checked: &[(Page, RawRefs)],
    diags: &mut Vec<Diagnostic>,
) -> (HashMap<String, usize>, HashMap<String, usize>) {
    let mut by_id: HashMap<String, usize> = HashMap::with_capacity(checked.len());
    let mut by_content_path = HashMap::with_capacity(checked.len());
    for (i, (page, _)) in checked.iter().enumerate() {
        by_content_path.insert(page.content_path.clone(), i);
        if page.kind == Kind::Home {
            continue;
        }
        if let Some(&first) = by_id.get(&page.id) {
            let first: &Page = &checked[first].0;
            diags.push(
                Diagnostic::new(page.shown_path.clone(), format!("the id \"{}\" is already used by {}", page.id, first.shown_path.display()))
                    .at(1, 1)
                    .hint("ids come from file names and must be unique across all kinds: rename one of the files"),
            );
            continue;
        }
        by_id.insert(page.id.clone(), i);
    }
    (by_id, by_content_path)
}
