//! Setting up Qlik JWT authorization.
