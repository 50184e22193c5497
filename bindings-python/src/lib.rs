//! Python binding of qlik-jwt (filled by the Python package work).
