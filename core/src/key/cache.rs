//! A small bounded cache of parsed keys, keyed by the key bytes, so that entry points taking
//! key text on every call (`sign(payload, pemString)` in a loop) parse each key once.
//!
//! Entries are found by a SHA-256 digest of the key bytes and passphrase, so the cache keeps
//! no second plaintext copy of them. Least recently used entries are evicted first. Failed
//! parses are not cached.
//!
//! Shared secrets (HS*) have their own cache: the last secret used on each thread
//! ([`secret`]).

use std::cell::Cell;
use std::sync::Mutex;

use aws_lc_rs::digest;

use super::{PemSyntax, SigningKey, VerifyingKey};
use crate::error::Result;

/// Entries per cache (private and public keys are cached separately).
pub const CAPACITY: usize = 64;

type Fingerprint = [u8; 32];

struct Lru<K> {
    entries: Vec<Entry<K>>,
    clock: u64,
}

struct Entry<K> {
    fingerprint: Fingerprint,
    key: K,
    last_used: u64,
}

impl<K: Clone> Lru<K> {
    const fn new() -> Self {
        Lru {
            entries: Vec::new(),
            clock: 0,
        }
    }

    fn get(&mut self, fingerprint: &Fingerprint) -> Option<K> {
        self.clock += 1;
        let clock = self.clock;
        let entry = self
            .entries
            .iter_mut()
            .find(|e| &e.fingerprint == fingerprint)?;
        entry.last_used = clock;
        Some(entry.key.clone())
    }

    fn insert(&mut self, fingerprint: Fingerprint, key: K) {
        self.clock += 1;
        let entry = Entry {
            fingerprint,
            key,
            last_used: self.clock,
        };
        if let Some(existing) = self
            .entries
            .iter_mut()
            .find(|e| e.fingerprint == fingerprint)
        {
            *existing = entry;
        } else if self.entries.len() < CAPACITY {
            self.entries.push(entry);
        } else if let Some(oldest) = self.entries.iter_mut().min_by_key(|e| e.last_used) {
            *oldest = entry;
        }
    }
}

static PRIVATE: Mutex<Lru<SigningKey>> = Mutex::new(Lru::new());
static PUBLIC: Mutex<Lru<VerifyingKey>> = Mutex::new(Lru::new());

fn fingerprint(
    role: &[u8],
    syntax: PemSyntax,
    bytes: &[u8],
    passphrase: Option<&[u8]>,
) -> Fingerprint {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(role);
    context.update(&[syntax as u8]);
    context.update(&(bytes.len() as u64).to_be_bytes());
    context.update(bytes);
    if let Some(passphrase) = passphrase {
        context.update(&[1]);
        context.update(passphrase);
    } else {
        context.update(&[0]);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(context.finish().as_ref());
    out
}

fn cached<K: Clone>(
    cache: &Mutex<Lru<K>>,
    fingerprint: Fingerprint,
    parse: impl FnOnce() -> Result<K>,
) -> Result<K> {
    // A poisoned lock only means another thread panicked mid-update; the map is still sound.
    if let Some(key) = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&fingerprint)
    {
        return Ok(key);
    }
    // Parse outside the lock: two threads may parse the same key once each, which is fine.
    let key = parse()?;
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(fingerprint, key.clone());
    Ok(key)
}

/// The private key for these bytes and passphrase, parsed once and then served from the cache.
/// PEM is read as Node's `createPrivateKey` reads it ([`PemSyntax::OpenSsl`]), since the
/// `jsonwebtoken`-compatible entry points rely on this; see [`private_key_with`].
pub fn private_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<SigningKey> {
    private_key_with(bytes, passphrase, PemSyntax::OpenSsl)
}

/// [`private_key`] with a choice of PEM strictness.
pub fn private_key_with(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    syntax: PemSyntax,
) -> Result<SigningKey> {
    cached(
        &PRIVATE,
        fingerprint(b"private", syntax, bytes, passphrase),
        || SigningKey::from_private_with(bytes, passphrase, syntax),
    )
}

/// The verifying key for these bytes and passphrase, parsed once and then served from the
/// cache. PEM is read as Node's `createPublicKey` reads it ([`PemSyntax::OpenSsl`]); see
/// [`public_key_with`].
pub fn public_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<VerifyingKey> {
    public_key_with(bytes, passphrase, PemSyntax::OpenSsl)
}

/// [`public_key`] with a choice of PEM strictness.
pub fn public_key_with(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    syntax: PemSyntax,
) -> Result<VerifyingKey> {
    cached(
        &PUBLIC,
        fingerprint(b"public", syntax, bytes, passphrase),
        || VerifyingKey::from_public_with(bytes, passphrase, syntax),
    )
}

