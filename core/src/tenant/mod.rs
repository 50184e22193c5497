//! A local Qlik tenant.
