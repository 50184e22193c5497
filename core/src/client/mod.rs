//! The jwt-session client.
