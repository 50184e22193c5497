//! `qlik-jwt tenant` and `qlik-jwt demo`.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{Value as Json, json};

use super::args::TenantArgs;
use super::output::{EXIT_OK, EXIT_PROBLEMS, Failure, Out, read_file};
use super::{demo as demo_key, login, show};
use crate::client::{ClientError, LoginOptions};
use crate::key::{SigningKey, VerifyingKey};
use crate::qlik::{QlikSigner, QlikUser, SignerConfig};
use crate::setup::certificate_from_text;
use crate::setup::clock::now_secs;
use crate::tenant::{OAuthClientRegistration, Tenant, TenantConfig};

pub(crate) fn run(args: &TenantArgs, out: &mut Out<'_>) -> Result<i32, Failure> {
    let oauth_clients = oauth_clients(args)?;
    let jwt_provider =
        args.demo || args.cert.is_some() || args.issuer.is_some() || args.key_id.is_some();
    let mut config = if args.demo {
        demo_config()?
    } else if !jwt_provider && !oauth_clients.is_empty() {
        TenantConfig::oauth_only(Vec::new())
    } else {
        let path = args
            .cert
            .as_deref()
            .ok_or_else(|| usage("--cert is required"))?;
        let certificate = certificate_from_text(&read_file(path, "certificate")?)?;
        let issuer = args
            .issuer
            .clone()
            .ok_or_else(|| usage("--issuer is required"))?;
        let key_id = args
            .key_id
            .clone()
            .ok_or_else(|| usage("--key-id is required"))?;
        TenantConfig::new(certificate, issuer, key_id)
    };
    config.clock_tolerance_secs = args.clock_tolerance;
    config.known_users = (!args.users.is_empty()).then(|| args.users.clone());
    config.web_integration_id = args.web_integration_id.clone();
    config.clock_offset_secs = args.clock_offset;
    if args.no_rate_limit {
        config.logins_per_minute = None;
    }
    config.listen = SocketAddr::from(([127, 0, 0, 1], args.port));
    config.oauth_clients = oauth_clients;
    if let Some(secs) = args.oauth_token_lifetime {
        config.access_token_lifetime_secs = secs;
    }
    let (issuer, key_id) = (config.issuer.clone(), config.key_id.clone());
    let oauth_ids: Vec<String> = config
        .oauth_clients
        .iter()
        .map(|c| c.client_id.clone())
        .collect();
    let tenant = Tenant::start(config)?;
    if out.json {
        // One line, so a script can read the URL before the tenant stops.
        let mut line = json!({ "ok": true, "url": tenant.url() });
        if jwt_provider {
            line["issuer"] = json!(issuer);
            line["keyId"] = json!(key_id);
        }
        if !oauth_ids.is_empty() {
            line["oauthClients"] = json!(oauth_ids);
        }
        out.line(line.to_string());
    } else {
        out.line(format!("local Qlik tenant at {}", tenant.url()));
        if jwt_provider {
            out.line(format!(
                "  identity provider: issuer {issuer:?}, key id {key_id:?}"
            ));
            if args.demo {
                out.line(format!("  ({})", demo_key::WARNING));
            }
            out.line(
                "  POST /login/jwt-session, GET /api/v1/csrf-token, GET|PATCH /api/v1/users/me",
            );
        }
        if !oauth_ids.is_empty() {
            out.line(format!("  OAuth clients: {}", oauth_ids.join(", ")));
            out.line(format!(
                "  POST /oauth/token (audience {}/oauth/token), GET /api/v1/users/me with Authorization: Bearer",
                tenant.url()
            ));
        }
    }
    let _ = out.stdout.flush();
    match args.run_for {
        Some(secs) => {
            std::thread::sleep(Duration::from_secs(secs));
            tenant.shutdown();
        }
        None => tenant.wait(),
    }
    Ok(EXIT_OK)
}

