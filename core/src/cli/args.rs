//! The command line, as clap derives it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// What `--help` says of the exit codes (the table in the module documentation says the same).
const EXIT_CODES: &str = "\
Exit codes:
  0  done (explain: Qlik would accept the token)
  1  problems found or refused: explain found errors, the tenant refused the login,
     a key or claim Qlik would not take, a key that does not belong to the certificate
  2  usage: unknown flag, missing or malformed argument
  3  a file could not be read or written
  4  the tenant could not be reached
  5  internal error (a bug: please report it)

Quick start: qlik-jwt demo";

/// Make valid Qlik Cloud JWTs, explain invalid ones, and try them against a local tenant.
#[derive(Debug, Parser)]
#[command(
    name = "qlik-jwt",
    version,
    color = clap::ColorChoice::Never,
    after_help = EXIT_CODES,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// Print one JSON document on stdout instead of text (errors too; the message also goes to
    /// stderr).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Make a key pair and a self-signed certificate: privatekey.pem (PKCS#8, mode 0600) and
    /// publickey.cer, as the tutorial's two openssl commands do. With --for oauth: privatekey.pem
    /// and the public JWK publickey.jwk.json for an OAuth client.
    Keygen(KeygenArgs),
    /// Sign a Qlik token (from flags, a JSON file of the user, or --demo) and show it decoded.
    Sign(SignArgs),
    /// Explain a token: every reason Qlik would refuse it, against an identity provider's
    /// settings when given. Exit 1 when Qlik would refuse it.
    Explain(ExplainArgs),
    /// Print the JSON body of POST /api/v1/identity-providers for a JWT identity provider (or
    /// the single-line certificate the console field wants).
    IdpConfig(IdpConfigArgs),
    /// Print the JSON body of POST /qrs/virtualproxyconfig for a client-managed Qlik Sense JWT
    /// virtual proxy.
    VirtualProxyConfig(VirtualProxyConfigArgs),
    /// Log in to a tenant with a token (POST /login/jwt-session) and call a REST endpoint with
    /// the session.
    Login(LoginArgs),
    /// Run a local Qlik tenant on loopback that logs users in with JWTs like Qlik Cloud; with
    /// --profile client-managed, a Qlik Sense JWT virtual proxy with its engine websocket.
    Tenant(TenantArgs),
    /// Sign a token with the demo key, log it in to a local tenant started in-process, call
    /// /api/v1/users/me, and show that the same token is refused a second time.
    Demo(DemoArgs),
    /// Qlik Cloud OAuth with a private key JWT: sign client assertions and explain them.
    Oauth(super::oauth::OauthArgs),
}

/// Which Qlik deployment a command speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum Profile {
    /// Qlik Cloud: a JWT identity provider and `POST /login/jwt-session`.
    #[default]
    Cloud,
    /// Client-managed Qlik Sense (Enterprise on Windows): a JWT virtual proxy.
    ClientManaged,
}

/// The `--profile` flag of the commands that speak to either deployment.
#[derive(Debug, Args, Default)]
pub(crate) struct ProfileArg {
    /// The deployment: cloud (Qlik Cloud) or client-managed (a Qlik Sense JWT virtual proxy).
    #[arg(long, value_enum, default_value_t = Profile::Cloud, value_name = "PROFILE")]
    pub profile: Profile,
}

/// What `qlik-jwt keygen` makes keys for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub(crate) enum KeygenPurpose {
    /// A JWT identity provider: privatekey.pem and the certificate publickey.cer.
    #[default]
    Jwt,
    /// An OAuth client's private key JWT: privatekey.pem and publickey.jwk.json.
    Oauth,
}

