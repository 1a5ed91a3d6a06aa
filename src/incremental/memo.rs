//! Outputs stored with the key of their inputs, for the next rebuild.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::xxh3_64;

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
/// default) was a tenth of a 1,000-page rebuild in perf. The value's bytes
/// are gathered first and hashed in one call: fed to XXH3's streaming state
/// one field at a time, its buffer copies were 13 % of a 10,000-page save's
/// samples.
pub fn hash(value: &impl Hash) -> u64 {
    BUFFER.with(|buffer| {
        let mut gathered = Gathered(buffer.take());
        gathered.0.clear();
        value.hash(&mut gathered);
        let h = xxh3_64(&gathered.0);
        buffer.replace(gathered.0);
        h
    })
}

thread_local! {
    /// One buffer per thread, reused by every [`hash`] on it.
    static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A value's bytes as `Hash` writes them.
struct Gathered(Vec<u8>);

impl Hasher for Gathered {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        xxh3_64(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::Xxh3Default;

    /// Gathering the bytes first gives what XXH3's streaming state gives, so
    /// keys stay as strong as they were.
    #[test]
    fn gathered_bytes_hash_as_the_stream_would() {
        let value = ("a title", vec![1u64, 2, 3], Some("x".repeat(1000)), 7usize);
        let mut stream = Xxh3Default::new();
        value.hash(&mut stream);
        assert_eq!(hash(&value), stream.finish());
        assert_ne!(hash(&("a", "b")), hash(&("ab", "")));
    }

    /// A `Hash` impl may itself call [`hash`] (a key made of keys).
    #[test]
    fn hashing_inside_a_hash_is_independent() {
        struct Nested(&'static str);
        impl Hash for Nested {
            fn hash<H: Hasher>(&self, state: &mut H) {
                state.write_u64(hash(&self.0));
                self.0.hash(state);
            }
        }
        let mut stream = Xxh3Default::new();
        hash(&"inner").hash(&mut stream);
        "inner".hash(&mut stream);
        assert_eq!(hash(&Nested("inner")), stream.finish());
    }
}
