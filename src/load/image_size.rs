//! Image file → its width and height in pixels, read from the header only.
//!
//! Knowing the size lets a page reserve the image's space before it loads, so
//! the text does not jump. PNG, GIF, JPEG, WebP and SVG are read; anything else,
//! or a file we cannot make sense of, simply gets no size. A few dozen lines
//! cover these formats, so no image crate is pulled in for it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Width and height in pixels.
pub type Size = (u32, u32);

/// The size of the image at `path`, if its extension names a format we read
/// and its header is sound. Never fails: a bad image just has no size.
pub fn of_file(path: &Path) -> Option<Size> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    let mut file = File::open(path).ok()?;
    match ext.as_str() {
        "png" | "gif" | "webp" => {
            let mut head = [0u8; 32];
            let n = read_up_to(&mut file, &mut head)?;
            from_header(&head[..n])
        }
        "jpg" | "jpeg" => jpeg(&mut file),
        "svg" => {
            let mut head = vec![0u8; 4096];
            let n = read_up_to(&mut file, &mut head)?;
            svg(&String::from_utf8_lossy(&head[..n]))
        }
        _ => None,
    }
}

fn read_up_to(file: &mut impl Read, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]).ok()? {
            0 => break,
            m => n += m,
        }
    }
    Some(n)
}

/// PNG, GIF or WebP from their first 30 bytes.
pub fn from_header(b: &[u8]) -> Option<Size> {
    let be32 = |i: usize| Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let le16 = |i: usize| {
        Some(u32::from(u16::from_le_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le24 = |i: usize| {
        let s = b.get(i..i + 3)?;
        Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") && b.get(12..16)? == b"IHDR" {
        return nonzero(be32(16)?, be32(20)?);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return nonzero(le16(6)?, le16(8)?);
    }
    if b.starts_with(b"RIFF") && b.get(8..12)? == b"WEBP" {
        return match b.get(12..16)? {
            // Lossy: 14-bit sizes after the frame's start code.
            b"VP8 " => nonzero(le16(26)? & 0x3fff, le16(28)? & 0x3fff),
            // Lossless: 14 bits each, stored minus one, after the 0x2f signature.
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                nonzero((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
            }
            // Extended: 24-bit sizes, stored minus one.
            b"VP8X" => nonzero(le24(24)? + 1, le24(27)? + 1),
            _ => None,
        };
    }
    None
}

/// Walks JPEG segments to the start-of-frame marker, seeking over the rest,
/// so a large EXIF block costs one seek, not a read.
fn jpeg(f: &mut (impl Read + Seek)) -> Option<Size> {
    let mut two = [0u8; 2];
    f.read_exact(&mut two).ok()?;
    if two != [0xff, 0xd8] {
        return None;
    }
    // Enough for any real header; a corrupt file cannot make us loop forever.
    for _ in 0..1000 {
        f.read_exact(&mut two).ok()?;
        if two[0] != 0xff {
            return None;
        }
        let marker = two[1];
        match marker {
            0xff => {
                // Fill byte: the marker follows.
                f.seek(SeekFrom::Current(-1)).ok()?;
                continue;
            }
            0x01 | 0xd0..=0xd7 => continue,
            0xd9 | 0xda => return None,
            _ => {}
        }
        f.read_exact(&mut two).ok()?;
        let len = u16::from_be_bytes(two);
        if len < 2 {
            return None;
        }
        let is_sof = (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_sof {
            let mut sof = [0u8; 5];
            f.read_exact(&mut sof).ok()?;
            let h = u32::from(u16::from_be_bytes([sof[1], sof[2]]));
            let w = u32::from(u16::from_be_bytes([sof[3], sof[4]]));
            return nonzero(w, h);
        }
        f.seek(SeekFrom::Current(i64::from(len) - 2)).ok()?;
    }
    None
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

fn nonzero(w: u32, h: u32) -> Option<Size> {
    (w > 0 && h > 0).then_some((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 PNG header.
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn png_gif_webp() {
        assert_eq!(from_header(&png(3, 2)), Some((3, 2)));
        assert_eq!(from_header(b"GIF89a\x40\x01\xf0\x00"), Some((320, 240)));
        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00]); // 320×240, minus one
        assert_eq!(from_header(&vp8x), Some((320, 240)));
        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        let bits: u32 = 99 | (49 << 14); // 100×50
        vp8l.extend(bits.to_le_bytes());
        assert_eq!(from_header(&vp8l), Some((100, 50)));
        let mut vp8 = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        vp8.extend([0x40, 0x01, 0xf0, 0x00]);
        assert_eq!(from_header(&vp8), Some((320, 240)));
        assert_eq!(from_header(b"not an image at all, really, no"), None);
        assert_eq!(from_header(b"\x89PNG"), None);
    }

    #[test]
    fn jpeg_skips_segments_to_the_frame() {
        let mut b = vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0xaa, 0xbb];
        b.extend([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0xf0, 0x01, 0x40]);
        b.extend([0u8; 12]);
        assert_eq!(jpeg(&mut std::io::Cursor::new(b)), Some((320, 240)));
        assert_eq!(
            jpeg(&mut std::io::Cursor::new(vec![0xff, 0xd8, 0x00])),
            None
        );
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
