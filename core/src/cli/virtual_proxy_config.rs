//! `qlik-jwt virtual-proxy-config`: the JSON body of `POST /qrs/virtualproxyconfig` for a
//! client-managed JWT virtual proxy.

use serde_json::json;

use super::args::VirtualProxyConfigArgs;
use super::certificate::{check_key_matches, pem_certificate};
use super::output::{EXIT_OK, Failure, Out};
use super::proxy_settings::{proxy_settings, signing_key_file};
use crate::setup::VirtualProxyConfig;

pub(crate) fn run(args: &VirtualProxyConfigArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let (certificate_bytes, certificate_pem) = pem_certificate(&args.cert, "the virtual proxy")?;
    let config = VirtualProxyConfig {
        prefix: args.prefix.clone(),
        description: args.description.clone(),
        session_cookie_header_name: args.session_cookie_header_name.clone(),
        certificate_pem,
        proxy: proxy_settings(&args.proxy, true)?,
        load_balancing_node_ids: args.nodes.clone(),
        websocket_origin_allow_list: args.websocket_origins.clone(),
        session_inactivity_timeout_minutes: args.session_inactivity_timeout,
    };
    let body = config.to_json_value()?;
    if let Some(key_path) = &args.key {
        let (key, _) = signing_key_file(key_path, args.passphrase_env.as_deref())?;
        check_key_matches(
            &key,
            key_path,
            &certificate_bytes,
            &args.cert,
            "the virtual proxy would refuse every token it signs",
        )?;
    }
    if out.json {
        out.json_ok(json!({ "body": body }));
    } else {
        out.line(serde_json::to_string_pretty(&body).unwrap_or_default());
        out.note(format!(
            "POST it to https://<central node>:4242/qrs/virtualproxyconfig (with an xrfkey), \
             then link the virtual proxy to a proxy service; tokens go to \
             https://<host>/{}/",
            args.prefix
        ));
    }
    Ok(EXIT_OK)
}
