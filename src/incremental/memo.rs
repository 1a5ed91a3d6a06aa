//! Outputs stored with the key of their inputs, for the next rebuild.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3Default;

use crate::model::Site;

/// Outputs of one kind, by name (a page's path), each with its key.
pub struct Memo<V> {
    entries: HashMap<String, (u64, V)>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            entries: HashMap::new(),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The stored output for `name`, if it was made from inputs with `key`.
    pub fn get(&self, name: &str, key: u64) -> Option<V> {
        self.entries
            .get(name)
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }
}

impl<V> FromIterator<(String, u64, V)> for Memo<V> {
    fn from_iter<I: IntoIterator<Item = (String, u64, V)>>(iter: I) -> Self {
        Memo {
            entries: iter.into_iter().map(|(n, k, v)| (n, (k, v))).collect(),
        }
    }
}

/// Outputs made by one render, `(name, key, output)`, to become the next memo.
pub type Made<V> = Vec<(String, u64, V)>;

/// A memo to read from and the keys of this render, one per page.
pub struct Reuse<'a, V> {
    pub memo: &'a Memo<V>,
    pub keys: &'a [u64],
}

impl<V: Clone> Reuse<'_, V> {
    pub fn get(&self, i: usize, name: &str) -> Option<V> {
        self.memo.get(name, self.keys[i])
    }

    /// One output per page, named by the page's path, for the next memo.
    pub fn made(&self, site: &Site, outputs: &[V]) -> Made<V> {
        site.pages
            .iter()
            .zip(outputs)
            .zip(self.keys)
            .map(|((p, v), &k)| (p.out_path.clone(), k, v.clone()))
            .collect()
    }
}

/// XXH3: keys hash every page's text on each rebuild, and SipHash (std's
/// default) was a tenth of a 1,000-page rebuild in perf.
pub fn hash(value: &impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    value.hash(&mut h);
    h.finish()
}