#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// What the keys are for: jwt (an identity provider's certificate, default) or oauth (an
    /// OAuth client's public JWK; needs --key-id).
    #[arg(long = "for", value_enum, default_value_t = KeygenPurpose::Jwt, value_name = "PURPOSE")]
    pub purpose: KeygenPurpose,
    /// With --for oauth: rsa (RSA 4096, RS256; default) or ec (P-384, ES384).
    #[arg(long, value_name = "TYPE")]
    pub key_type: Option<String>,
    /// Key type: rsa4096 (default, as the tutorial), rsa3072, rsa2048, p256 (ES256), p384 (ES384).
    #[arg(long = "type", value_name = "TYPE")]
    pub jwt_key_type: Option<String>,
    /// Directory to write the two files into (created if missing).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub out: PathBuf,
    /// Common name of the certificate's subject.
    #[arg(long, default_value = "qlik-jwt", value_name = "NAME")]
    pub cn: String,
    /// Days the certificate is valid (the tutorial uses 1825).
    #[arg(long, default_value_t = 1825, value_name = "DAYS")]
    pub days: u32,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
    /// Also print the identity-provider body for this issuer (with --key-id).
    #[arg(long, requires = "key_id")]
    pub issuer: Option<String>,
    /// The key id: with --issuer, also print the identity-provider body; with --for oauth, the
    /// JWK's kid.
    #[arg(long)]
    pub key_id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Sign with the embedded DEMO key and the demo provider (issuer and key id qlik-jwt-demo);
    /// user flags default to a demo user.
    #[arg(long, conflicts_with_all = ["key", "key_id", "issuer"])]
    pub demo: bool,
    /// The private key file (PEM or DER: PKCS#8, PKCS#1, SEC1; for client-managed also a
    /// PKCS#12 .pfx as Qlik's certificate export writes it).
    #[arg(long, value_name = "FILE", required_unless_present = "demo")]
    pub key: Option<PathBuf>,
    /// Read the key's passphrase from this environment variable (encrypted PKCS#8, or the .pfx
    /// password).
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// The identity provider's Key ID (the header kid; required for cloud unless --demo,
    /// optional for client-managed).
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// The identity provider's issuer (the iss claim; cloud only, required unless --demo).
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// The algorithm (default RS256, or ES256/ES384 for an EC key).
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// A JSON file with the user: {"sub", "name", "email", "email_verified", "groups"}. Flags
    /// override its fields.
    #[arg(long, value_name = "FILE")]
    pub user: Option<PathBuf>,
    #[command(flatten)]
    pub who: UserArgs,
    /// Seconds from now to exp (default 300; exp - nbf must stay within 3600).
    #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
    pub lifetime: Option<i64>,
    /// Seconds nbf lies before now (default 30, so a tenant clock that lags still accepts it).
    #[arg(long, value_name = "SECS", allow_hyphen_values = true)]
    pub not_before: Option<i64>,
    /// Sign as if now were this instant (seconds since the epoch).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    /// Print the token alone (for scripts: TOKEN=$(qlik-jwt sign ... --token-only)).
    #[arg(long, conflicts_with = "json")]
    pub token_only: bool,
    #[command(flatten)]
    pub client_managed: ClientManagedUserArgs,
    #[command(flatten)]
    pub proxy: ProxyJwtArgs,
}

/// The user of a client-managed token (`sign --profile client-managed`).
#[derive(Debug, Args, Default)]
pub(crate) struct ClientManagedUserArgs {
    /// (client-managed) The user id, put under the proxy's user id attribute.
    #[arg(long, value_name = "ID")]
    pub user_id: Option<String>,
    /// (client-managed) The user directory, put under the proxy's user directory attribute.
    #[arg(long, value_name = "DIR")]
    pub user_directory: Option<String>,
    /// (client-managed) One more attribute claim NAME=VALUE (a string); repeat for several.
    #[arg(long = "claim", value_name = "NAME=VALUE")]
    pub claims: Vec<String>,
}

