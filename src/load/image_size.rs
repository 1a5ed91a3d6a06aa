//! Image file → its width and height in pixels, read from the header only.
//!
//! Knowing the size lets a page reserve the image's space before it loads, so
//! the text does not jump. PNG, GIF, JPEG and WebP headers are read by the
//! `imagesize` crate; SVG, which it does not read, by [`svg`] here. Anything
//! else, or a file that cannot be made sense of, simply gets no size.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use imagesize::ImageType;

use crate::model::ImageSize as Size;

/// The size of the image at `path`, if its extension names a format we read
/// and its header is sound. Never fails: a bad image just has no size.
pub fn of_file(path: &Path) -> Option<Size> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    let file = File::open(path).ok()?;
    // A raster file is sized only if its bytes are of the kinds its
    // extension stands for, as browsers would show it.
    let kinds: &[ImageType] = match ext.as_str() {
        "png" | "gif" | "webp" => &[ImageType::Png, ImageType::Gif, ImageType::Webp],
        "jpg" | "jpeg" => &[ImageType::Jpeg],
        "svg" => {
            let mut head = Vec::with_capacity(4096);
            file.take(4096).read_to_end(&mut head).ok()?;
            return svg(&String::from_utf8_lossy(&head));
        }
        _ => return None,
    };
    raster(BufReader::new(file), kinds)
}

/// The size of a PNG, GIF, JPEG or WebP image read from `reader`, if it is
/// one of `kinds`.
fn raster<R: std::io::BufRead + std::io::Seek>(mut reader: R, kinds: &[ImageType]) -> Option<Size> {
    // The kind is read from the first bytes; the size reader goes on from there.
    let kind = imagesize::reader_type(&mut reader).ok()?;
    if !kinds.contains(&kind) {
        return None;
    }
    let size = kind.reader_size(&mut reader).ok()?;
    let (w, h) = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    (w > 0 && h > 0).then_some((w, h))
}

/// `width`/`height` of the root `<svg>` in pixels (plain numbers or `px`),
/// else the `viewBox` size.
pub fn svg(text: &str) -> Option<Size> {
    let start = text.find("<svg")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    let attr = |name: &str| -> Option<&str> {
        let mut rest = tag;
        loop {
            let i = rest.find(name)?;
            let before = rest[..i].chars().last();
            let after = rest[i + name.len()..].trim_start();
            rest = &rest[i + name.len()..];
            if before.is_some_and(char::is_whitespace) {
                if let Some(v) = after.strip_prefix('=') {
                    let v = v.trim_start();
                    let q = v.chars().next()?;
                    if q == '"' || q == '\'' {
                        return v[1..].split(q).next();
                    }
                }
            }
        }
    };
    let px = |v: &str| -> Option<f64> {
        let v = v.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
    };
    let round = |n: f64| n.round().clamp(1.0, 100_000.0) as u32;
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((round(w), round(h)));
    }
    let vb: Vec<f64> = attr("viewBox")?
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match vb.as_slice() {
        [_, _, w, h] if *w > 0.0 && *h > 0.0 && w.is_finite() && h.is_finite() => {
            Some((round(*w), round(*h)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(bytes: Vec<u8>, kinds: &[ImageType]) -> Option<Size> {
        raster(std::io::Cursor::new(bytes), kinds)
    }

    const ANY: &[ImageType] = &[
        ImageType::Png,
        ImageType::Gif,
        ImageType::Webp,
        ImageType::Jpeg,
    ];

    /// A PNG header of `w` × `h`.
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn png_gif_webp() {
        assert_eq!(size(png(3, 2), ANY), Some((3, 2)));
        assert_eq!(size(png(0, 2), ANY), None);
        // A logical screen descriptor, then the trailer: the smallest real GIF.
        assert_eq!(
            size(b"GIF89a\x40\x01\xf0\x00\x00\x00\x00\x3b".to_vec(), ANY),
            Some((320, 240))
        );
        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00]); // 320×240, minus one
        assert_eq!(size(vp8x, ANY), Some((320, 240)));
        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        let bits: u32 = 99 | (49 << 14); // 100×50
        vp8l.extend(bits.to_le_bytes());
        assert_eq!(size(vp8l, ANY), Some((100, 50)));
        let mut vp8 = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        vp8.extend([0x40, 0x01, 0xf0, 0x00]);
        assert_eq!(size(vp8, ANY), Some((320, 240)));
        assert_eq!(size(b"not an image at all, really, no".to_vec(), ANY), None);
        assert_eq!(size(b"\x89PNG".to_vec(), ANY), None);
    }

    #[test]
    fn jpeg_skips_segments_to_the_frame() {
        let mut b = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0xaa, 0xbb];
        b.extend([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xf0, 0x01, 0x40]);
        b.extend([0u8; 12]);
        assert_eq!(size(b, ANY), Some((320, 240)));
        assert_eq!(size(vec![0xff, 0xd8, 0xff, 0x00], ANY), None);
    }

    #[test]
    fn bytes_of_another_kind_than_the_extension_get_no_size() {
        assert_eq!(size(png(3, 2), &[ImageType::Jpeg]), None);
    }

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg(
                r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">"#
            ),
            Some((120, 80))
        );
        assert_eq!(
            svg(r#"<svg viewBox="0 0 300 150.4" stroke-width="2">"#),
            Some((300, 150))
        );
        assert_eq!(svg(r#"<svg width="100%" height="100%">"#), None);
        assert_eq!(svg("no svg here"), None);
    }
}
