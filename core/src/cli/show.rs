//! Showing a token and its problems to people, or as JSON.

use serde_json::{Value as Json, json};

use super::output::Out;
use crate::jws;
use crate::qlik::{Problem, Severity};
use crate::setup::clock::iso_utc;

/// The decoded header and payload, `null` each when the token does not decode.
pub(crate) fn parts(token: &str) -> (Json, Json) {
    jws::decode_json(token).unwrap_or((Json::Null, Json::Null))
}

/// Problems as JSON objects `{code, severity, message}`.
pub(crate) fn problems_json(problems: &[Problem]) -> Json {
    Json::Array(
        problems
            .iter()
            .map(|p| {
                json!({
                    "code": p.code,
                    "severity": p.severity.as_str(),
                    "message": p.message,
                })
            })
            .collect(),
    )
}

/// Prints the header and the claims, with the times made readable.
pub(crate) fn print_decoded(out: &mut Out<'_>, header: &Json, payload: &Json, now: i64) {
    print_decoded_times(out, header, payload, now, true);
}

/// [`print_decoded`], with Qlik Cloud's one-hour `exp - nbf` window shown only when
/// `cloud_window` (a client-managed virtual proxy has no such limit).
pub(crate) fn print_decoded_times(
    out: &mut Out<'_>,
    header: &Json,
    payload: &Json,
    now: i64,
    cloud_window: bool,
) {
    out.line("header:");
    out.line(indent(&pretty(header)));
    out.line("claims:");
    out.line(indent(&pretty(payload)));
    let time = |name: &str| payload.get(name).and_then(Json::as_f64);
    let mut times = Vec::new();
    for name in ["iat", "nbf", "exp"] {
        if let Some(secs) = time(name) {
            let secs = secs.floor() as i64;
            times.push(format!(
                "  {name} {} ({})",
                iso_utc(secs),
                relative(secs - now)
            ));
        }
    }
    if !times.is_empty() {
        out.line("times:");
        for line in times {
            out.line(line);
        }
        if let (true, Some(nbf), Some(exp)) = (cloud_window, time("nbf"), time("exp")) {
            out.line(format!(
                "  exp - nbf = {} s (Qlik allows at most {})",
                exp - nbf,
                crate::qlik::MAX_WINDOW_SECS
            ));
        }
    }
}

/// Prints the problems, or that there are none.
pub(crate) fn print_problems(out: &mut Out<'_>, problems: &[Problem]) {
    if problems.is_empty() {
        out.line("Qlik checks: none failed; Qlik would accept this token");
        return;
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    if errors == 0 {
        out.line("Qlik checks: Qlik would accept this token, with warnings:");
    } else {
        out.line(format!(
            "Qlik checks: Qlik would refuse this token ({errors} error(s)):"
        ));
    }
    for problem in problems {
        out.line(format!(
            "  {} {}: {}",
            problem.severity, problem.code, problem.message
        ));
    }
}

fn pretty(value: &Json) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn relative(delta: i64) -> String {
    match delta {
        0 => "now".to_owned(),
        d if d > 0 => format!("in {d} s"),
        d => format!("{} s ago", -d),
    }
}
