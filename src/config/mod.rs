//! `book.toml` → [`Config`]: the site's settings, checked before anything else runs.

mod model;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{did_you_mean, Diagnostic, Pos};
use crate::model::schema::Model;
pub use model::{BUILT_IN_FIELDS, DEFAULT_MODEL};

pub const CONFIG_FILE: &str = "book.toml";

/// The keys `book.toml` accepts, for "did you mean" hints.
const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "language",
    "content-dir",
    "output-dir",
    "theme",
    "base-url",
    "kinds",
    "tree",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_content_dir")]
    content_dir: PathBuf,
    #[serde(default = "default_output_dir")]
    output_dir: PathBuf,
    #[serde(default = "default_theme")]
    theme: String,
    base_url: Option<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_content_dir() -> PathBuf {
    "content".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}
fn default_theme() -> String {
    "default".into()
}

/// Checked settings. Paths are absolute-or-relative to the current directory,
/// already joined with the site root, so later stages never guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub language: String,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme: String,
    /// With a trailing slash, e.g. `https://user.github.io/repo/`.
    pub base_url: Option<String>,
    /// The kinds of page and their fields, and the tree's calls.
    pub model: Arc<Model>,
}

impl Config {
    /// Reads `<root>/book.toml`: its settings and the content model it
    /// declares. Every mistake in the model is reported at once.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Self::load_one(root)
            .map_err(|d| vec![d])
            .and_then(|(text, shown)| Self::parse(&text, root, &shown))
    }

    /// book.toml's text, or why it cannot be read.
    fn load_one(root: &Path) -> Result<(String, PathBuf), Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let shown = PathBuf::from(CONFIG_FILE);
        let bytes = match crate::read::read_file(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let place = if root == Path::new(".") {
                    "this folder".to_string()
                } else {
                    root.display().to_string()
                };
                return Err(Diagnostic::new(shown.clone(), format!("no {CONFIG_FILE} in {place}"))
                .hint(format!(
                    "run playbook in a site folder, pass the folder (`playbook build DIR`), or create {CONFIG_FILE} with at least `title = \"My playbook\"`"
                )));
            }
            Err(e) => {
                return Err(Diagnostic::new(shown, format!("cannot read: {e}"))
                    .hint(format!("{CONFIG_FILE} must be a readable text file")))
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let pos = Pos::of_offset(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
                1,
            );
            Diagnostic::new(shown.clone(), "file is not valid UTF-8")
                .at_pos(pos)
                .hint("save book.toml as UTF-8")
        })?;
        Ok((text, shown))
    }

    fn parse(text: &str, root: &Path, shown: &Path) -> Result<Config, Vec<Diagnostic>> {
        let mut table =
            toml::de::DeTable::parse(text).map_err(|e| vec![toml_diagnostic(&e, text, shown)])?;
        // The model's tables are read with their positions, apart from the
        // settings.
        let kinds = table.get_mut().remove("kinds");
        let tree = table.get_mut().remove("tree");
        let model = model::read(kinds.as_ref(), tree.as_ref(), text, shown);
        let settings = Self::settings(table, text, root, shown);
        match (settings, model) {
            (Ok(mut config), Ok(model)) => {
                config.model = Arc::new(model);
                Ok(config)
            }
            (Err(d), Ok(_)) => Err(vec![d]),
            (Ok(_), Err(diags)) => Err(diags),
            (Err(d), Err(diags)) => Err(std::iter::once(d).chain(diags).collect()),
        }
    }

    /// The settings, from book.toml's table without the model's.
    fn settings(
        table: toml::Spanned<toml::de::DeTable>,
        text: &str,
        root: &Path,
        shown: &Path,
    ) -> Result<Config, Diagnostic> {
        // Where each setting's key is written, from the parser's own spans,
        // for problems found after reading.
        let keys: HashMap<String, usize> = table
            .get_ref()
            .iter()
            .map(|(key, _)| (key.get_ref().to_string(), key.span().start))
            .collect();
        let key_pos = |key: &str| {
            keys.get(key)
                .map_or(Pos::new(1, 1), |&at| Pos::of_offset(text, at, 1))
        };
        let raw = RawConfig::deserialize(toml::de::Deserializer::from(table))
            .map_err(|e| toml_diagnostic(&e, text, shown))?;
        let title = raw.title.trim().to_string();
        if title.is_empty() {
            let pos = key_pos("title");
            return Err(Diagnostic::new(shown, "`title` is empty")
                .at_pos(pos)
                .hint("give the site a title, e.g. `title = \"Open or closed?\"`"));
        }
        if raw.theme.is_empty() || raw.theme.contains(['/', '\\']) || raw.theme.starts_with('.') {
            let pos = key_pos("theme");
            return Err(
                Diagnostic::new(shown, format!("bad theme name {:?}", raw.theme))
                    .at_pos(pos)
                    .hint("a theme is a folder name under themes/, e.g. `theme = \"default\"`"),
            );
        }
        let base_url = match raw.base_url {
            None => None,
            Some(url) => {
                let url = url.trim().to_string();
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    let pos = key_pos("base-url");
                    return Err(Diagnostic::new(shown, format!("base-url {url:?} is not an http(s) URL"))
                        .at_pos(pos)
                        .hint("write the full address the site is published at, e.g. `base-url = \"https://user.github.io/repo/\"`"));
                }
                Some(if url.ends_with('/') {
                    url
                } else {
                    format!("{url}/")
                })
            }
        };
        Ok(Config {
            root: root.to_path_buf(),
            title,
            description: raw.description.trim().to_string(),
            language: raw.language,
            content_dir: under_root(root, raw.content_dir),
            output_dir: under_root(root, raw.output_dir),
            theme: raw.theme,
            base_url,
            model: Arc::new(Model::default()),
        })
    }
}

