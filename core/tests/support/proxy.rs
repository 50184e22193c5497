//! What the tests of the local client-managed proxy share: its key files, the clock, and the
//! engine websocket opened with tungstenite.

use std::net::{SocketAddr, TcpStream};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value as Json;
use tungstenite::client::IntoClientRequest as _;
use tungstenite::http::{HeaderName, HeaderValue};
use tungstenite::{Message, WebSocket};

/// The bytes of `tests/keys/<name>`.
pub fn key_file(name: &str) -> Vec<u8> {
    let path = super::keys_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Now, in seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Opens the websocket `url` on `addr` with `headers`: the socket, or the refusal's status.
pub fn upgrade<N: AsRef<str>, V: AsRef<str>>(
    addr: SocketAddr,
    url: &str,
    headers: &[(N, V)],
) -> Result<WebSocket<TcpStream>, u16> {
    let mut request = url.into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            HeaderName::from_bytes(name.as_ref().as_bytes()).unwrap(),
            HeaderValue::from_str(value.as_ref()).unwrap(),
        );
    }
    let stream = TcpStream::connect(addr).unwrap();
    match tungstenite::client::client(request, stream) {
        Ok((socket, _)) => Ok(socket),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(answer))) => {
            Err(answer.status().as_u16())
        }
        Err(other) => panic!("the upgrade failed otherwise: {other}"),
    }
}

/// The next text message as JSON (pings and pongs skipped).
pub fn next_json(socket: &mut WebSocket<TcpStream>) -> Json {
    loop {
        match socket.read().unwrap() {
            Message::Text(text) => return serde_json::from_str(text.as_str()).unwrap(),
            Message::Ping(_) | Message::Pong(_) => {}
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}
