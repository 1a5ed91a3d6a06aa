//! `playbook check`: the content as a build would see it, then the built
//! output crawled as a browser would follow it.

pub mod crawl;
