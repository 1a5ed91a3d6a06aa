//! What one rebuild of `playbook watch` reuses from the one before: the
//! mechanism, beside the stages. Each stage keeps its own memos (load's
//! [`crate::load::Cache`], render's [`crate::render::Cache`]); this module
//! gives them the means.
//!
//! Each page's Markdown render, HTML page, part of print.html and search
//! terms are stored with a key: a hash of every input they were made from
//! ([`Keys`]). The next rebuild computes the keys again (cheap: no Markdown,
//! no templates) and reuses any output whose key is unchanged ([`Memo`],
//! [`Reuse`]). So an edit to one page re-renders that page and the pages
//! whose output shows something of it (those that list it, link to it or sit
//! next to it); a change to the set of pages, the assets or the theme changes
//! every key it feeds.
//!
//! Keys are 64-bit hashes; two different inputs sharing one is as likely as
//! any 64-bit collision, and the cache only lives as long as one `watch`.

mod keys;
mod memo;

pub use keys::{BodyHashes, Keys};
pub use memo::{hash, Made, Memo, Reuse};
