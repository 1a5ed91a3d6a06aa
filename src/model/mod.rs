//! What every stage shares: the kinds of page, the checked pages and site,
//! the checked decision tree, and a page's rendered body.
//!
//! Load produces raw pages (see [`crate::load`]); validate turns them into
//! the [`Site`] that render and search read and never change. A new
//! front-matter field is added to [`Page`] here, typed in
//! [`crate::validate`], and shown by [`crate::render::context`].

mod page;
mod rendered;
pub mod schema;
mod site;
pub mod tree;

pub use page::Page;
pub use rendered::{Heading, PageLink, Rendered, Section};
pub use schema::{FieldValue, Kind, Model};
pub use site::{Asset, ImageSize, Site, SourceText};
pub use tree::Tree;
