//! The templates' contexts: one builder for each shape of data a template
//! receives (the README's "Themes" section lists them for theme authors).
//!
//! Everything is borrowed from the site and serialized straight into Tera's
//! context; no page's body is copied through an intermediate JSON value. A
//! page's declared fields come out by their names (`page.opened`) and, in
//! declaration order and by their types, as `page.glance`, so a theme can
//! show any model with no template edit.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::links::Inbound;
use super::sidebar::{self, Current};
use crate::model::schema::{EnumValue, FieldDef, FieldType};
use crate::model::{FieldValue, Kind, Page, Rendered, Site};
use crate::urls;

/// `site` in every template.
#[derive(serde::Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
}

/// One entry of `nav`: a declared kind's index page.
#[derive(serde::Serialize, Clone)]
struct NavCtx<'a> {
    kind: &'a str,
    label: &'a str,
    /// Relative to the site root: templates prefix `root`.
    path: String,
    /// Its folder (its name: lower-case letters, digits, `-` and `_`).
    folder: &'a str,
    count: usize,
}

/// An enumeration's value as a badge: `value`, `label`, `tone`.
#[derive(serde::Serialize)]
pub(super) struct BadgeCtx<'a> {
    value: &'a str,
    label: &'a str,
    tone: &'a str,
}

impl<'a> BadgeCtx<'a> {
    pub(super) fn of(v: &'a EnumValue) -> BadgeCtx<'a> {
        BadgeCtx {
            value: &v.value,
            label: &v.label,
            tone: v.tone.as_deref().unwrap_or("neutral"),
        }
    }
}

/// A link to a page, with what a card or a list shows of it.
#[derive(serde::Serialize)]
pub(super) struct LinkCtx<'a> {
    pub(super) href: String,
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    kind: &'a str,
    kind_label: &'a str,
    /// The value of the field its kind groups by (a case's verdict).
    badge: Option<BadgeCtx<'a>>,
}

/// The link from output path `from` to page `to`.
pub(super) fn link<'a>(site: &'a Site, from: &str, to: usize) -> LinkCtx<'a> {
    link_to(site, to, urls::relative(from, &site.pages[to].out_path))
}

/// Page `to`'s card, its link being `href`.
pub(super) fn link_to(site: &Site, to: usize, href: String) -> LinkCtx<'_> {
    let p = &site.pages[to];
    let model = &site.config.model;
    LinkCtx {
        href,
        id: &p.id,
        title: &p.title,
        summary: &p.summary,
        kind: model.name(p.kind),
        kind_label: model.label(p.kind),
        badge: model.badge(p.kind, &p.fields).map(BadgeCtx::of),
    }
}

/// What every template gets: the site, the navigation.
#[derive(serde::Serialize)]
pub(super) struct Base<'a> {
    site: SiteCtx<'a>,
    nav: Vec<NavCtx<'a>>,
    has_tree: bool,
}

impl Base<'_> {
    pub(super) fn of(site: &Site, has_tree: bool) -> Base<'_> {
        let model = &site.config.model;
        Base {
            site: SiteCtx {
                title: &site.config.title,
                description: &site.config.description,
                language: &site.config.language,
                base_url: site.config.base_url.as_deref(),
            },
            nav: model
                .sections()
                .map(|k| {
                    let count = site.of_kind(k).count();
                    NavCtx {
                        kind: model.name(k),
                        label: model.plural(k),
                        path: format!("{}/index.html", model.folder(k)),
                        folder: model.folder(k),
                        count,
                    }
                })
                .collect(),
            has_tree,
        }
    }

    /// The context every template starts from.
    pub(super) fn context(&self) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("nav", &self.nav);
        ctx.insert("has_tree", &self.has_tree);
        ctx
    }
}

/// The page's absolute address, when the site has a `base-url`.
pub(super) fn canonical(site: &Site, out_path: &str) -> Option<String> {
    site.config.base_url.as_ref().map(|b| {
        let path = out_path.strip_suffix("index.html").unwrap_or(out_path);
        format!("{b}{path}")
    })
}

