//! Just enough HTTP/1.1 for the local tenant: one request per connection, bounded in size and
//! time, never panicking on garbage.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most a request line plus headers may take.
pub(crate) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The most a request body may take.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;
/// How long a client may take to send its whole request, or to take the response.
pub(crate) const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// Reads from a socket until a deadline for the whole request, not per read, so a client
/// trickling a byte at a time cannot hold a connection for long.
struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        (&*self.stream).read(buf)
    }
}

/// A parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    /// The path without the query string.
    pub path: String,
    /// The query string, without its `?` (empty when there is none).
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of cookie `name` from the `Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

/// Why a request could not be read; each becomes a 4xx answer (or a silent close).
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The peer closed or timed out before a whole request: nothing to answer.
    Closed,
    /// The request is not HTTP/1.x as this server understands it.
    Malformed(&'static str),
    /// The head or the body is over its limit.
    TooLarge(&'static str),
}

/// Reads one request from `stream`.
pub(crate) fn read_request(stream: &TcpStream) -> Result<Request, ReadError> {
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let deadline = DeadlineReader {
        stream,
        deadline: Instant::now() + IO_TIMEOUT,
    };
    let mut reader = BufReader::new(deadline.take((MAX_HEAD_BYTES + MAX_BODY_BYTES + 1) as u64));
    let mut head_bytes = 0usize;
    let request_line = read_line(&mut reader, &mut head_bytes)?;
    if request_line.is_empty() {
        return Err(ReadError::Closed);
    }
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Malformed(
            "the request line is not METHOD TARGET VERSION",
        ));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Malformed("only HTTP/1.x is served"));
    }
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ReadError::Malformed("the method is not a token"));
    }
    if !target.starts_with('/') {
        return Err(ReadError::Malformed("the target is not an absolute path"));
    }
    let without_fragment = target.split('#').next().unwrap_or("/");
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    let (path, query) = (path.to_owned(), query.to_owned());
    let mut headers = Vec::new();
    loop {
        let line = read_line(&mut reader, &mut head_bytes)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Malformed("a header line has no colon"));
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ReadError::Malformed("a header name is not a token"));
        }
        if headers.len() >= 100 {
            return Err(ReadError::TooLarge("more than 100 headers"));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method: method.to_owned(),
        path,
        query,
        headers,
        body: Vec::new(),
    };
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Malformed(
            "chunked request bodies are not served; send Content-Length",
        ));
    }
    if let Some(length) = request.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| ReadError::Malformed("Content-Length is not a number"))?;
        if length > MAX_BODY_BYTES {
            return Err(ReadError::TooLarge("the body is over 64 KiB"));
        }
        let mut body = vec![0u8; length];
        reader
            .read_exact(&mut body)
            .map_err(|_| ReadError::Closed)?;
        request.body = body;
    }
    Ok(request)
}

fn read_line(reader: &mut impl BufRead, head_bytes: &mut usize) -> Result<String, ReadError> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD_BYTES - (*head_bytes).min(MAX_HEAD_BYTES)) as u64 + 1;
    let read = reader
        .take(limit)
        .read_until(b'\n', &mut line)
        .map_err(|_| ReadError::Closed)?;
    *head_bytes += read;
    if *head_bytes > MAX_HEAD_BYTES {
        return Err(ReadError::TooLarge("the request head is over 16 KiB"));
    }
    if read == 0 || line.last() != Some(&b'\n') {
        return Err(ReadError::Closed);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| ReadError::Malformed("the request head is not UTF-8"))
}

/// A response to write.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a JSON body.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Response {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

/// Writes `response` and closes the connection (one request per connection).
pub(crate) fn write_response(mut stream: &TcpStream, response: &Response) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    if response.status != 204 && response.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes());
    if response.status != 204 && response.status != 304 {
        let _ = stream.write_all(&response.body);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Drain what the client still sends (bounded), so closing does not reset the connection
    // before the client has read the response.
    let mut drain = DeadlineReader {
        stream,
        deadline: Instant::now() + Duration::from_millis(500),
    };
    let mut sink = [0u8; 1024];
    let mut drained = 0usize;
    while let Ok(n) = drain.read(&mut sink) {
        drained += n;
        if n == 0 || drained > MAX_HEAD_BYTES + MAX_BODY_BYTES {
            break;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
