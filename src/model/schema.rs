//! The content model, as a site declares it in book.toml: its kinds of page,
//! each with its folder, labels and fields, and the decision tree's calls.
//! [`crate::config`] reads the declaration; every later stage asks this
//! model what a kind is called, which fields it takes and what a value
//! means, so no stage knows a kind by name.

use serde::Serialize;

/// What a page is: the home page, a page of one of the declared kinds, or a
/// free-standing page at the top of the content folder. Ordered as pages
/// are read: home, each declared kind in its order, free pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Home,
    /// The declared kind at this index of [`Model::kinds`].
    Declared(u16),
    Page,
}

/// The declared model. A site that declares none gets [`Model::default`]'s,
/// read from `src/config/default-model.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Model {
    pub kinds: Vec<KindDef>,
    pub tree: TreeDef,
}

/// One declared kind of page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KindDef {
    /// Its name: singular, lower case, as templates, CSS classes and
    /// messages use it (`case`).
    pub name: String,
    /// The content folder, which is also the output folder (`cases`).
    pub folder: String,
    pub label: String,
    pub plural: String,
    /// One sentence for its index page.
    pub description: String,
    /// The enumeration field its index page groups by, and its cards show.
    pub group_by: Option<usize>,
    pub fields: Vec<FieldDef>,
}

/// One declared field of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldDef {
    pub name: String,
    pub label: String,
    pub description: String,
    pub ty: FieldType,
    pub required: bool,
    /// The value a page that leaves the field out gets.
    pub default: Option<FieldValue>,
    /// A value to show in the hint when the field is missing.
    pub example: Option<String>,
    /// Advice added to the hint when a value is wrong.
    pub hint: Option<String>,
    /// An enumeration the search results can be filtered by.
    pub facet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// One line of plain text.
    Text,
    /// One line of Markdown, rendered inline.
    Markdown,
    /// A list of plain texts.
    List,
    Integer,
    Boolean,
    /// An ISO date, `YYYY-MM-DD`.
    Date,
    /// An `http://` or `https://` address.
    Url,
    Enum(Vec<EnumValue>),
    /// Pages of the kinds `to`, by id: one, or a list if `many`. The other
    /// page lists this one under `inverse`, if given.
    Reference {
        to: Vec<Kind>,
        many: bool,
        inverse: Option<String>,
    },
}

/// One value of an enumeration (or one of the tree's calls).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EnumValue {
    /// As written in front matter (`open`).
    pub value: String,
    /// As shown (`Stay closed`).
    pub label: String,
    /// A colour the theme knows: one of [`TONES`].
    pub tone: Option<String>,
    /// The heading of its group on the kind's index page.
    pub heading: Option<String>,
}

/// The tones a theme colours: a value's tone says how it reads, not which
/// colour it is, so any theme can draw any model.
pub const TONES: &[&str] = &["good", "bad", "mixed", "neutral", "info", "warning"];

/// A page's value for one declared field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldValue {
    Absent,
    /// Text, Markdown (as written), a date or a URL.
    Text(String),
    List(Vec<String>),
    Integer(i64),
    Boolean(bool),
    /// The index of the value in the field's enumeration.
    Enum(usize),
    /// Page indices, once resolved.
    Refs(Vec<usize>),
}

/// What the decision tree may name: its calls, and the kinds of page each of
/// its references may point to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TreeDef {
    pub calls: Vec<EnumValue>,
    /// Pages that explain why a question matters.
    pub see: Vec<Kind>,
    /// The strategy a verdict recommends.
    pub recommend: Vec<Kind>,
    /// Pages a verdict's reasons link to.
    pub reasons: Vec<Kind>,
    /// Mistakes to watch for.
    pub watch: Vec<Kind>,
}

impl Model {
    pub fn kind_def(&self, kind: Kind) -> Option<&KindDef> {
        match kind {
            Kind::Declared(i) => self.kinds.get(usize::from(i)),
            Kind::Home | Kind::Page => None,
        }
    }

    /// The declared kinds, in their order.
    pub fn sections(&self) -> impl Iterator<Item = Kind> + '_ {
        (0..self.kinds.len()).map(|i| Kind::Declared(i as u16))
    }

    pub fn from_folder(&self, folder: &str) -> Option<Kind> {
        self.sections().find(|&k| self.folder(k) == folder)
    }

    pub fn from_name(&self, name: &str) -> Option<Kind> {
        match name {
            "home" => Some(Kind::Home),
            "page" => Some(Kind::Page),
            name => self.sections().find(|&k| self.name(k) == name),
        }
    }

    /// Singular and lower case: `case`, or `home` and `page`.
    pub fn name(&self, kind: Kind) -> &str {
        match (kind, self.kind_def(kind)) {
            (_, Some(def)) => &def.name,
            (Kind::Home, _) => "home",
            _ => "page",
        }
    }

    pub fn folder(&self, kind: Kind) -> &str {
        self.kind_def(kind).map_or("", |d| d.folder.as_str())
    }

    pub fn label(&self, kind: Kind) -> &str {
        match (kind, self.kind_def(kind)) {
            (_, Some(def)) => &def.label,
            (Kind::Home, _) => "Home",
            _ => "Page",
        }
    }

    pub fn plural(&self, kind: Kind) -> &str {
        match (kind, self.kind_def(kind)) {
            (_, Some(def)) => &def.plural,
            (Kind::Home, _) => "Home",
            _ => "Pages",
        }
    }

    /// Every kind a page can be, in reading order.
    pub fn all_kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        std::iter::once(Kind::Home)
            .chain(self.sections())
            .chain(std::iter::once(Kind::Page))
    }

    /// The fields of `kind`; none for home and free pages.
    pub fn fields(&self, kind: Kind) -> &[FieldDef] {
        self.kind_def(kind).map_or(&[], |d| d.fields.as_slice())
    }

    /// The enumeration value a page of `kind` shows as its badge (the value
    /// of the field its kind groups by), from the page's field values.
    pub fn badge<'a>(&'a self, kind: Kind, values: &[FieldValue]) -> Option<&'a EnumValue> {
        let def = self.kind_def(kind)?;
        let field = def.group_by?;
        match (&def.fields[field].ty, values.get(field)) {
            (FieldType::Enum(options), Some(FieldValue::Enum(v))) => options.get(*v),
            _ => None,
        }
    }

    /// `name`s of `kinds`, joined for a message: `case`, `pattern or hybrid`,
    /// `case, pattern or hybrid`.
    pub fn names_of(&self, kinds: &[Kind]) -> String {
        let names: Vec<&str> = kinds.iter().map(|&k| self.name(k)).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }
}

impl FieldType {
    /// How a message names what a value of this type must be.
    pub fn describe(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Markdown => "Markdown text",
            FieldType::List => "a list",
            FieldType::Integer => "a whole number",
            FieldType::Boolean => "true or false",
            FieldType::Date => "a date (YYYY-MM-DD)",
            FieldType::Url => "an http(s) address",
            FieldType::Enum(_) => "one of its values",
            FieldType::Reference { many: true, .. } => "a list of page ids",
            FieldType::Reference { .. } => "a page id",
        }
    }

    /// Its name in the declaration (`type = "..."`).
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Markdown => "markdown",
            FieldType::List => "list",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Url => "url",
            FieldType::Enum(_) => "enum",
            FieldType::Reference { .. } => "reference",
        }
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``: values for a hint.
pub fn either(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
