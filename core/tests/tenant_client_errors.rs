//! The session client against servers that are not a good Qlik tenant: every failure is a typed
//! error, never a panic.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::thread::JoinHandle;

use qlik_jwt::client::{ClientError, LoginOptions, login};

/// A one-shot server that reads a request and answers `answer` (raw bytes), on loopback.
fn answering(answer: &'static [u8]) -> (String, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(answer);
        }
    });
    (format!("127.0.0.1:{port}"), handle)
}

#[test]
fn a_non_qlik_error_body_still_gives_status_and_text() {
    let (addr, server) = answering(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 11\r\nConnection: close\r\n\r\nupstream 42",
    );
    match login(&format!("http://{addr}"), "a.b.c", &LoginOptions::default()) {
        Err(ClientError::Qlik(e)) => {
            assert_eq!(e.status, 502);
            assert_eq!(e.code, "");
            assert_eq!(e.title, "upstream 42");
            assert!(
                e.hint.as_deref().is_some_and(|h| h.contains("QLIK_")),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    server.join().unwrap();
}

#[test]
fn a_login_answer_without_cookies_is_a_protocol_error() {
    let (addr, server) =
        answering(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    match login(&format!("http://{addr}"), "a.b.c", &LoginOptions::default()) {
        Err(ClientError::Protocol(message)) => assert!(message.contains("cookies"), "{message}"),
        other => panic!("{other:?}"),
    }
    server.join().unwrap();
}

#[test]
fn https_to_a_server_that_is_not_tls_fails_cleanly() {
    // Exercises the TLS set-up (rustls on aws-lc-rs) up to the handshake.
    let (addr, server) = answering(b"this is not TLS\r\n\r\n");
    match login(
        &format!("https://{addr}"),
        "a.b.c",
        &LoginOptions::default(),
    ) {
        Err(ClientError::Transport(_)) => {}
        other => panic!("{other:?}"),
    }
    server.join().unwrap();
}

#[test]
fn urls_that_are_not_a_tenant_are_refused_before_any_request() {
    for url in [
        "acme.eu.qlikcloud.com",
        "ftp://x",
        "https://",
        "https://acme/path",
        "http://a b",
    ] {
        match login(url, "a.b.c", &LoginOptions::default()) {
            Err(ClientError::InvalidUrl(_)) => {}
            other => panic!("{url}: {other:?}"),
        }
    }
}
