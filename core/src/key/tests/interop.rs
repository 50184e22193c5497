//! Interoperability with openssl: its signatures verify here, ours verify there, and public
//! keys export as it writes them.

use std::process::Command;

use super::*;

#[test]
fn spki_export_matches_openssl() {
    for (private_name, spki_name) in [
        ("rsa2048-private-pkcs1.pem", "rsa2048-public-spki.der"),
        ("ec256-private-sec1.pem", "ec256-public-spki.der"),
        ("ec384-private-pkcs8.pem", "ec384-public-spki.der"),
        ("ec521-private-pkcs8.pem", "ec521-public-spki.der"),
    ] {
        check_spki(private_name, spki_name);
    }
    for (private_name, spki_pem) in [
        (
            "rsapss2048-sha256-private-pkcs8.pem",
            "rsapss2048-sha256-public-spki.pem",
        ),
        ("rsapss2048-private-pkcs8.pem", "rsapss2048-public-spki.pem"),
    ] {
        let expected = pem::decode_all(&fixture(spki_pem), PemSyntax::OpenSsl)
            .unwrap()
            .remove(0)
            .der;
        assert_eq!(
            private(private_name).public_key_spki_der().unwrap(),
            *expected
        );
        assert_eq!(public(spki_pem).public_key_spki_der().unwrap(), *expected);
    }
    fn check_spki(private_name: &str, spki_name: &str) {
        let expected = fixture(spki_name);
        assert_eq!(
            private(private_name).public_key_spki_der().unwrap(),
            expected,
            "{private_name}"
        );
        assert_eq!(public(spki_name).public_key_spki_der().unwrap(), expected);
    }
    let certificate = public("rsa4096-publickey.cer");
    let pem = certificate.public_key_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    let reparsed = VerifyingKey::from_public(pem.as_bytes(), None).unwrap();
    assert!(reparsed.same_key_as(&certificate));
    assert_eq!(
        pem,
        String::from_utf8(
            Command::new("/usr/bin/openssl")
                .args(["x509", "-pubkey", "-noout", "-in"])
                .arg(path("rsa4096-publickey.cer"))
                .output()
                .map(|o| o.stdout)
                .unwrap_or_else(|_| pem.clone().into_bytes())
        )
        .unwrap()
    );
    assert!(
        SigningKey::from_secret(b"s")
            .public_key_spki_der()
            .is_none()
    );
}

#[test]
fn signatures_made_by_openssl_verify() {
    let message = fixture("message.txt");
    assert_eq!(message, MESSAGE);
    let cases = [
        (
            "rsa2048-public-spki.pem",
            RS256,
            fixture("message.rsa2048.RS256.sig"),
        ),
        (
            "rsa2048-cert.pem",
            PS256,
            fixture("message.rsa2048.PS256.sig"),
        ),
        (
            "rsa4096-publickey.cer",
            PS512,
            fixture("message.rsa4096.PS512.sig"),
        ),
        (
            "rsapss2048-public-spki.pem",
            PS256,
            fixture("message.rsapss2048.PS256.sig"),
        ),
        (
            "ec256-public-spki.pem",
            ES256,
            der_to_jose(&fixture("message.ec256.ES256.der.sig"), 32),
        ),
        (
            "ec384-public-spki.pem",
            ES384,
            der_to_jose(&fixture("message.ec384.ES384.der.sig"), 48),
        ),
        (
            "ec521-public-spki.pem",
            ES512,
            der_to_jose(&fixture("message.ec521.ES512.der.sig"), 66),
        ),
    ];
    for (name, alg, signature) in cases {
        let key = public(name);
        assert!(
            key.verify(alg, &message, &signature).unwrap(),
            "{name} {alg}"
        );
        assert!(
            !key.verify(alg, b"tampered", &signature).unwrap(),
            "{name} {alg}"
        );
    }
}

#[test]
fn openssl_verifies_our_signatures() {
    let openssl = PathBuf::from("/usr/bin/openssl");
    assert!(openssl.exists(), "these tests need /usr/bin/openssl");
    let dir = std::env::temp_dir().join(format!("qlik-jwt-key-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let message = dir.join("message.txt");
    std::fs::write(&message, MESSAGE).unwrap();
    let cases = [
        (
            "rsa2048-private-pkcs1.pem",
            "rsa2048-public-spki.pem",
            RS256,
            "-sha256",
            false,
        ),
        (
            "rsa2048-private-pkcs8.pem",
            "rsa2048-public-spki.pem",
            PS256,
            "-sha256",
            false,
        ),
        (
            "rsa4096-privatekey.pem",
            "rsa2048-public-spki.pem",
            RS256,
            "-sha256",
            false,
        ),
        (
            "ec256-private-sec1.pem",
            "ec256-public-spki.pem",
            ES256,
            "-sha256",
            true,
        ),
        (
            "ec521-private-sec1-params.pem",
            "ec521-public-spki.pem",
            ES512,
            "-sha512",
            true,
        ),
    ];
    for (index, (private_name, public_name, alg, digest, ecdsa)) in cases.into_iter().enumerate() {
        let signature = private(private_name).sign(alg, MESSAGE).unwrap();
        let signature = if ecdsa {
            jose_to_der(&signature)
        } else {
            signature
        };
        let signature_path = dir.join(format!("{index}.sig"));
        std::fs::write(&signature_path, &signature).unwrap();
        let public_path = if private_name.starts_with("rsa4096") {
            path("rsa4096-publickey.cer") // checked below through its public key
        } else {
            path(public_name)
        };
        let mut command = Command::new(&openssl);
        command.arg("dgst").arg(digest);
        if private_name.starts_with("rsa4096") {
            let pem = public("rsa4096-publickey.cer").public_key_pem().unwrap();
            let extracted = dir.join("rsa4096-public.pem");
            std::fs::write(&extracted, pem).unwrap();
            command.arg("-verify").arg(&extracted);
        } else {
            command.arg("-verify").arg(&public_path);
        }
        if alg == PS256 {
            command.args([
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:-2",
            ]);
        }
        let output = command
            .arg("-signature")
            .arg(&signature_path)
            .arg(&message)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{private_name} {alg}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    // PSS salt length must be the hash length (what Node and jsonwebtoken use).
    let signature = private("rsa2048-private-pkcs8.pem")
        .sign(PS256, MESSAGE)
        .unwrap();
    let signature_path = dir.join("pss.sig");
    std::fs::write(&signature_path, signature).unwrap();
    let output = Command::new(&openssl)
        .args([
            "dgst",
            "-sha256",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:32",
            "-verify",
        ])
        .arg(path("rsa2048-public-spki.pem"))
        .arg("-signature")
        .arg(&signature_path)
        .arg(&message)
        .output()
        .unwrap();
    assert!(output.status.success(), "PS256 salt length is 32");
    let _ = std::fs::remove_dir_all(&dir);
}
