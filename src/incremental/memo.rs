//! Outputs stored with the key of their inputs, for the next rebuild.

use std::hash::{BuildHasher, Hash, Hasher, RandomState};
use std::sync::OnceLock;

use hashbrown::HashTable;
use xxhash_rust::xxh3::xxh3_64;

use crate::model::Site;

/// Outputs of one kind, by name (a page's path), each with its key, in the
/// order they were made: page order, for outputs made one per page.
///
/// A page's output is looked for first where it was made, as the page's
/// place rarely moves between two rebuilds: hashing every name into a map,
/// on each rebuild and again for each lookup, was 14 % of a 10,000-page
/// save's samples (SipHash and the probes of five memos). The map is built
/// only when a name is not where it was.
pub struct Memo<V> {
    entries: Vec<(String, u64, V)>,
    by_name: OnceLock<HashTable<usize>>,
    hasher: RandomState,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            entries: Vec::new(),
            by_name: OnceLock::new(),
            hasher: RandomState::new(),
        }
    }
}

impl<V> Memo<V> {
    /// The place of `name`'s entry, if there is one.
    fn find(&self, name: &str) -> Option<usize> {
        let table = self.by_name.get_or_init(|| {
            let mut table = HashTable::with_capacity(self.entries.len());
            for (i, (n, _, _)) in self.entries.iter().enumerate() {
                let h = self.hasher.hash_one(n.as_str());
                table.insert_unique(h, i, |&j| self.hasher.hash_one(self.entries[j].0.as_str()));
            }
            table
        });
        let h = self.hasher.hash_one(name);
        table.find(h, |&j| self.entries[j].0 == name).copied()
    }
}

impl<V: Clone> Memo<V> {
    /// The stored output for `name`, if it was made from inputs with `key`.
    pub fn get(&self, name: &str, key: u64) -> Option<V> {
        let i = self.find(name)?;
        Some(&self.entries[i])
            .filter(|(_, k, _)| *k == key)
            .map(|(_, _, v)| v.clone())
    }

    /// [`Memo::get`], looking first at place `i`.
    pub fn get_at(&self, i: usize, name: &str, key: u64) -> Option<V> {
        match self.entries.get(i) {
            Some((n, k, v)) if n == name => (*k == key).then(|| v.clone()),
            _ => self.get(name, key),
        }
    }
}

impl<V> FromIterator<(String, u64, V)> for Memo<V> {
    fn from_iter<I: IntoIterator<Item = (String, u64, V)>>(iter: I) -> Self {
        Memo {
            entries: iter.into_iter().collect(),
            ..Memo::default()
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
        self.memo.get_at(i, name, self.keys[i])
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

    /// An output is found by its name wherever it moved, and only under the
    /// key it was made with.
    #[test]
    fn outputs_are_found_by_name_wherever_they_sit() {
        let memo: Memo<&str> = [("a", 1, "A"), ("b", 2, "B"), ("c", 3, "C")]
            .into_iter()
            .map(|(n, k, v)| (n.to_string(), k, v))
            .collect();
        assert_eq!(memo.get_at(1, "b", 2), Some("B"));
        assert_eq!(memo.get_at(1, "b", 9), None);
        // A page added before "b" moved it one place on.
        assert_eq!(memo.get_at(2, "b", 2), Some("B"));
        assert_eq!(memo.get_at(9, "c", 3), Some("C"));
        assert_eq!(memo.get_at(0, "d", 1), None);
        assert_eq!(memo.get("a", 1), Some("A"));
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
