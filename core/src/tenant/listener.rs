//! The listening loop shared by the local tenant and the local proxy: one thread accepting, one
//! short-lived thread per connection (bounded); what a request gets is the handler's business.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::errors::{codes, error};
use super::http::{self, ReadError, Request, Response};
use super::state::trace_id;
use crate::error::{Error, ErrorCode, Result};

/// The most connections served at once; more get 503 at once.
const MAX_CONNECTIONS: usize = 64;

/// What serves the requests of one listening loop (shared by its connection threads).
pub(crate) trait Handler: Send + Sync + 'static {
    /// Answers `request`; `None` when the handler answered on `stream` itself (a websocket).
    fn answer(&self, stream: &TcpStream, request: &Request) -> Option<Response>;
}

/// A loop accepting connections on a loopback address until stopped or dropped.
pub(crate) struct Listening {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

/// Binds `listen`, which must be a loopback address: the local `noun` is a test server.
pub(crate) fn bind_loopback(listen: SocketAddr, noun: &str) -> Result<(TcpListener, SocketAddr)> {
    if !listen.ip().is_loopback() {
        return Err(Error::plain(
            ErrorCode::InvalidOption,
            format!(
                "the local {noun} listens on loopback only, not {}: it is a test server",
                listen.ip()
            ),
        ));
    }
    let listener = TcpListener::bind(listen)
        .map_err(|e| Error::plain(ErrorCode::Io, format!("could not listen on {listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::plain(ErrorCode::Io, format!("could not read the address: {e}")))?;
    Ok((listener, addr))
}

/// Sets the port of loopback address `listen`; 0 picks a free one. Anything else than 0 to
/// 65535 is refused.
pub(crate) fn set_port(listen: &mut SocketAddr, port: i64) -> Result<()> {
    let port = u16::try_from(port).map_err(|_| {
        Error::plain(
            ErrorCode::InvalidOption,
            format!("port {port} is not a port: use 1 to 65535, or 0 for any free one"),
        )
    })?;
    listen.set_port(port);
    Ok(())
}

impl Listening {
    /// Starts accepting on `listener` (bound to `addr`), serving each request with `handler`;
    /// `noun` names the server in thread names and error texts (`tenant`, `proxy`).
    pub fn start<H: Handler>(
        listener: TcpListener,
        addr: SocketAddr,
        noun: &'static str,
        handler: Arc<H>,
    ) -> Result<Listening> {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let accept_thread = std::thread::Builder::new()
            .name(format!("qlik-jwt-{noun}"))
            .spawn(move || accept_loop(&listener, &handler, noun, &thread_stop))
            .map_err(|e| Error::internal(format!("could not start the {noun} thread: {e}")))?;
        Ok(Listening {
            addr,
            stop,
            accept_thread: Some(accept_thread),
        })
    }

    /// Blocks until the accepting thread ends.
    pub fn wait(&mut self) {
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops accepting and waits for the accepting thread to end. Requests being served finish
    /// on their own threads (within their time limits).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        self.wait();
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop<H: Handler>(
    listener: &TcpListener,
    handler: &Arc<H>,
    noun: &'static str,
    stop: &AtomicBool,
) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let busy = error(
                503,
                codes::BUSY,
                "Too many connections",
                "try again",
                &trace_id(),
            );
            http::write_response(&stream, &busy);
            continue;
        }
        let handler = Arc::clone(handler);
        let active_here = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name(format!("qlik-jwt-{noun}-conn"))
            .spawn(move || {
                serve(&stream, handler.as_ref(), noun);
                active_here.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn serve<H: Handler>(stream: &TcpStream, handler: &H, noun: &str) {
    let request = match http::read_request(stream) {
        Ok(request) => request,
        Err(ReadError::Closed) => return,
        Err(ReadError::Malformed(why)) => {
            let answer = error(400, codes::BAD_REQUEST, "Bad request", why, &trace_id());
            return http::write_response(stream, &answer);
        }
        Err(ReadError::TooLarge(why)) => {
            let answer = error(413, codes::TOO_LARGE, "Request too large", why, &trace_id());
            return http::write_response(stream, &answer);
        }
    };
    // A panic in a handler must not take the server down or leave the client hanging.
    let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        handler.answer(stream, &request)
    }));
    let response = match served {
        Ok(None) => return,
        Ok(Some(response)) => response,
        Err(_) => error(
            500,
            codes::BAD_REQUEST,
            "Internal error",
            &format!("the {noun} failed"),
            &trace_id(),
        ),
    };
    http::write_response(stream, &response);
}
