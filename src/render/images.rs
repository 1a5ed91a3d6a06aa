//! Gives `<img>` elements of known images their `width` and `height`, so the
//! browser reserves their space before they load (the theme scales them down
//! with `max-width: 100%; height: auto`).
//!
//! Runs on one page's events after links are rewritten: each image whose
//! source is a content or static asset of known size becomes one HTML event.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::escape;
use crate::model::ImageSize;
use crate::urls;

/// `sizes` maps an asset's output path to its size; `page_out` is the page's output path.
pub fn add_sizes(
    events: &mut Vec<(Event<'_>, Range<usize>)>,
    page_out: &str,
    sizes: &HashMap<String, ImageSize>,
) {
    if sizes.is_empty() {
        return;
    }
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i].0
        else {
            i += 1;
            continue;
        };
        let src = dest_url.to_string();
        let size = (!urls::has_scheme(&src))
            .then(|| urls::resolve(page_out, src.split(['#', '?']).next().unwrap_or("")))
            .flatten()
            .and_then(|p| sizes.get(&p));
        let Some(&(w, h)) = size else {
            i += 1;
            continue;
        };
        let title = title.to_string();
        // Images nest only inside their own alt text; find the matching end.
        let mut depth = 0;
        let mut end = i;
        for (j, (e, _)) in events.iter().enumerate().skip(i) {
            match e {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        if end == i {
            return;
        }
        let mut alt = String::new();
        for (e, _) in &events[i + 1..end] {
            match e {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        let mut html = format!(
            "<img src=\"{}\" alt=\"{}\" width=\"{w}\" height=\"{h}\"",
            escape::html_attr(&src),
            escape::html_attr(&alt)
        );
        if !title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", escape::html_attr(&title)));
        }
        html.push_str(" />");
        let range = events[i].1.start..events[end].1.end;
        events.splice(i..=end, [(Event::InlineHtml(CowStr::from(html)), range)]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn html(md: &str, sizes: &[(&str, ImageSize)]) -> String {
        let sizes: HashMap<String, ImageSize> =
            sizes.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        let mut events: Vec<_> = Parser::new(md).into_offset_iter().collect();
        add_sizes(&mut events, "cases/a.html", &sizes);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        out
    }

    #[test]
    fn known_images_get_their_size_and_keep_alt_and_title() {
        let out = html(
            r#"![A *"big"* chart](../img/c.png "The <title>") and ![x](other.png)"#,
            &[("img/c.png", (640, 480))],
        );
        assert!(
            out.contains(r#"<img src="../img/c.png" alt="A &quot;big&quot; chart" width="640" height="480" title="The &lt;title&gt;" />"#),
            "{out}"
        );
        assert!(out.contains(r#"<img src="other.png" alt="x" />"#), "{out}");
    }
}
