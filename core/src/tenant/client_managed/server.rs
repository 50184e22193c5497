//! The listening loop of the local proxy: one thread accepting, one thread per connection
//! (bounded); a websocket keeps its thread until it closes, goes idle or the proxy stops.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::sessions::Sessions;
use super::{ClientManagedTenantConfig, engine, proxy};
use crate::error::{Error, ErrorCode, Result};
use crate::tenant::errors::{codes, error};
use crate::tenant::http::{self, ReadError};
use crate::tenant::state::trace_id;

/// The most connections served at once; more get 503 at once.
const MAX_CONNECTIONS: usize = 64;
/// The most of them that may be websockets.
pub(crate) const MAX_WEBSOCKETS: usize = 16;

/// The open websockets, so that stopping the proxy can close them.
#[derive(Default)]
pub(crate) struct OpenWebsockets {
    next: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
    stopped: AtomicBool,
}

/// A registered websocket; dropping it unregisters it.
pub(crate) struct WebsocketSlot<'a> {
    id: u64,
    registry: &'a OpenWebsockets,
}

impl Drop for WebsocketSlot<'_> {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

impl OpenWebsockets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers `stream` as a websocket; `None` when [`MAX_WEBSOCKETS`] are open or the proxy
    /// stops.
    pub fn register(&self, stream: &TcpStream) -> Option<WebsocketSlot<'_>> {
        let mut open = self.lock();
        if open.len() >= MAX_WEBSOCKETS || self.stopped.load(Ordering::SeqCst) {
            return None;
        }
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        open.insert(id, stream.try_clone().ok()?);
        Some(WebsocketSlot { id, registry: self })
    }

    /// Closes every open websocket's connection (their threads then end).
    fn close_all(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        for stream in self.lock().values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// What the connection threads share.
pub(crate) struct Shared {
    pub config: ClientManagedTenantConfig,
    pub cookie_name: String,
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    pub port: u16,
    pub sessions: Mutex<Sessions>,
    pub websockets: OpenWebsockets,
}

impl Shared {
    /// Whether a websocket upgrade may come from `origin`.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        if self.config.allowed_origins.is_empty() {
            let own = [
                self.origin.clone(),
                format!("http://localhost:{}", self.port),
            ];
            own.iter().any(|o| o.eq_ignore_ascii_case(origin))
        } else {
            self.config
                .allowed_origins
                .iter()
                .any(|o| o.eq_ignore_ascii_case(origin))
        }
    }

    /// The allowed origins, for a refusal's text.
    pub fn allowed_origins_text(&self) -> String {
        if self.config.allowed_origins.is_empty() {
            format!(
                "its own origin only ({} or http://localhost:{})",
                self.origin, self.port
            )
        } else {
            self.config.allowed_origins.join(", ")
        }
    }
}

/// A running local client-managed virtual proxy. Dropping it (or
/// [`ClientManagedTenant::shutdown`]) stops it and closes its websockets.
pub struct ClientManagedTenant {
    url: String,
    origin: String,
    cookie_name: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ClientManagedTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientManagedTenant")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl ClientManagedTenant {
    /// Checks `config`, starts the proxy on `config.listen` (a loopback address) and returns
    /// once it accepts connections.
    pub fn start(config: ClientManagedTenantConfig) -> Result<ClientManagedTenant> {
        config.check()?;
        if !config.listen.ip().is_loopback() {
            return Err(Error::plain(
                ErrorCode::InvalidOption,
                format!(
                    "the local proxy listens on loopback only, not {}: it is a test server",
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
        let origin = format!("http://{addr}");
        let url = format!("{origin}/{}", config.prefix);
        let cookie_name = config.cookie_name();
        let shared = Arc::new(Shared {
            config,
            cookie_name: cookie_name.clone(),
            origin: origin.clone(),
            port: addr.port(),
            sessions: Mutex::new(Sessions::default()),
            websockets: OpenWebsockets::default(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread_shared = Arc::clone(&shared);
        let accept_thread = std::thread::Builder::new()
            .name("qlik-jwt-proxy".into())
            .spawn(move || accept_loop(&listener, &thread_shared, &thread_stop))
            .map_err(|e| Error::internal(format!("could not start the proxy thread: {e}")))?;
        Ok(ClientManagedTenant {
            url,
            origin,
            cookie_name,
            addr,
            stop,
            shared,
            accept_thread: Some(accept_thread),
        })
    }

    /// The proxy's URL with its prefix, e.g. `http://127.0.0.1:40123/jwt`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The proxy's origin, e.g. `http://127.0.0.1:40123`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The session cookie's name, e.g. `X-Qlik-Session-jwt-HTTP`.
    pub fn cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The address the proxy listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, closes the open websockets and waits for the accepting
    /// thread to end.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    /// Blocks until the proxy stops (for the command line, which runs until killed).
    pub fn wait(mut self) {
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.shared.websockets.close_all();
        // Wake the blocking accept with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ClientManagedTenant {
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
            .name("qlik-jwt-proxy-conn".into())
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
    // A panic in a handler must not take the proxy down or leave the client hanging.
    let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let is_app = matches!(
            proxy::route(&request.path, &shared.config.prefix),
            Some(proxy::Route::App)
        );
        if is_app && engine::is_upgrade(&request) {
            engine::serve(stream, &request, shared);
            None
        } else {
            Some(proxy::handle(&request, shared))
        }
    }));
    let response = match served {
        Ok(None) => return,
        Ok(Some(response)) => response,
        Err(_) => error(
            500,
            codes::BAD_REQUEST,
            "Internal error",
            "the proxy failed",
            &trace_id(),
        ),
    };
    http::write_response(stream, &response);
}
