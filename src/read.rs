//! Reading a source file, which must be a regular file: `book.toml` that is
//! a FIFO blocked `build` and `watch` forever, waiting for a writer.

use std::io;
use std::path::Path;

/// The bytes of the regular file at `path` (a symbolic link to one counts).
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a folder, pipe, socket or device)",
        ));
    }
    std::fs::read(path)
}