#[derive(serde::Serialize)]
struct HeadingCtx<'a> {
    id: &'a str,
    text: &'a str,
}

/// A labelled list of links: the pages that point here through one relation.
#[derive(serde::Serialize)]
struct GroupLinks<'a> {
    label: &'a str,
    links: Vec<LinkCtx<'a>>,
}

/// page.html's and index.html's context for page `i`.
pub(super) fn page_context(
    site: &Site,
    i: usize,
    rendered: &Rendered,
    inbound: &Inbound,
    base: &tera::Context,
    sidebar: &sidebar::Sidebar,
    boxes: &super::page_map::Boxes<'_>,
) -> tera::Context {
    let page: &Page = &site.pages[i];
    let model = &site.config.model;
    let from = page.out_path.as_str();
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(from));
    ctx.insert("current", model.name(page.kind));
    ctx.insert("canonical", &canonical(site, from));
    ctx.insert(
        "sidebar",
        &sidebar.html(&urls::root_prefix(from), Current::Page(i)),
    );
    let links = |ids: &[usize]| ids.iter().map(|&t| link(site, from, t)).collect::<Vec<_>>();
    let (prev, next) = site.neighbours(i);
    let toc: Vec<HeadingCtx> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| HeadingCtx {
            id: &h.id,
            text: &h.text,
        })
        .collect();
    let section_path = matches!(page.kind, Kind::Declared(_))
        .then(|| format!("{}/index.html", model.folder(page.kind)));
    let link_of = |t: usize| link(site, from, t);
    ctx.insert(
        "page",
        &PageCtx {
            fields: PageFields::of(site, page, &rendered.html, rendered, &link_of),
            section_label: model.plural(page.kind),
            section_path,
            toc,
        },
    );
    let mut related = page.related.clone();
    related.extend(&inbound.related);
    ctx.insert("related", &links(&related));
    let groups: Vec<GroupLinks> = inbound
        .groups
        .iter()
        .map(|(label, pages)| GroupLinks {
            label,
            links: links(pages),
        })
        .collect();
    ctx.insert("inbound", &groups);
    let prose: Vec<usize> = rendered.links.iter().map(|l| l.target).collect();
    ctx.insert(
        "page_map",
        &super::page_map::svg(site, boxes, i, inbound, &prose),
    );
    ctx.insert("backlinks", &links(&inbound.linked_from));
    ctx.insert("prev", &prev.map(link_of));
    ctx.insert("next", &next.map(link_of));
    ctx
}

/// What the templates see of a page itself (`page` in page.html, `p` in
/// print-page.html), borrowed: serialized straight into the template's
/// context, with no intermediate JSON copy of its body.
pub(crate) struct PageFields<'a> {
    site: &'a Site,
    page: &'a Page,
    body: &'a str,
    rendered: &'a Rendered,
    /// How a reference field links its pages (to files, or inside print.html).
    link: &'a dyn Fn(usize) -> LinkCtx<'a>,
}

