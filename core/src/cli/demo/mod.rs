//! The embedded demo key pair. DEMO ONLY: the private key is public (it is in this repository),
//! so anyone can sign tokens with it. Never configure the demo certificate in a real Qlik
//! identity provider. `qlik-jwt keygen` makes a key pair of your own.

/// The demo private key (PKCS#8 PEM, RSA 2048). Public: for demos and tests only.
pub const PRIVATE_KEY_PEM: &str = include_str!("demo-private-key.pem");

/// The demo certificate that belongs to [`PRIVATE_KEY_PEM`].
pub const CERTIFICATE_PEM: &str = include_str!("demo-certificate.pem");

/// The demo identity provider's issuer.
pub const ISSUER: &str = "qlik-jwt-demo";

/// The demo identity provider's Key ID.
pub const KEY_ID: &str = "qlik-jwt-demo";

/// The warning printed wherever the demo key is used.
pub const WARNING: &str =
    "DEMO key: its private half is public; never configure its certificate in a real tenant";
