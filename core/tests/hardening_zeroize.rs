//! Key bytes are zeroized when dropped.
//!
//! This test binary installs a global allocator that, while armed, scans every block Rust frees
//! for a secret: the HMAC secret, or the private scalar / exponent of a test key. A block freed
//! with the secret still in it is memory that a later allocation (or a core dump) could read.
//! Copies inside aws-lc's own C heap are not seen here; aws-lc cleanses key material itself.
//!
//! One `#[test]` only: the allocator is global, so scenarios run one after another.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use qlik_jwt::compat::{self, KeyArg};
use qlik_jwt::{Algorithm, SigningKey, Value, VerifyingKey};
use zeroize::{Zeroize, Zeroizing};

struct Scanning;

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);
static NEEDLE_LEN: AtomicUsize = AtomicUsize::new(0);
static mut NEEDLE: [u8; 64] = [0; 64];

/// Scenarios run one at a time (the harness may still run its own threads).
static SERIAL: Mutex<()> = Mutex::new(());

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
            let len = NEEDLE_LEN.load(Ordering::SeqCst);
            // SAFETY: the block is still ours until System.dealloc; NEEDLE is only written
            // while disarmed.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let needle: &[u8; 64] = unsafe { &*std::ptr::addr_of!(NEEDLE) };
            let needle = &needle[..len];
            if contains(block, needle) {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

/// Runs `scenario` with `secret` as the needle; returns how many freed blocks held it.
fn freed_copies(secret: &[u8], scenario: impl FnOnce()) -> usize {
    assert!(secret.len() >= 16 && secret.len() <= 64);
    ARMED.store(false, Ordering::SeqCst);
    // SAFETY: disarmed, so the allocator does not read NEEDLE meanwhile.
    unsafe {
        let needle = &mut *std::ptr::addr_of_mut!(NEEDLE);
        needle[..secret.len()].copy_from_slice(secret);
    }
    NEEDLE_LEN.store(secret.len(), Ordering::SeqCst);
    FOUND.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    scenario();
    ARMED.store(false, Ordering::SeqCst);
    FOUND.load(Ordering::SeqCst)
}

fn key_file(name: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(
        std::fs::read(format!(
            "{}/../tests/keys/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("test key"),
    )
}

/// The content of the DER element at `at` and the offset after it.
fn element(der: &[u8], at: usize) -> (&[u8], usize) {
    let mut pos = at + 1;
    let mut len = der[pos] as usize;
    pos += 1;
    if len & 0x80 != 0 {
        let count = len & 0x7f;
        len = der[pos..pos + count]
            .iter()
            .fold(0, |acc, b| (acc << 8) | *b as usize);
        pos += count;
    }
    (&der[pos..pos + len], pos + len)
}

/// 32 bytes from the middle of the private exponent `d` of a PKCS#1 RSA key.
fn rsa_secret(pkcs1: &[u8]) -> Vec<u8> {
    let (body, _) = element(pkcs1, 0);
    let (_, after_version) = element(body, 0);
    let (_, after_n) = element(body, after_version);
    let (_, after_e) = element(body, after_n);
    let (d, _) = element(body, after_e);
    d[64..96].to_vec()
}

/// The private scalar of a SEC1 EC key (`04 len scalar` after the version `02 01 01`).
fn ec_secret(der: &[u8]) -> Vec<u8> {
    let at = der
        .windows(4)
        .position(|w| w == [0x02, 0x01, 0x01, 0x04])
        .expect("SEC1 version and private key");
    let len = der[at + 4] as usize;
    der[at + 5..at + 5 + len].to_vec()
}

#[test]
fn key_bytes_are_zeroized_when_dropped() {
    let _serial = SERIAL.lock().unwrap();
    let message = b"header.payload";

    // An HMAC secret, given as bytes and as a parsed key.
    let secret = Zeroizing::new(b"zeroize-me-0123456789abcdefghijklmnopq".to_vec());
    let copies = freed_copies(&secret, || {
        let signing = SigningKey::from_secret(&secret);
        let signature = signing.sign(Algorithm::HS256, message).unwrap();
        let verifying = VerifyingKey::from_secret(&secret);
        assert!(
            verifying
                .verify(Algorithm::HS256, message, &signature)
                .unwrap()
        );
        let clone = signing.clone();
        drop((signing, verifying, clone));
    });
    assert_eq!(copies, 0, "HMAC secret left in freed memory");

    // The jsonwebtoken-compatible entry point with the secret as a Buffer.
    let copies = freed_copies(&secret, || {
        let mut key = KeyArg::Bytes(secret.to_vec());
        let options = Value::from_json_str(r#"{"algorithm":"HS512"}"#).unwrap();
        let payload = Value::from_json_str(r#"{"sub":"a"}"#).unwrap();
        let token = compat::sign(&payload, &key, &options, 0.0).unwrap();
        let checked = compat::verify(
            &Value::String(token),
            &key,
            &Value::from_json_str("{}").unwrap(),
            0.0,
        );
        assert!(checked.is_ok());
        if let KeyArg::Bytes(bytes) = &mut key {
            bytes.zeroize();
        }
    });
    assert_eq!(copies, 0, "HMAC secret left in freed memory by compat");

    // An EC key from DER, PEM (its base64 decodes into a buffer of the core), encrypted PKCS#8
    // and a private JWK.
    let der = key_file("ec256-private-sec1.der");
    let scalar = Zeroizing::new(ec_secret(&der));
    let pem = key_file("ec256-private-pkcs8.pem");
    let encrypted = key_file("ec256-private-pkcs8-encrypted.pem");
    let ec_jwk = key_file("ec256-private.jwk.json");
    let copies = freed_copies(&scalar, || {
        for key in [
            SigningKey::from_private(&der, None).unwrap(),
            SigningKey::from_private(&pem, None).unwrap(),
            SigningKey::from_private(&encrypted, Some(b"qlik-jwt-test")).unwrap(),
            SigningKey::from_jwk(std::str::from_utf8(&ec_jwk).unwrap()).unwrap(),
        ] {
            let signature = key.sign(Algorithm::ES256, message).unwrap();
            assert!(
                key.verifying_key()
                    .verify(Algorithm::ES256, message, &signature)
                    .unwrap()
            );
        }
    });
    assert_eq!(copies, 0, "EC private scalar left in freed memory");

    // An RSA key from PKCS#1 PEM, PKCS#8 PEM and a private JWK.
    let pkcs1 = key_file("rsa2048-private-pkcs1.der");
    let exponent = Zeroizing::new(rsa_secret(&pkcs1));
    let pkcs1_pem = key_file("rsa2048-private-pkcs1.pem");
    let pkcs8_pem = key_file("rsa2048-private-pkcs8.pem");
    let jwk = key_file("rsa2048-private.jwk.json");
    let pkcs1_der = key_file("rsa2048-private-pkcs1.der");
    let jwk_text = std::str::from_utf8(&jwk).unwrap();
    let forms: [(&str, &dyn Fn() -> SigningKey); 4] = [
        ("PKCS#1 DER", &|| {
            SigningKey::from_private(&pkcs1_der, None).unwrap()
        }),
        ("PKCS#1 PEM", &|| {
            SigningKey::from_private(&pkcs1_pem, None).unwrap()
        }),
        ("PKCS#8 PEM", &|| {
            SigningKey::from_private(&pkcs8_pem, None).unwrap()
        }),
        ("JWK", &|| SigningKey::from_jwk(jwk_text).unwrap()),
    ];
    for (form, parse) in forms {
        let copies = freed_copies(&exponent, || {
            parse().sign(Algorithm::RS256, message).unwrap();
        });
        assert_eq!(
            copies, 0,
            "RSA private exponent left in freed memory ({form})"
        );
    }

    // The scanner itself works: a plain Vec holding the secret is seen when freed.
    let copies = freed_copies(&scalar, || drop(scalar.to_vec()));
    assert_eq!(copies, 1, "the scanner sees an unzeroized copy");
}