/// The OAuth client of `--oauth-client-id` and `--oauth-jwk`, if given.
fn oauth_clients(args: &TenantArgs) -> Result<Vec<OAuthClientRegistration>, Failure> {
    let (Some(client_id), Some(path)) = (&args.oauth_client_id, &args.oauth_jwk) else {
        return Ok(Vec::new());
    };
    let jwk = read_file(path, "OAuth client JWK")?;
    let jwk =
        std::str::from_utf8(&jwk).map_err(|_| usage("--oauth-jwk is not a JSON text file"))?;
    Ok(vec![OAuthClientRegistration::from_jwk(client_id, jwk)?])
}

/// The tenant of the demo identity provider.
fn demo_config() -> Result<TenantConfig, Failure> {
    let certificate = VerifyingKey::from_public(demo_key::CERTIFICATE_PEM.as_bytes(), None)?;
    Ok(TenantConfig::new(
        certificate,
        demo_key::ISSUER,
        demo_key::KEY_ID,
    ))
}

/// `qlik-jwt demo`: the whole path with no setup.
pub(crate) fn demo(out: &mut Out<'_>) -> Result<i32, Failure> {
    let signer = QlikSigner::new(SignerConfig {
        private_key: SigningKey::from_private(demo_key::PRIVATE_KEY_PEM.as_bytes(), None)?,
        key_id: demo_key::KEY_ID.to_owned(),
        issuer: demo_key::ISSUER.to_owned(),
        algorithm: None,
        not_before_skew_secs: None,
        lifetime_secs: None,
    })?;
    let user = QlikUser {
        sub: "demo-user".into(),
        name: "Demo User".into(),
        email: "demo.user@example.com".into(),
        email_verified: true,
        groups: Some(vec!["Everyone".into()]),
    };
    let now = now_secs();
    let token = signer.sign(&user, now)?;
    let tenant = Tenant::start(demo_config()?)?;
    let options = LoginOptions::default();
    let session = crate::client::login(tenant.url(), &token, &options)
        .map_err(|e| login::failure(&e, "login"))?;
    let me = session
        .get("/api/v1/users/me")
        .map_err(|e| login::failure(&e, "GET /api/v1/users/me"))?;
    let me_json: Json = me
        .json()
        .map_err(|e| login::failure(&e, "GET /api/v1/users/me"))?;
    let replay = match crate::client::login(tenant.url(), &token, &options) {
        Err(ClientError::Qlik(e)) => e,
        Ok(_) => {
            return Err(Failure::new(
                EXIT_PROBLEMS,
                "ERR_DEMO",
                "the local tenant accepted the same token twice",
            ));
        }
        Err(other) => return Err(login::failure(&other, "second login")),
    };
    let (header, payload) = show::parts(&token);
    if out.json {
        out.json_ok(json!({
            "token": token,
            "header": header,
            "payload": payload,
            "tenant": tenant.url(),
            "cookies": session.cookie_names(),
            "csrfToken": session.csrf_token(),
            "me": me_json,
            "replay": { "status": replay.status, "code": replay.code, "title": replay.title },
        }));
    } else {
        out.line(format!(
            "1. signed a Qlik token with the demo key ({})",
            demo_key::WARNING
        ));
        out.line(&token);
        show::print_decoded(out, &header, &payload, now);
        out.line("");
        out.line(format!(
            "2. started a local Qlik tenant at {}",
            tenant.url()
        ));
        out.line("3. POST /login/jwt-session with Authorization: Bearer <token>");
        login::print_session(out, &session);
        out.line("4. GET /api/v1/users/me with the session cookies:");
        out.line(serde_json::to_string_pretty(&me_json).unwrap_or_default());
        out.line(format!(
            "5. the same token again: refused, HTTP {} {} {:?} (a jti is accepted once: sign a new \
             token for every login)",
            replay.status, replay.code, replay.title
        ));
    }
    tenant.shutdown();
    Ok(EXIT_OK)
}

fn usage(message: &str) -> Failure {
    Failure::new(super::EXIT_USAGE, "ERR_USAGE", message)
}
