//! The templates' contexts: one builder for each shape of data a template
//! receives (the README's "Themes" section lists them for theme authors).
//!
//! Everything is borrowed from the site and serialized straight into Tera's
//! context; no page's body is copied through an intermediate JSON value.

use serde::Serialize;

use super::DECIDE_PAGE;
use crate::escape::script_json;
use crate::model::tree::Target;
use crate::model::{Kind, Page, Rendered, Site, Tree};
use crate::urls;

/// `site` in every template.
#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<&'a str>,
}

/// One entry of `nav`: a section of the site.
#[derive(Serialize, Clone)]
struct NavCtx {
    kind: &'static str,
    label: &'static str,
    /// Relative to the site root: templates prefix `root`.
    path: String,
    count: usize,
}

/// A link to a page, with what a card or a list shows of it.
#[derive(Serialize)]
pub(super) struct LinkCtx<'a> {
    pub(super) href: String,
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    verdict: Option<&'static str>,
    verdict_label: Option<&'static str>,
}

/// The link from output path `from` to page `to`.
pub(super) fn link<'a>(site: &'a Site, from: &str, to: usize) -> LinkCtx<'a> {
    link_to(site, to, urls::relative(from, &site.pages[to].out_path))
}

/// Page `to`'s card, its link being `href`.
pub(super) fn link_to(site: &Site, to: usize, href: String) -> LinkCtx<'_> {
    let p = &site.pages[to];
    LinkCtx {
        href,
        id: &p.id,
        title: &p.title,
        summary: &p.summary,
        kind: p.kind.name(),
        kind_label: p.kind.label(),
        verdict: p.verdict.map(|v| {
            if v == crate::model::Verdict::Open {
                "open"
            } else {
                "closed"
            }
        }),
        verdict_label: p.verdict.map(|v| v.label()),
    }
}

/// What every template gets: the site, the navigation.
#[derive(Serialize)]
pub(super) struct Base<'a> {
    site: SiteCtx<'a>,
    nav: Vec<NavCtx>,
    has_tree: bool,
}

impl Base<'_> {
    pub(super) fn of(site: &Site, has_tree: bool) -> Base<'_> {
        Base {
            site: SiteCtx {
                title: &site.config.title,
                description: &site.config.description,
                language: &site.config.language,
                base_url: site.config.base_url.as_deref(),
            },
            nav: Kind::SECTIONS
                .into_iter()
                .map(|k| NavCtx {
                    kind: k.name(),
                    label: k.plural(),
                    path: format!("{}/index.html", k.folder()),
                    count: site.of_kind(k).count(),
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

#[derive(Serialize)]
struct HeadingCtx<'a> {
    id: &'a str,
    text: &'a str,
}

/// page.html's and index.html's context for page `i`.
pub(super) fn page_context(
    site: &Site,
    i: usize,
    rendered: &Rendered,
    backlinks: &[usize],
    base: &tera::Context,
) -> tera::Context {
    let page: &Page = &site.pages[i];
    let from = page.out_path.as_str();
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(from));
    ctx.insert("current", page.kind.name());
    ctx.insert("canonical", &canonical(site, from));
    let links = |ids: &[usize]| ids.iter().map(|&t| link(site, from, t)).collect::<Vec<_>>();
    let (prev, next) = site.neighbours(i);
    let prev = prev.map(|j| link(site, from, j));
    let next = next.map(|j| link(site, from, j));
    let toc: Vec<HeadingCtx> = rendered
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| HeadingCtx {
            id: &h.id,
            text: &h.text,
        })
        .collect();
    let section_path = Kind::SECTIONS
        .contains(&page.kind)
        .then(|| format!("{}/index.html", page.kind.folder()));
    ctx.insert(
        "page",
        &PageCtx {
            fields: PageFields::of(page, &rendered.html),
            section_label: page.kind.plural(),
            section_path,
            toc,
        },
    );
    ctx.insert("patterns", &links(&page.patterns));
    ctx.insert("related", &links(&page.related));
    ctx.insert("backlinks", &links(backlinks));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
}