/// The JWT settings of a client-managed virtual proxy (sign, explain, virtual-proxy-config, and
/// the local proxy of `tenant`).
#[derive(Debug, Args, Default)]
pub(crate) struct ProxyJwtArgs {
    /// (client-managed) The claim the proxy reads the user id from, case included (sign and
    /// virtual-proxy-config default to userId).
    #[arg(long, value_name = "NAME")]
    pub user_id_attribute: Option<String>,
    /// (client-managed) The claim the proxy reads the user directory from, case included (sign
    /// and virtual-proxy-config default to userDirectory).
    #[arg(long, value_name = "NAME")]
    pub user_directory_attribute: Option<String>,
    /// (client-managed) The audience the proxy expects (the aud claim).
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
    /// (client-managed) An optional attribute-map entry SENSE=JWT, e.g. group=groups; repeat.
    #[arg(long = "attribute", value_name = "SENSE=JWT")]
    pub attributes: Vec<String>,
    /// (client-managed) A mandatory attribute-map entry SENSE=JWT: the proxy refuses tokens
    /// without that claim; repeat.
    #[arg(long = "mandatory-attribute", value_name = "SENSE=JWT")]
    pub mandatory_attributes: Vec<String>,
}

#[derive(Debug, Args, Default)]
pub(crate) struct UserArgs {
    /// The user's stable id in the tenant (sub).
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Display name (name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Email (email; may be empty).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Whether your app verified that the email belongs to the user (email_verified; required
    /// unless --demo).
    #[arg(long, value_name = "BOOL")]
    pub email_verified: Option<bool>,
    /// A group (groups); repeat for several.
    #[arg(long = "group", value_name = "GROUP")]
    pub groups: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ProviderArgs {
    /// Check against the demo identity provider (its issuer, key id and certificate).
    #[arg(long, conflicts_with_all = ["issuer", "key_id", "cert"])]
    pub demo: bool,
    /// The identity provider's issuer.
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// The identity provider's Key ID.
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// The identity provider's certificate or public key (PEM or DER file).
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The identity provider's clock tolerance in seconds.
    #[arg(long, value_name = "SECS")]
    pub clock_tolerance: Option<i64>,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// The token; omitted or "-": read from stdin.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    #[command(flatten)]
    pub provider: ProviderArgs,
    /// Judge as if now were this instant (seconds since the epoch).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    #[command(flatten)]
    pub proxy: ProxyJwtArgs,
}

#[derive(Debug, Args)]
pub(crate) struct VirtualProxyConfigArgs {
    /// The virtual proxy's prefix: https://<host>/<prefix>/ (lowercase letters, digits, - . _ ~).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: String,
    /// The X.509 certificate (PEM) of the RSA key that signs the tokens.
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// The description shown in the QMC (default: JWT authentication (<prefix>)).
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The session cookie header name (default X-Qlik-Session-<prefix>); unique per proxy.
    #[arg(long, value_name = "NAME")]
    pub session_cookie_header_name: Option<String>,
    /// The id (UUID) of a server node to balance engine sessions over; repeat for several.
    #[arg(long = "node", value_name = "ID")]
    pub nodes: Vec<String>,
    /// A host allowed to open engine websockets from a browser (mashup origin); repeat.
    #[arg(long = "websocket-origin", value_name = "HOST")]
    pub websocket_origins: Vec<String>,
    /// Minutes of inactivity before the proxy ends a session (QRS default 30).
    #[arg(long, value_name = "MINUTES")]
    pub session_inactivity_timeout: Option<u32>,
    /// Check that this private key (PEM, or a .pfx with --passphrase-env) belongs to the
    /// certificate; exit 1 if not.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Read the key's passphrase (or the .pfx password) from this environment variable.
    #[arg(long, value_name = "VAR", requires = "key")]
    pub passphrase_env: Option<String>,
    #[command(flatten)]
    pub proxy: ProxyJwtArgs,
}

#[derive(Debug, Args)]
pub(crate) struct IdpConfigArgs {
    /// The certificate or public key (PEM file, e.g. publickey.cer).
    #[arg(long, value_name = "FILE")]
    pub cert: PathBuf,
    /// The issuer tokens will carry.
    #[arg(long, value_name = "ISS", required_unless_present = "single_line")]
    pub issuer: Option<String>,
    /// The key id tokens will carry.
    #[arg(long, value_name = "KID", required_unless_present = "single_line")]
    pub key_id: Option<String>,
    /// A description for the console.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Clock tolerance in seconds.
    #[arg(long, value_name = "SECS")]
    pub clock_tolerance: Option<u32>,
    /// Check that this private key belongs to the certificate; exit 1 if not.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Print only the certificate on one line, for the console's Certificate field.
    #[arg(long)]
    pub single_line: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// The tenant, e.g. https://acme.eu.qlikcloud.com or http://127.0.0.1:8080.
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// The token; omitted or "-": read from stdin.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Sent as qlik-web-integration-id.
    #[arg(long, value_name = "ID")]
    pub web_integration_id: Option<String>,
    /// The REST path to GET with the session.
    #[arg(long, default_value = "/api/v1/users/me", value_name = "PATH")]
    pub get: String,
    /// Client-managed: the app whose engine websocket URL to print (default: engineData, the
    /// engine's global context).
    #[arg(long, value_name = "ID")]
    pub app: Option<String>,
    /// Client-managed: the proxy's session cookie header name, when it is not the conventional
    /// X-Qlik-Session-<prefix>.
    #[arg(long, value_name = "NAME")]
    pub session_cookie_name: Option<String>,
    /// Client-managed: print the session cookie's value too (it is the session: keep it secret).
    #[arg(long)]
    pub show_cookie: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TenantArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Use the demo identity provider (trusts the public DEMO key).
    #[arg(long, conflicts_with_all = ["cert", "issuer", "key_id"])]
    pub demo: bool,
    /// The provider's certificate or public key (PEM or DER file); client-managed: the virtual
    /// proxy's certificate. Required unless --demo.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The provider's issuer (cloud; required unless --demo).
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// The provider's Key ID (cloud; required unless --demo).
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,
    /// Serve POST /oauth/token to this OAuth client (with --oauth-jwk); with or without a JWT
    /// identity provider.
    #[arg(long, value_name = "ID", requires = "oauth_jwk")]
    pub oauth_client_id: Option<String>,
    /// The OAuth client's public JWK file (kid, alg, use: "sig"), e.g. publickey.jwk.json.
    #[arg(long, value_name = "FILE", requires = "oauth_client_id")]
    pub oauth_jwk: Option<PathBuf>,
    /// Seconds the OAuth access tokens live.
    #[arg(long, value_name = "SECS", requires = "oauth_client_id")]
    pub oauth_token_lifetime: Option<u64>,
    #[command(flatten)]
    pub proxy: ProxyTenantArgs,
    /// The provider's clock tolerance in seconds.
    #[arg(long, value_name = "SECS")]
    pub clock_tolerance: Option<i64>,
    /// Port on 127.0.0.1 (0: a free one).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub port: u16,
    /// A member of the tenant (sub); repeat for several. Without any, every user may log in.
    #[arg(long = "user", value_name = "SUB")]
    pub users: Vec<String>,
    /// Require this qlik-web-integration-id on login.
    #[arg(long, value_name = "ID")]
    pub web_integration_id: Option<String>,
    /// Seconds added to the tenant's clock (negative: a clock that lags).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "SECS",
        allow_hyphen_values = true
    )]
    pub clock_offset: i64,
    /// Do not limit logins to 100 a minute.
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Stop after this many seconds (default: run until killed).
    #[arg(long = "for", value_name = "SECS")]
    pub run_for: Option<u64>,
}

/// The flags of `tenant --profile client-managed`: the virtual proxy's settings.
#[derive(Debug, Args, Default)]
pub(crate) struct ProxyTenantArgs {
    /// client-managed: the virtual proxy prefix (served at http://127.0.0.1:PORT/PREFIX/).
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// The proxy's JWT settings, as sign and explain take them (both attribute names required).
    #[command(flatten)]
    pub jwt: ProxyJwtArgs,
    /// client-managed: the session cookie header name (default X-Qlik-Session-PREFIX; over
    /// http the cookie is that name with -HTTP appended).
    #[arg(long, value_name = "NAME")]
    pub session_cookie_header_name: Option<String>,
    /// client-managed: the parallel sessions a user may hold (default 5, as Qlik).
    #[arg(long, value_name = "N")]
    pub max_parallel_sessions: Option<u32>,
    /// client-managed: an origin a websocket may come from (default: the proxy's own);
    /// repeat for several.
    #[arg(long = "allowed-origin", value_name = "ORIGIN")]
    pub allowed_origins: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {}
