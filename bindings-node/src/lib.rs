//! Node binding of qlik-jwt (filled by the Node package work).
