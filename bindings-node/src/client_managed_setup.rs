//! Client-managed setup from JavaScript: the native half of `virtualProxyConfig` and
//! `importPfx`, over the core's `setup` module.

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use qlik_jwt::setup::{self, VirtualProxyConfig};

use crate::client_managed::{AttributeMappingInput, proxy_settings};
use crate::failure::{Failure, guarded, settled};

/// A JWT virtual proxy's settings, as `virtualProxyConfig` takes them.
#[napi(object)]
pub struct VirtualProxyConfigSettings {
    /// The proxy's prefix (`https://<host>/<prefix>/`).
    pub prefix: String,
    /// The X.509 certificate, PEM.
    pub certificate: String,
    /// The claim of the user id (e.g. `userId`).
    pub user_id_attribute: String,
    /// The claim of the user directory (e.g. `userDirectory`).
    pub user_directory_attribute: String,
    /// The audience the proxy expects.
    pub audience: Option<String>,
    /// The proxy's attribute map.
    pub attributes: Option<Vec<AttributeMappingInput>>,
    /// Shown in the QMC.
    pub description: Option<String>,
    /// `X-Qlik-Session-<prefix>` by default.
    pub session_cookie_header_name: Option<String>,
    /// Server node ids (UUIDs) for load balancing.
    pub load_balancing_node_ids: Option<Vec<String>>,
    /// Hosts allowed to open engine websockets from a browser.
    pub websocket_origin_allow_list: Option<Vec<String>>,
    /// Minutes of inactivity before the proxy ends a session.
    pub session_inactivity_timeout_minutes: Option<u32>,
}

/// The JSON text of the `POST /qrs/virtualproxyconfig` body, or the core's reason why not.
#[napi]
pub fn virtual_proxy_config(settings: VirtualProxyConfigSettings) -> Either<String, Failure> {
    let made = guarded(|| {
        let proxy = proxy_settings(
            settings.user_id_attribute,
            settings.user_directory_attribute,
            settings.audience,
            settings.attributes,
        );
        VirtualProxyConfig {
            prefix: settings.prefix,
            description: settings.description,
            session_cookie_header_name: settings.session_cookie_header_name,
            certificate_pem: settings.certificate,
            proxy,
            load_balancing_node_ids: settings.load_balancing_node_ids.unwrap_or_default(),
            websocket_origin_allow_list: settings.websocket_origin_allow_list.unwrap_or_default(),
            session_inactivity_timeout_minutes: settings.session_inactivity_timeout_minutes,
        }
        .to_json()
    });
    settled(made)
}

/// What a PFX file holds: the private key (PKCS#8 PEM) and its certificates (PEM).
#[napi(object)]
pub struct ImportedPfx {
    /// The private key, unencrypted PKCS#8 PEM.
    pub private_key: String,
    /// The key's certificate, when the file has one.
    pub certificate: Option<String>,
    /// The file's other certificates (the issuing CA).
    pub chain: Vec<String>,
}

/// The private key and certificates of PKCS#12/PFX bytes, decrypted with `password`.
#[napi]
pub fn import_pfx(pfx: Buffer, password: String) -> Either<ImportedPfx, Failure> {
    settled(
        guarded(|| setup::import_pfx(pfx.as_ref(), &password)).map(|imported| ImportedPfx {
            private_key: imported.private_key_pem.to_string(),
            certificate: imported.certificate_pem,
            chain: imported.chain_pem,
        }),
    )
}
