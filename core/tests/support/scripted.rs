//! A scripted loopback HTTP server for the client tests: it answers each request as a script
//! says, by path and headers, and records what it received.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One request received: its request line and headers (names lower case).
pub type Request = (String, HashMap<String, String>);

/// Every request received, in order.
pub type Seen = Arc<Mutex<Vec<Request>>>;

/// Serves on a free loopback port until the test ends; `answer` gives, for a request's path
/// (query included) and headers, the status line's rest with any headers (`"200 OK\r\n..."`)
/// and the body. Returns `http://127.0.0.1:<port>` and the record.
pub fn serve(
    answer: impl Fn(&str, &HashMap<String, String>) -> (&'static str, &'static str) + Send + 'static,
) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let request = line.trim_end().to_owned();
            let mut headers = HashMap::new();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = header.split_once(':') {
                    headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
                }
            }
            let path = request.split(' ').nth(1).unwrap_or("").to_owned();
            let (head, body) = answer(&path, &headers);
            record.lock().unwrap().push((request, headers));
            let _ = write!(
                stream,
                "HTTP/1.1 {head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}
