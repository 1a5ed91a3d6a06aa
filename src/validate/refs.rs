//! The ids pages name → page indices, once every page is known: `related`
//! (any page but itself) and `patterns` (patterns only). An unknown id gets
//! the nearest known one, or says it is a draft left out of this build.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::fields::RawRefs;
use crate::diagnostics::{did_you_mean, list_for_hint, Diagnostic};
use crate::load::front_matter::Written;
use crate::model::schema::{FieldDef, FieldType};
use crate::model::{Model, Page};

/// What references are resolved against.
pub(super) struct Known<'a> {
    pub by_id: &'a HashMap<String, usize>,
    /// Ids of pages that exist but could not be read: their own error is enough.
    pub unreadable: HashSet<&'a str>,
    /// Drafts left out of this build, by id.
    pub drafts: &'a HashMap<String, PathBuf>,
}

/// A page's `related`, and each reference field's pages by the field's index.
pub(super) type Resolved = (Vec<usize>, Vec<(usize, Vec<usize>)>);

/// Each page's `related`, and each of its reference fields, as page indices.
pub(super) fn resolve(
    checked: &[(Page, RawRefs)],
    known: &Known,
    model: &Model,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Resolved> {
    let mut known_ids: Vec<&str> = known.by_id.keys().map(String::as_str).collect();
    known_ids.sort_unstable();
    checked
        .iter()
        .map(|(page, refs)| {
            let related = related(checked, known, &known_ids, page, refs, diags);
            let fields = refs
                .fields
                .iter()
                .map(|(field, ids)| {
                    let def = &model.fields(page.kind)[*field];
                    (
                        *field,
                        references(checked, known, model, page, refs, def, ids, diags),
                    )
                })
                .collect();
            (related, fields)
        })
        .collect()
}

fn related(
    checked: &[(Page, RawRefs)],
    known: &Known,
    known_ids: &[&str],
    page: &Page,
    refs: &RawRefs,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut related = Vec::new();
    let mut seen = HashSet::new();
    let mut problems = Problems::new(page, &refs.written, "related", diags);
    for id in &refs.related {
        match known.by_id.get(id) {
            Some(&i) if checked[i].0.id == page.id => problems.push(|| {
                Diagnostic::new(
                    page.shown_path.clone(),
                    format!("\"{id}\" lists itself as related"),
                )
                .at_pos(refs.written.item_pos("related", id))
                .hint("remove it from `related`")
            }),
            Some(&i) => {
                if seen.insert(i) {
                    related.push(i);
                }
            }
            None if known.unreadable.contains(id.as_str()) => {}
            None => problems.push(|| {
                unknown_id(
                    page,
                    &refs.written,
                    "related",
                    id,
                    "page",
                    known_ids,
                    known.drafts,
                )
            }),
        }
    }
    problems.finish();
    related
}

/// At most this many problems are reported for one field, then one line
/// says how many more there are. Each report locates its id in the front
/// matter and looks for the nearest known id: for 100,000 unknown ids in
/// one `related` list that took 79 s, and no one reads 100,000 errors.
const PROBLEMS_PER_FIELD: usize = 20;

/// The problems of one field of one page, counted.
struct Problems<'a, 'd> {
    page: &'a Page,
    front: &'a Written,
    key: &'a str,
    diags: &'d mut Vec<Diagnostic>,
    count: usize,
}

impl<'a, 'd> Problems<'a, 'd> {
    fn new(
        page: &'a Page,
        front: &'a Written,
        key: &'a str,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Problems {
            page,
            front,
            key,
            diags,
            count: 0,
        }
    }

    /// Reports the problem `make` builds, unless the field has had its share.
    fn push(&mut self, make: impl FnOnce() -> Diagnostic) {
        self.count += 1;
        if self.count <= PROBLEMS_PER_FIELD {
            self.diags.push(make());
        }
    }

    fn finish(self) {
        let more = self.count.saturating_sub(PROBLEMS_PER_FIELD);
        if more > 0 {
            self.diags.push(
                Diagnostic::new(
                    self.page.shown_path.clone(),
                    format!("{more} more problems in `{}` (the first {PROBLEMS_PER_FIELD} are listed above)", self.key),
                )
                .at_pos(self.front.key_pos(self.key))
                .hint(format!("fix those and build again; every id in `{}` must name a page", self.key)),
            );
        }
    }
}

/// The pages a reference field names, each of a kind the field allows.
#[allow(clippy::too_many_arguments)]
fn references(
    checked: &[(Page, RawRefs)],
    known: &Known,
    model: &Model,
    page: &Page,
    refs: &RawRefs,
    def: &FieldDef,
    ids: &[String],
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let FieldType::Reference { to, .. } = &def.ty else {
        return Vec::new();
    };
    let key = def.name.as_str();
    let what = model.names_of(to);
    // Only a wrong id needs the ids it could have been; building the list
    // for every page made validate quadratic (540 ms instead of 65 at
    // 10,000 pages).
    let allowed = || {
        let mut ids: Vec<&str> = checked
            .iter()
            .filter(|(p, _)| to.contains(&p.kind))
            .map(|(p, _)| p.id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut problems = Problems::new(page, &refs.written, key, diags);
    for id in ids {
        match known.by_id.get(id) {
            Some(&i) if to.contains(&checked[i].0.kind) => {
                if seen.insert(i) {
                    out.push(i);
                }
            }
            Some(&i) => problems.push(|| {
                Diagnostic::new(
                    page.shown_path.clone(),
                    format!(
                        "\"{id}\" is a {}, not a {what}",
                        model.name(checked[i].0.kind)
                    ),
                )
                .at_pos(refs.written.item_pos(key, id))
                .hint(format!(
                    "`{key}` lists {what} ids: {}; put other pages under `related`",
                    list_for_hint(allowed().into_iter())
                ))
            }),
            None if known.unreadable.contains(id.as_str()) => {}
            None => problems.push(|| {
                unknown_id(
                    page,
                    &refs.written,
                    key,
                    id,
                    &what,
                    &allowed(),
                    known.drafts,
                )
            }),
        }
    }
    problems.finish();
    out
}

fn unknown_id(
    page: &Page,
    front: &Written,
    key: &str,
    id: &str,
    what: &str,
    known: &[&str],
    drafts: &HashMap<String, PathBuf>,
) -> Diagnostic {
    let pos = front.item_pos(key, id);
    if let Some(path) = drafts.get(id) {
        return Diagnostic::new(
            page.shown_path.clone(),
            format!("\"{id}\" is a draft, left out of this build"),
        )
        .at_pos(pos)
        .hint(format!(
            "publish {} (remove `draft: true`), drop the reference, or build with --drafts",
            path.display()
        ));
    }
    let d =
        Diagnostic::new(page.shown_path.clone(), format!("unknown {what} \"{id}\"")).at_pos(pos);
    match did_you_mean(id, known.iter().copied()) {
        Some(s) => d.hint(format!("did you mean \"{s}\"?")),
        None if known.is_empty() => d.hint(format!("there are no {what}s yet")),
        None => d.hint(format!(
            "known {what}s are {}",
            list_for_hint(known.iter().copied())
        )),
    }
}