/// `root/path`, without a leading `./` when the root is the current folder, so
/// messages show the paths the user wrote.
fn under_root(root: &Path, path: PathBuf) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        path
    } else {
        root.join(path)
    }
}

fn toml_diagnostic(e: &toml::de::Error, text: &str, shown: &Path) -> Diagnostic {
    let mut d = Diagnostic::new(shown, e.message().trim().to_string());
    if let Some(span) = e.span() {
        d = d.at_pos(Pos::of_offset(text, span.start, 1));
    }
    let msg = e.message();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        d.message = format!("unknown setting `{field}`");
        d = match did_you_mean(field, KNOWN_KEYS.iter().copied()) {
            Some(s) => d.hint(format!(
                "did you mean `{s}`? Settings are: {}",
                KNOWN_KEYS.join(", ")
            )),
            None => d.hint(format!("settings are: {}", KNOWN_KEYS.join(", "))),
        };
    } else if msg.contains("missing field `title`") {
        d = d.hint("add a line `title = \"My playbook\"`");
    } else {
        d = d.hint("see the README's book.toml section for the settings and their types");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(text, Path::new("site"), Path::new("book.toml")).map_err(|mut d| d.remove(0))
    }

    #[test]
    fn defaults_fill_in() {
        let c = parse("title = \"T\"\n").unwrap();
        assert_eq!(c.content_dir, Path::new("site/content"));
        assert_eq!(c.output_dir, Path::new("site/public"));
        assert_eq!(c.theme, "default");
        assert_eq!(c.language, "en");
        assert!(c.base_url.is_none());
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let e = parse("title = \"T\"\noutput_dir = \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unknown setting `output_dir`"), "{e}");
        assert!(e.hint.unwrap().contains("did you mean `output-dir`"));
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let c = parse("title = \"T\"\nbase-url = \"https://u.github.io/r\"\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://u.github.io/r/"));
    }

    #[test]
    fn problems_found_after_reading_point_at_their_key() {
        let e = parse("title = \"T\"\n  theme = \"../x\"\n").unwrap_err();
        assert_eq!((e.line, e.col), (Some(2), Some(3)));
        let e = parse("base-url = \"ftp://x\"\ntitle = \"T\"\n").unwrap_err();
        assert_eq!((e.line, e.col), (Some(1), Some(1)));
    }

    #[test]
    fn missing_title_is_explained() {
        let e = parse("description = \"d\"\n").unwrap_err();
        assert!(e.to_string().contains("title"), "{e}");
    }
}
