//! The local proxy: its shared state and open websockets, served by the common listening loop;
//! a websocket keeps its connection thread until it closes, goes idle or the proxy stops.

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::sessions::Sessions;
use super::{ClientManagedTenantConfig, engine, proxy};
use crate::error::Result;
use crate::tenant::http::{Request, Response};
use crate::tenant::listener::{self, Handler, Listening};

/// The most connections that may be websockets (of all those the listening loop serves).
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

impl Handler for Shared {
    fn answer(&self, stream: &TcpStream, request: &Request) -> Option<Response> {
        let is_app = matches!(
            proxy::route(&request.path, &self.config.prefix),
            Some(proxy::Route::App)
        );
        if is_app && engine::is_upgrade(request) {
            engine::serve(stream, request, self);
            None
        } else {
            Some(proxy::handle(request, self))
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
    shared: Arc<Shared>,
    listening: Listening,
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
        let (listener, addr) = listener::bind_loopback(config.listen, "proxy")?;
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
        let listening = Listening::start(listener, addr, "proxy", Arc::clone(&shared))?;
        Ok(ClientManagedTenant {
            url,
            origin,
            cookie_name,
            addr,
            shared,
            listening,
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
        self.listening.wait();
    }

    fn stop_now(&mut self) {
        self.shared.websockets.close_all();
        self.listening.stop();
    }
}

impl Drop for ClientManagedTenant {
    fn drop(&mut self) {
        self.stop_now();
    }
}