/// What the templates see of a page itself (`page` in page.html, `p` in
/// print-page.html), borrowed: serialized straight into the template's
/// context, with no intermediate JSON copy of its body.
pub(crate) struct PageFields<'a> {
    id: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    opened: Option<&'a str>,
    kept: Option<&'a str>,
    gains: &'a [String],
    costs: &'a [String],
    examples: &'a [String],
    signals: &'a [String],
    verdict: Option<crate::model::Verdict>,
    verdict_label: Option<&'static str>,
    draft: bool,
}

impl<'a> PageFields<'a> {
    /// The number of fields `serialize_with` writes itself.
    const COUNT: usize = 15;

    /// Serializes the fields, then the caller's own (`own` of them, written
    /// by `rest`), as one struct. (`#[serde(flatten)]` would do the same
    /// through a map, which Tera's serializer handles measurably slower:
    /// page templates +4%, print.html +10%.)
    pub(crate) fn serialize_with<S: serde::Serializer>(
        &self,
        serializer: S,
        name: &'static str,
        own: usize,
        rest: impl FnOnce(&mut S::SerializeStruct) -> Result<(), S::Error>,
    ) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct(name, Self::COUNT + own)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("kind", self.kind)?;
        s.serialize_field("kind_label", self.kind_label)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("summary", self.summary)?;
        s.serialize_field("body", self.body)?;
        s.serialize_field("opened", &self.opened)?;
        s.serialize_field("kept", &self.kept)?;
        s.serialize_field("gains", self.gains)?;
        s.serialize_field("costs", self.costs)?;
        s.serialize_field("examples", self.examples)?;
        s.serialize_field("signals", self.signals)?;
        s.serialize_field("verdict", &self.verdict)?;
        s.serialize_field("verdict_label", &self.verdict_label)?;
        s.serialize_field("draft", &self.draft)?;
        rest(&mut s)?;
        s.end()
    }

    /// `page`'s fields, with `body` as its HTML.
    pub(crate) fn of(page: &'a Page, body: &'a str) -> PageFields<'a> {
        PageFields {
            id: &page.id,
            kind: page.kind.name(),
            kind_label: page.kind.label(),
            title: &page.title,
            summary: &page.summary,
            body,
            opened: page.opened.as_deref(),
            kept: page.kept.as_deref(),
            gains: &page.gains,
            costs: &page.costs,
            examples: &page.examples,
            signals: &page.signals,
            verdict: page.verdict,
            verdict_label: page.verdict.map(|v| v.label()),
            draft: page.draft,
        }
    }
}

/// `page` in page.html and index.html.
struct PageCtx<'a> {
    fields: PageFields<'a>,
    section_label: &'static str,
    section_path: Option<String>,
    toc: Vec<HeadingCtx<'a>>,
}

impl Serialize for PageCtx<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        self.fields.serialize_with(serializer, "PageCtx", 3, |s| {
            s.serialize_field("section_label", self.section_label)?;
            s.serialize_field("section_path", &self.section_path)?;
            s.serialize_field("toc", &self.toc)
        })
    }
}

#[derive(Serialize)]
struct GroupCtx<'a> {
    id: &'static str,
    title: &'static str,
    items: Vec<LinkCtx<'a>>,
}

/// section.html's context for the index page of `kind` at `path`.
pub(super) fn section_context(
    site: &Site,
    kind: Kind,
    path: &str,
    base: &tera::Context,
) -> tera::Context {
    let mut ctx = base.clone();
    ctx.insert("root", &urls::root_prefix(path));
    ctx.insert("current", kind.name());
    ctx.insert("canonical", &canonical(site, path));
    let items = |filter: &dyn Fn(&Page) -> bool| -> Vec<LinkCtx> {
        site.of_kind(kind)
            .filter(|(_, p)| filter(p))
            .map(|(j, _)| link(site, path, j))
            .collect()
    };
    let groups = if kind == Kind::Case {
        use crate::model::Verdict;
        vec![
            GroupCtx {
                id: "open",
                title: "When opening pays",
                items: items(&|p| p.verdict == Some(Verdict::Open)),
            },
            GroupCtx {
                id: "closed",
                title: "When to stay closed",
                items: items(&|p| p.verdict == Some(Verdict::Closed)),
            },
        ]
    } else {
        vec![GroupCtx {
            id: "all",
            title: kind.plural(),
            items: items(&|_| true),
        }]
    };
    ctx.insert("section", &serde_json::json!({ "kind": kind.name(), "label": kind.plural(), "singular": kind.label() }));
    ctx.insert("groups", &groups);
    ctx
}