impl<'a> PageFields<'a> {
    /// `page`'s fields, with `body` as its HTML and references linked by `link`.
    pub(crate) fn of(
        site: &'a Site,
        page: &'a Page,
        body: &'a str,
        rendered: &'a Rendered,
        link: &'a dyn Fn(usize) -> LinkCtx<'a>,
    ) -> PageFields<'a> {
        PageFields {
            site,
            page,
            body,
            rendered,
            link,
        }
    }

    /// Writes the fields into `map`: the built-in ones, each declared field
    /// by its name, and `glance`, the declared fields by their types.
    pub(crate) fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let (page, model) = (self.page, &self.site.config.model);
        map.serialize_entry("id", &page.id)?;
        map.serialize_entry("kind", model.name(page.kind))?;
        map.serialize_entry("kind_label", model.label(page.kind))?;
        map.serialize_entry("title", &page.title)?;
        map.serialize_entry("summary", &page.summary)?;
        map.serialize_entry("body", self.body)?;
        map.serialize_entry("draft", &page.draft)?;
        let badge = model.badge(page.kind, &page.fields);
        map.serialize_entry("badge", &badge.map(BadgeCtx::of))?;
        let defs = model.fields(page.kind);
        let group_by = model.kind_def(page.kind).and_then(|k| k.group_by);
        map.serialize_entry("badge_label", &group_by.map(|g| defs[g].label.as_str()))?;
        map.serialize_entry("badge_heading", &badge.and_then(|b| b.heading.as_deref()))?;
        let shown: Vec<FieldCtx> = defs
            .iter()
            .zip(&page.fields)
            .enumerate()
            .map(|(i, (def, value))| self.field(i, def, value))
            .collect();
        for (def, value) in defs.iter().zip(&shown) {
            map.serialize_entry(&def.name, value)?;
        }
        // A page with a badge states it in a banner, with the pages it
        // relies on (its references); "at a glance" shows the rest, so no
        // list appears twice.
        let in_banner = |value: &FieldCtx| badge.is_some() && matches!(value, FieldCtx::Links(_));
        let entries = || {
            defs.iter()
                .zip(&shown)
                .enumerate()
                .filter(|(i, (_, value))| Some(*i) != group_by && !value.is_empty())
                .map(|(_, (def, value))| Glance { def, value })
        };
        let banner: Vec<Glance> = entries().filter(|g| in_banner(g.value)).collect();
        let glance: Vec<Glance> = entries().filter(|g| !in_banner(g.value)).collect();
        map.serialize_entry("banner", &banner)?;
        map.serialize_entry("glance", &glance)
    }

    fn field(&self, i: usize, def: &'a FieldDef, value: &'a FieldValue) -> FieldCtx<'a> {
        let html = self
            .rendered
            .fields_html
            .iter()
            .find(|(f, _)| *f == i)
            .map(|(_, h)| h.as_str());
        FieldCtx::of(def, value, html, self.link)
    }
}

/// One declared field's value as templates see it: `page.<name>` is the
/// value itself (text, list, number, true/false, a badge, or links), and
/// an entry of `page.glance` the same with its `name`, `label` and `type`.
enum FieldCtx<'a> {
    Absent,
    Text(&'a str),
    Html(&'a str),
    Url(&'a str),
    List(&'a [String]),
    Integer(i64),
    Boolean(bool),
    Badge(BadgeCtx<'a>),
    Links(Vec<LinkCtx<'a>>),
}

/// An entry of `page.glance`: a field's value with its `name`, `label` and
/// `type`, borrowed from the value `page.<name>` shows, so it is made once.
struct Glance<'b, 'a> {
    def: &'a FieldDef,
    value: &'b FieldCtx<'a>,
}

impl<'a> FieldCtx<'a> {
    fn of(
        def: &'a FieldDef,
        value: &'a FieldValue,
        html: Option<&'a str>,
        link: &dyn Fn(usize) -> LinkCtx<'a>,
    ) -> FieldCtx<'a> {
        match (&def.ty, value) {
            (_, FieldValue::Absent) => FieldCtx::Absent,
            (FieldType::Markdown, FieldValue::Text(t)) => {
                html.map_or(FieldCtx::Text(t), FieldCtx::Html)
            }
            (FieldType::Url, FieldValue::Text(t)) => FieldCtx::Url(t),
            (_, FieldValue::Text(t)) => FieldCtx::Text(t),
            (_, FieldValue::List(items)) => FieldCtx::List(items),
            (_, FieldValue::Integer(n)) => FieldCtx::Integer(*n),
            (_, FieldValue::Boolean(b)) => FieldCtx::Boolean(*b),
            (FieldType::Enum(values), FieldValue::Enum(v)) => values
                .get(*v)
                .map_or(FieldCtx::Absent, |v| FieldCtx::Badge(BadgeCtx::of(v))),
            (_, FieldValue::Enum(_)) => FieldCtx::Absent,
            (_, FieldValue::Refs(pages)) => {
                FieldCtx::Links(pages.iter().map(|&p| link(p)).collect())
            }
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            FieldCtx::Absent => true,
            FieldCtx::Text(t) | FieldCtx::Html(t) | FieldCtx::Url(t) => t.is_empty(),
            FieldCtx::List(items) => items.is_empty(),
            FieldCtx::Links(links) => links.is_empty(),
            _ => false,
        }
    }
}

impl Serialize for Glance<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (def, value) = (self.def, self.value);
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("name", &def.name)?;
        m.serialize_entry("label", &def.label)?;
        m.serialize_entry("type", def.ty.name())?;
        let key = match value {
            FieldCtx::Html(_) => "html",
            FieldCtx::Url(_) => "url",
            FieldCtx::List(_) => "items",
            FieldCtx::Badge(_) => "badge",
            FieldCtx::Links(_) => "links",
            FieldCtx::Integer(_) | FieldCtx::Boolean(_) | FieldCtx::Text(_) | FieldCtx::Absent => {
                "text"
            }
        };
        match *value {
            FieldCtx::Integer(n) => m.serialize_entry(key, &n.to_string())?,
            FieldCtx::Boolean(b) => m.serialize_entry(key, if b { "Yes" } else { "No" })?,
            ref other => m.serialize_entry(key, other)?,
        }
        m.end()
    }
}

impl Serialize for FieldCtx<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldCtx::Absent => s.serialize_none(),
            FieldCtx::Text(t) | FieldCtx::Html(t) | FieldCtx::Url(t) => s.serialize_str(t),
            FieldCtx::List(items) => items.serialize(s),
            FieldCtx::Integer(n) => s.serialize_i64(*n),
            FieldCtx::Boolean(b) => s.serialize_bool(*b),
            FieldCtx::Badge(b) => b.serialize(s),
            FieldCtx::Links(links) => links.serialize(s),
        }
    }
}

