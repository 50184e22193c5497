//! PEM layouts: what Node (OpenSSL) accepts, and what the lenient syntax adds.

use std::process::Command;

use super::*;

#[test]
fn pem_squeezed_onto_one_line_or_with_crlf_still_parses() {
    let text = String::from_utf8(fixture("rsa2048-private-pkcs1.pem")).unwrap();
    let reference = private("rsa2048-private-pkcs1.pem").verifying_key();
    let one_line = text.replace('\n', "");
    let spaced = text.replace('\n', " ");
    let crlf = format!("\r\n  {}\r\n", text.replace('\n', "\r\n"));
    let escaped = text.replace('\n', "\\n");
    for form in [one_line, spaced, crlf, escaped] {
        let key = SigningKey::from_private(form.as_bytes(), None).unwrap();
        assert!(key.public_key_matches(&reference));
    }
}

/// PEM layouts and whether Node 20's `crypto.createPrivateKey` accepts them (observed with
/// node; re-checked below when `node` is on the PATH).
fn pem_layouts() -> Vec<(&'static str, String, bool)> {
    let text = String::from_utf8(fixture("rsa2048-private-pkcs1.pem")).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let spaced_body = text
        .lines()
        .map(|l| {
            if l.starts_with("-----") {
                l.to_string()
            } else {
                format!("{} {}", &l[..10], &l[10..])
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        ("normal", text.clone(), true),
        ("crlf", text.replace('\n', "\r\n"), true),
        (
            "long-line",
            format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"),
            true,
        ),
        ("leading-junk-line", format!("hello\n{text}"), true),
        ("spaces-in-body", spaced_body, true),
        ("no-trailing-newline", text.trim_end().to_string(), true),
        (
            "begin-trailing-spaces",
            text.replacen("KEY-----\n", "KEY-----   \n", 1),
            true,
        ),
        ("one-line-spaces", text.replace('\n', " "), false),
        ("one-line", text.replace('\n', ""), false),
        ("escaped-newlines", text.replace('\n', "\\n"), false),
        ("leading-spaces", format!("   {text}"), false),
        (
            "indented",
            text.lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            false,
        ),
        (
            "end-trailing-junk",
            format!("{}junk", text.trim_end()),
            false,
        ),
        ("cr-only", text.replace('\n', "\r"), false),
    ]
}

#[test]
fn openssl_pem_syntax_accepts_what_node_accepts_and_lenient_accepts_all() {
    let reference = public("rsa2048-public-spki.pem");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    for (name, text, node_accepts) in pem_layouts() {
        let strict = SigningKey::from_private_with(text.as_bytes(), None, PemSyntax::OpenSsl);
        assert_eq!(strict.is_ok(), node_accepts, "{name}");
        let lenient = SigningKey::from_private(text.as_bytes(), None).unwrap();
        assert!(lenient.public_key_matches(&reference), "{name}");
        let strict_public =
            VerifyingKey::from_public_with(text.as_bytes(), None, PemSyntax::OpenSsl);
        assert_eq!(strict_public.is_ok(), node_accepts, "{name}");
        assert_eq!(
            cache::private_key(text.as_bytes(), None).is_ok(),
            node_accepts,
            "{name}"
        );
        if node {
            let output = Command::new("node")
                .args(["-e", "try { require('crypto').createPrivateKey(process.env.QLIK_JWT_PEM); console.log('ok') } catch (e) { console.log('fail') }"])
                .env("QLIK_JWT_PEM", &text)
                .output()
                .unwrap();
            let verdict = String::from_utf8_lossy(&output.stdout).trim().to_string();
            assert_eq!(verdict == "ok", node_accepts, "node disagrees on {name}");
        }
    }
}

#[test]
fn pem_bundles_pick_the_block_node_picks() {
    let key = String::from_utf8(fixture("rsa2048-private-pkcs8.pem")).unwrap();
    let other_cert = String::from_utf8(fixture("rsa4096-publickey.cer")).unwrap();
    let bundle = format!("{key}{other_cert}");
    let signing = SigningKey::from_private_with(bundle.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        signing
            .unwrap()
            .public_key_matches(&public("rsa2048-public-spki.pem"))
    );
    let verifying = VerifyingKey::from_public_with(bundle.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        verifying
            .unwrap()
            .same_key_as(&public("rsa4096-publickey.cer"))
    );
    let reversed = format!("{other_cert}{key}");
    let signing = SigningKey::from_private_with(reversed.as_bytes(), None, PemSyntax::OpenSsl);
    assert!(
        signing
            .unwrap()
            .public_key_matches(&public("rsa2048-public-spki.pem"))
    );
    if Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let script = "const c = require('crypto'); \
            const k = c.createPublicKey(process.env.QLIK_JWT_PEM).export({ format: 'jwk' }); \
            console.log(Buffer.from(k.n, 'base64url').length * 8)";
        let output = Command::new("node")
            .args(["-e", script])
            .env("QLIK_JWT_PEM", &bundle)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "4096");
    }
}
