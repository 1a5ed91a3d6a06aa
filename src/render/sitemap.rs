//! `sitemap.xml` for search engines, written only when `base-url` is set.

use crate::escape;
use crate::output::Output;

/// `sitemap.xml` for search engines; only written when `base-url` is set.
pub fn sitemap(base_url: &str, out: &Output) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for path in out
        .files
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
    {
        let loc = format!(
            "{base_url}{}",
            path.strip_suffix("index.html").unwrap_or(path)
        );
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape::xml(&loc)));
    }
    xml.push_str("</urlset>\n");
    xml
}