#[derive(Serialize)]
struct AnswerCtx<'a> {
    label: &'a str,
    next: Option<&'a str>,
    verdict: Option<&'a str>,
    /// The anchor of its target in the page's static (no-script) version.
    anchor: String,
}

#[derive(Serialize)]
struct QuestionCtx<'a> {
    id: &'a str,
    text: &'a str,
    why: &'a str,
    see: Vec<LinkCtx<'a>>,
    answers: Vec<AnswerCtx<'a>>,
}

#[derive(Serialize)]
struct ReasonCtx<'a> {
    #[serde(flatten)]
    page: LinkCtx<'a>,
    text: &'a str,
}

#[derive(Serialize)]
struct VerdictCtx<'a> {
    id: &'a str,
    call: &'static str,
    call_label: &'static str,
    title: &'a str,
    confidence: u8,
    changes: &'a str,
    recommend: LinkCtx<'a>,
    reasons: Vec<ReasonCtx<'a>>,
    watch: Vec<LinkCtx<'a>>,
}

#[derive(Serialize)]
struct TreeCtx<'a> {
    title: &'a str,
    intro: &'a str,
    start: &'a str,
    questions: Vec<QuestionCtx<'a>>,
    verdicts: Vec<VerdictCtx<'a>>,
}

/// decide.html's context: the tree as `tree` and, for its script, `tree_json`.
pub(super) fn decide_context(site: &Site, tree: &Tree, base: &tera::Context) -> tera::Context {
    let from = DECIDE_PAGE;
    let links = |ids: &[usize]| ids.iter().map(|&t| link(site, from, t)).collect::<Vec<_>>();
    let questions = tree
        .questions
        .iter()
        .map(|q| QuestionCtx {
            id: &q.id,
            text: &q.text,
            why: &q.why,
            see: links(&q.see),
            answers: q
                .answers
                .iter()
                .map(|a| match a.target {
                    Target::Question(n) => AnswerCtx {
                        label: &a.label,
                        next: Some(&tree.questions[n].id),
                        verdict: None,
                        anchor: format!("q-{}", tree.questions[n].id),
                    },
                    Target::Verdict(v) => AnswerCtx {
                        label: &a.label,
                        next: None,
                        verdict: Some(&tree.verdicts[v].id),
                        anchor: format!("v-{}", tree.verdicts[v].id),
                    },
                })
                .collect(),
        })
        .collect();
    let verdicts = tree
        .verdicts
        .iter()
        .map(|v| VerdictCtx {
            id: &v.id,
            call: v.call.name(),
            call_label: v.call.label(),
            title: &v.title,
            confidence: v.confidence,
            changes: &v.changes,
            recommend: link(site, from, v.recommend),
            reasons: v
                .reasons
                .iter()
                .map(|r| ReasonCtx {
                    page: link(site, from, r.page),
                    text: &r.text,
                })
                .collect(),
            watch: links(&v.watch),
        })
        .collect();
    let data = TreeCtx {
        title: &tree.title,
        intro: &tree.intro,
        start: &tree.questions[tree.start].id,
        questions,
        verdicts,
    };
    let mut ctx = base.clone();
    ctx.insert("root", "");
    ctx.insert("current", "decide");
    ctx.insert("canonical", &canonical(site, from));
    ctx.insert("tree_json", &script_json(&data));
    ctx.insert("tree", &data);
    ctx
}
