//! Files beside the pages: content assets and `static/` are copied, images
//! get their size, and a missing image stops the build at its line.

use crate::site_test::SiteTest;

/// The header of a PNG of the given size: all a size reader looks at.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    b.extend(w.to_be_bytes());
    b.extend(h.to_be_bytes());
    b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

const CASE: &str = "---
title: Pictured case
summary: A case with pictures.
verdict: open
---
A chart: ![Growth *over* time](../img/chart.png \"Growth\")

The logo, from static/: ![Logo](../logo.svg). The [report](../files/report.pdf).
";

fn site() -> SiteTest {
    let t = SiteTest::fixture("all-kinds");
    t.write("content/cases/pictured.md", CASE)
        .write("content/img/chart.png", png(640, 480))
        .write("content/files/report.pdf", "%PDF-1.4 not really")
        .write(
            "static/logo.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>"#,
        )
        .write("static/CNAME", "playbook.example.org\n")
        .write("static/.hidden", "never copied");
    t
}

#[test]
fn content_assets_and_static_files_are_copied() {
    let t = site();
    t.built();
    assert_eq!(
        std::fs::read(t.path("public/img/chart.png")).unwrap(),
        png(640, 480)
    );
    assert!(t.path("public/files/report.pdf").is_file());
    // static/ lands at the output root, as is.
    assert_eq!(t.read("public/CNAME"), "playbook.example.org\n");
    assert!(t.path("public/logo.svg").is_file());
    assert!(!t.path("public/.hidden").exists());
    let page = t.html("cases/pictured.html");
    assert_eq!(page.hrefs(".prose a"), ["../files/report.pdf"]);
}

#[test]
fn images_get_width_and_height_from_their_headers() {
    let t = site();
    t.built();
    let page = t.html("cases/pictured.html");
    let chart = page.one(".prose img[src='../img/chart.png']");
    let attr = |name| chart.value().attr(name);
    assert_eq!(attr("width"), Some("640"));
    assert_eq!(attr("height"), Some("480"));
    assert_eq!(attr("alt"), Some("Growth over time"));
    assert_eq!(attr("title"), Some("Growth"));
    let logo = page.one(".prose img[src='../logo.svg']");
    assert_eq!(logo.value().attr("width"), Some("120"));
    assert_eq!(logo.value().attr("height"), Some("40"));
    // The theme scales images down to the column.
    assert!(t
        .read("public/assets/style.css")
        .contains(".prose img { max-width: 100%; height: auto; }"));
}

#[test]
fn an_image_of_unknown_format_is_shown_without_a_size() {
    let t = site();
    t.write("content/img/chart.png", "not a png");
    t.built();
    let page = t.html("cases/pictured.html");
    let chart = page.one(".prose img[src='../img/chart.png']");
    assert_eq!(chart.value().attr("width"), None);
}

#[test]
fn a_missing_image_is_an_error_at_its_line_and_column() {
    let t = site();
    t.remove("content/img/chart.png");
    t.build().failure().reports(
        "content/cases/pictured.md:6:10",
        "image to `../img/chart.png`, which is not in the content folder",
    );
    assert!(!t.path("public").exists());
}

#[test]
fn a_static_file_may_not_replace_a_generated_one() {
    let t = site();
    t.write("static/index.html", "<p>mine</p>");
    t.write("static/assets/style.css", "body{}");
    t.build()
        .failure()
        .reports(
            "static/index.html",
            "would overwrite `index.html`, which playbook generates",
        )
        .reports(
            "static/assets/style.css",
            "would overwrite `assets/style.css`",
        );
}

#[test]
fn static_and_content_may_not_provide_the_same_file() {
    let t = site();
    t.write("content/CNAME", "other.example.org\n");
    t.build()
        .failure()
        .reports("static/CNAME", "which content/CNAME provides too");
}