/// `page` in page.html and index.html.
struct PageCtx<'a> {
    fields: PageFields<'a>,
    section_label: &'a str,
    section_path: Option<String>,
    toc: Vec<HeadingCtx<'a>>,
}

impl Serialize for PageCtx<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        self.fields.write(&mut m)?;
        m.serialize_entry("section_label", self.section_label)?;
        m.serialize_entry("section_path", &self.section_path)?;
        m.serialize_entry("toc", &self.toc)?;
        m.end()
    }
}

#[derive(serde::Serialize)]
struct GroupCtx<'a> {
    id: &'a str,
    title: &'a str,
    items: Vec<LinkCtx<'a>>,
}

/// section.html's context for the index page of `kind` at `path`: its pages
/// as cards, in groups by the field the kind groups by, if it declares one.
pub(super) fn section_context(
    site: &Site,
    kind: Kind,
    path: &str,
    base: &tera::Context,
) -> tera::Context {
    let model = &site.config.model;
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(path));
    ctx.insert("current", model.name(kind));
    ctx.insert("canonical", &canonical(site, path));
    ctx.insert(
        "sidebar",
        &sidebar::html(
            site,
            site.tree.is_some(),
            &urls::root_prefix(path),
            Current::Section(kind),
        ),
    );
    let items = |filter: &dyn Fn(&Page) -> bool| -> Vec<LinkCtx> {
        site.of_kind(kind)
            .filter(|(_, p)| filter(p))
            .map(|(j, _)| link(site, path, j))
            .collect()
    };
    let def = model.kind_def(kind);
    let grouping = def.and_then(|d| {
        let field = d.group_by?;
        match &d.fields[field].ty {
            FieldType::Enum(values) => Some((field, values)),
            _ => None,
        }
    });
    let groups = match grouping {
        Some((field, values)) => values
            .iter()
            .enumerate()
            .map(|(v, value)| GroupCtx {
                id: &value.value,
                title: value.heading.as_deref().unwrap_or(&value.label),
                items: items(&|p| p.fields.get(field) == Some(&FieldValue::Enum(v))),
            })
            .collect(),
        None => vec![GroupCtx {
            id: "all",
            title: model.plural(kind),
            items: items(&|_| true),
        }],
    };
    ctx.insert(
        "section",
        &serde_json::json!({
            "kind": model.name(kind),
            "label": model.plural(kind),
            "singular": model.label(kind),
            "description": def.map_or("", |d| d.description.as_str()),
        }),
    );
    ctx.insert("groups", &groups);
    ctx
}