thread_local! {
    /// The key of the last secret [`secret`] served on this thread. It holds the secret's only
    /// copy in the cache (zeroized when replaced or when the thread ends), and a lookup
    /// compares the bytes themselves, so no other secret can ever be served from it.
    static LAST_SECRET: Cell<Option<SigningKey>> = const { Cell::new(None) };
}

/// `SigningKey::from_secret(bytes)`, reusing the key of the previous call on this thread when
/// the bytes are the same: an app signs and verifies with one secret, and building its HMAC
/// key (two hash blocks, three allocations) costs as much as a small token's MAC. A secret key
/// also verifies (through [`SigningKey::verifying_key`], which shares it).
pub fn secret(bytes: &[u8]) -> SigningKey {
    let lookup = |last: &Cell<Option<SigningKey>>| {
        // Taken out and put back: no borrow can be held across a call, nothing can panic.
        let key = match last.take() {
            Some(key) if key.is_secret(bytes) => key,
            _ => SigningKey::from_secret(bytes),
        };
        last.set(Some(key.clone()));
        key
    };
    // While the thread is being torn down the slot is gone: no caching then.
    LAST_SECRET
        .try_with(lookup)
        .unwrap_or_else(|_| SigningKey::from_secret(bytes))
}

/// Whether two handles share one parsed key (for tests of the cache).
#[cfg(test)]
pub(crate) fn same_signing(a: &SigningKey, b: &SigningKey) -> bool {
    std::sync::Arc::ptr_eq(&a.inner, &b.inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;

    const PEM: &str = include_str!("../../testdata/keys/ec256-private-pkcs8.pem");

    #[test]
    fn same_bytes_give_the_same_parsed_key() {
        let a = private_key(PEM.as_bytes(), None).unwrap();
        let b = private_key(PEM.as_bytes(), None).unwrap();
        assert!(same_signing(&a, &b));
        let c = private_key(PEM.as_bytes(), Some(b"unused")).unwrap();
        assert!(!same_signing(&a, &c));
        let p1 = public_key(PEM.as_bytes(), None).unwrap();
        let p2 = public_key(PEM.as_bytes(), None).unwrap();
        assert!(std::sync::Arc::ptr_eq(&p1.inner, &p2.inner));
    }

    #[test]
    fn a_secret_is_reused_only_for_the_same_bytes_and_one_is_kept() {
        let a = secret(b"first secret");
        assert!(same_signing(&a, &secret(b"first secret")));
        assert!(a.is_secret(b"first secret") && !a.is_secret(b"first secreT"));
        let held = std::sync::Arc::downgrade(&a.inner);
        // Same length, one byte off; a prefix; a different length.
        for other in [&b"first secreT"[..], b"first secre", b"first secret!"] {
            let key = secret(other);
            assert!(!same_signing(&a, &key));
            assert!(key.is_secret(other));
            let mac = key.sign(Algorithm::HS256, b"m").unwrap();
            assert_eq!(
                mac,
                SigningKey::from_secret(other)
                    .sign(Algorithm::HS256, b"m")
                    .unwrap()
            );
            assert!(
                key.verifying_key()
                    .verify(Algorithm::HS256, b"m", &mac)
                    .unwrap()
            );
        }
        // The cache let the first secret go when another replaced it: dropping the last
        // handle frees (and so zeroizes) it.
        drop(a);
        assert!(held.upgrade().is_none());
        // Each thread has its own slot.
        let here = secret(b"per thread");
        let there = std::thread::spawn(|| secret(b"per thread")).join().unwrap();
        assert!(!same_signing(&here, &there));
    }

    #[test]
    fn failures_are_not_cached_and_capacity_is_bounded() {
        assert!(private_key(b"not a key", None).is_err());
        let mut lru = Lru::new();
        for i in 0..(CAPACITY + 10) {
            lru.insert([i as u8; 32], i);
        }
        assert_eq!(lru.entries.len(), CAPACITY);
        assert!(
            lru.get(&[0u8; 32]).is_none(),
            "the oldest entries were evicted"
        );
        assert_eq!(lru.get(&[(CAPACITY + 9) as u8; 32]), Some(CAPACITY + 9));
    }

    #[test]
    fn recently_used_entries_survive_eviction() {
        let mut lru = Lru::new();
        for i in 0..CAPACITY {
            lru.insert([i as u8; 32], i);
        }
        assert_eq!(lru.get(&[0u8; 32]), Some(0));
        lru.insert([200u8; 32], 200);
        assert_eq!(lru.get(&[0u8; 32]), Some(0));
        assert!(lru.get(&[1u8; 32]).is_none());
    }
}
