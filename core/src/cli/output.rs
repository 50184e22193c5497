//! Writing results and failures, as text or one JSON document.

use std::io::{Read as _, Write};
use std::path::Path;

use serde_json::{Value as Json, json};

/// Done.
pub const EXIT_OK: i32 = 0;
/// Problems found, or refused.
pub const EXIT_PROBLEMS: i32 = 1;
/// Usage error.
pub const EXIT_USAGE: i32 = 2;
/// A file could not be read or written.
pub const EXIT_IO: i32 = 3;
/// The tenant could not be reached.
pub const EXIT_UNREACHABLE: i32 = 4;
/// A bug inside qlik-jwt.
pub const EXIT_INTERNAL: i32 = 5;

/// Where a command writes.
pub(crate) struct Out<'a> {
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub json: bool,
}

impl Out<'_> {
    /// Writes a line of text to stdout.
    pub fn line(&mut self, text: impl AsRef<str>) {
        let _ = writeln!(self.stdout, "{}", text.as_ref());
    }

    /// Writes a note to stderr (text mode and JSON mode alike: stdout stays clean).
    pub fn note(&mut self, text: impl AsRef<str>) {
        let _ = writeln!(self.stderr, "qlik-jwt: {}", text.as_ref());
    }

    /// Writes the JSON document of a success: `body` with `"ok": true` first.
    pub fn json_ok(&mut self, body: Json) {
        let mut document = serde_json::Map::new();
        document.insert("ok".into(), Json::Bool(true));
        if let Json::Object(fields) = body {
            document.extend(fields);
        }
        let _ = writeln!(
            self.stdout,
            "{}",
            serde_json::to_string_pretty(&Json::Object(document)).unwrap_or_default()
        );
        let _ = self.stdout.flush();
    }

    /// Reports `failure` and returns its exit code.
    pub fn fail(&mut self, failure: &Failure) -> i32 {
        let _ = writeln!(self.stderr, "qlik-jwt: error: {}", failure.message);
        if self.json {
            let mut error = serde_json::Map::new();
            error.insert("code".into(), Json::String(failure.code.clone()));
            error.insert("message".into(), Json::String(failure.message.clone()));
            if let Some(Json::Object(extra)) = failure.extra.as_deref() {
                error.extend(extra.clone());
            }
            let body = json!({ "ok": false, "error": error });
            let _ = writeln!(
                self.stdout,
                "{}",
                serde_json::to_string_pretty(&body).unwrap_or_default()
            );
        }
        let _ = self.stdout.flush();
        failure.exit
    }
}

/// A failed command: exit code, stable code, message, and fields for the JSON error object.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub exit: i32,
    pub code: String,
    pub message: String,
    pub extra: Option<Box<Json>>,
}

impl Failure {
    pub fn new(exit: i32, code: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            exit,
            code: code.into(),
            message: message.into(),
            extra: None,
        }
    }

    pub fn with_extra(mut self, extra: Json) -> Self {
        self.extra = Some(Box::new(extra));
        self
    }
}

impl From<crate::Error> for Failure {
    fn from(error: crate::Error) -> Self {
        let exit = match error.code() {
            crate::ErrorCode::Io => EXIT_IO,
            crate::ErrorCode::Internal => EXIT_INTERNAL,
            _ => EXIT_PROBLEMS,
        };
        Failure::new(exit, error.code().as_str(), error.message())
    }
}

/// The bytes of `path`, or an I/O failure naming it.
pub(crate) fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::new(
            EXIT_IO,
            "ERR_IO",
            format!("could not read the {what} {}: {e}", path.display()),
        )
    })
}

/// The token from the argument, or from stdin when it is absent or `-` (whitespace trimmed).
pub(crate) fn token_argument(token: Option<&str>) -> Result<String, Failure> {
    let text = match token {
        Some(token) if token != "-" => token.to_owned(),
        _ => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("qlik-jwt: reading the token from stdin (end with Ctrl-D)");
            }
            let mut text = String::new();
            std::io::stdin()
                .take(1024 * 1024)
                .read_to_string(&mut text)
                .map_err(|e| {
                    Failure::new(
                        EXIT_IO,
                        "ERR_IO",
                        format!("could not read the token from stdin: {e}"),
                    )
                })?;
            text
        }
    };
    let token = text.trim();
    if token.is_empty() {
        return Err(Failure::new(
            EXIT_USAGE,
            "ERR_USAGE",
            "no token: pass it as an argument or on stdin",
        ));
    }
    Ok(token.to_owned())
}
