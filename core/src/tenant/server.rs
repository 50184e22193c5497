//! The listening loop: one thread accepting, one short-lived thread per connection (bounded).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::errors::{codes, error};
use super::http::{self, ReadError};
use super::oauth::OAuthState;
use super::state::{State, trace_id};
use super::{TenantConfig, api};
use crate::error::{Error, ErrorCode, Result};

/// The most connections served at once; more get 503 at once.
const MAX_CONNECTIONS: usize = 64;

/// What the connection threads share.
pub(crate) struct Shared {
    pub config: TenantConfig,
    pub state: Mutex<State>,
    pub oauth: Mutex<OAuthState>,
    pub url: String,
}

/// A running local tenant. Dropping it (or [`Tenant::shutdown`]) stops it.
pub struct Tenant {
    url: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Tenant {
    /// Starts a tenant on `config.listen` (a loopback address) and returns once it accepts
    /// connections.
    pub fn start(config: TenantConfig) -> Result<Tenant> {
        if !config.listen.ip().is_loopback() {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "the local tenant listens on loopback only, not {}: it is a test server",
                    config.listen.ip()
                ),
            ));
        }
        let listener = TcpListener::bind(config.listen).map_err(|e| {
            Error::plain(
                ErrorCode::Io,
                format!("could not listen on {}: {e}", config.listen),
            )
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::plain(ErrorCode::Io, format!("could not read the address: {e}")))?;
        let url = format!("http://{addr}");
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(State::new()?),
            oauth: Mutex::new(OAuthState::default()),
            url: url.clone(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let accept_thread = std::thread::Builder::new()
            .name("qlik-jwt-tenant".into())
            .spawn(move || accept_loop(&listener, &shared, &thread_stop))
            .map_err(|e| Error::internal(format!("could not start the tenant thread: {e}")))?;
        Ok(Tenant {
            url,
            addr,
            stop,
            accept_thread: Some(accept_thread),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the tenant listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and waits for the accepting thread to end. Requests being
    /// served finish on their own threads (within their time limits).
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    /// Blocks until the tenant stops (for the command line, which runs until killed).
    pub fn wait(mut self) {
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Tenant {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &AtomicBool) {
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
        let shared = Arc::clone(shared);
        let active_here = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("qlik-jwt-tenant-conn".into())
            .spawn(move || {
                serve(&stream, &shared);
                active_here.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn serve(stream: &TcpStream, shared: &Shared) {
    let response = match http::read_request(stream) {
        Ok(request) => {
            // A panic in a handler must not take the tenant down or leave the client hanging.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                api::handle(&request, shared)
            }))
            .unwrap_or_else(|_| {
                error(
                    500,
                    codes::BAD_REQUEST,
                    "Internal error",
                    "the tenant failed",
                    &trace_id(),
                )
            })
        }
        Err(ReadError::Closed) => return,
        Err(ReadError::Malformed(why)) => {
            error(400, codes::BAD_REQUEST, "Bad request", why, &trace_id())
        }
        Err(ReadError::TooLarge(why)) => {
            error(413, codes::TOO_LARGE, "Request too large", why, &trace_id())
        }
    };
    http::write_response(stream, &response);
}
