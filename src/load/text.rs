//! A source file → its text, as every later stage expects it.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};

/// Reads a file as UTF-8 text, dropping a byte-order mark and `\r` before `\n`,
/// which line counting and front-matter fences would otherwise trip on.
pub fn read_text(path: &Path, shown_path: &Path) -> Result<String, Diagnostic> {
    let bytes = crate::read::read_file(path).map_err(|e| {
        Diagnostic::new(shown_path, format!("cannot read: {e}"))
            .hint("check that the file is readable (its permissions) and is a regular file")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let pos = Pos::of_offset(&prefix, prefix.len(), 1);
            return Err(Diagnostic::new(
                shown_path,
                format!("the file is not UTF-8 (byte 0x{:02X})", bytes[valid]),
            )
            .at_pos(pos)
            .hint("save the file as UTF-8; most editors offer this under \"Save with encoding\""));
        }
    };
    // Most files have neither a byte-order mark nor `\r`: keep them as read.
    if !text.starts_with('\u{feff}') && !text.contains('\r') {
        return Ok(text);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}
