//! The local tenant: its shared state, served by the common listening loop.

use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};

use super::http::{Request, Response};
use super::listener::{self, Handler, Listening};
use super::oauth::OAuthState;
use super::state::State;
use super::{TenantConfig, api};
use crate::error::Result;

/// What the connection threads share.
pub(crate) struct Shared {
    pub config: TenantConfig,
    pub state: Mutex<State>,
    pub oauth: Mutex<OAuthState>,
    pub url: String,
}

impl Handler for Shared {
    fn answer(&self, _stream: &TcpStream, request: &Request) -> Option<Response> {
        Some(api::handle(request, self))
    }
}

/// A running local tenant. Dropping it (or [`Tenant::shutdown`]) stops it.
pub struct Tenant {
    url: String,
    addr: SocketAddr,
    listening: Listening,
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
        let (listener, addr) = listener::bind_loopback(config.listen, "tenant")?;
        let url = format!("http://{addr}");
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(State::new()?),
            oauth: Mutex::new(OAuthState::default()),
            url: url.clone(),
        });
        let listening = Listening::start(listener, addr, "tenant", shared)?;
        Ok(Tenant {
            url,
            addr,
            listening,
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
        self.listening.stop();
    }

    /// Blocks until the tenant stops (for the command line, which runs until killed).
    pub fn wait(mut self) {
        self.listening.wait();
    }
}
