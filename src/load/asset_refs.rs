//! The site's own style sheets, SVG and HTML files, copied to the output as
//! they are → what they would load from the network, each reported at its
//! line: the rule `check` holds the output to, applied before a build.

use crate::diagnostics::Diagnostic;
use crate::model::Asset;
use crate::refs::{offline_diagnostics, Doc};

pub fn check(assets: &[Asset], diags: &mut Vec<Diagnostic>) {
    for asset in assets {
        let Some(doc) = Doc::of(&asset.content_path) else {
            continue;
        };
        // An unreadable file is reported when it is copied.
        let Ok(bytes) = std::fs::read(&asset.source) else {
            continue;
        };
        diags.extend(offline_diagnostics(
            &String::from_utf8_lossy(&bytes),
            doc,
            &asset.shown_path,
        ));
    }
}
