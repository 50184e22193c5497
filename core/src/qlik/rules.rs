//! Qlik's rules on single values, shared by the signer (typed input) and the checks (any
//! token), so each rule and its wording exist once.

use super::problems::{Problem, codes};
use super::{AUDIENCE, MAX_WINDOW_SECS};
use crate::alg::{Algorithm, Family};

/// The longest group name Qlik accepts, in characters.
pub const MAX_GROUP_CHARS: usize = 256;

/// A `jti` shorter than this is reported as too weak to be unique (the deprecated `@qlik/sdk`
/// made 8-character ones; a 32-byte random value gives 43).
pub const MIN_JTI_CHARS: usize = 16;

/// The audience of a widely copied code comment, which Qlik refuses.
pub const TYPO_AUDIENCE: &str = "qlik.api/jwt-login-session";

/// `jsonwebtoken` signing options that people put in the payload by mistake, and where each
/// belongs.
pub const SIGNING_OPTIONS: [(&str, &str); 8] = [
    ("keyid", "the header's kid"),
    ("algorithm", "the header's alg"),
    ("issuer", "the iss claim"),
    ("audience", "the aud claim"),
    ("expiresIn", "the exp claim"),
    ("notBefore", "the nbf claim"),
    ("subject", "the sub claim"),
    ("jwtid", "the jti claim"),
];

/// Qlik forbids HS* and unsigned tokens.
pub(crate) fn algorithm(alg: Algorithm) -> Option<Problem> {
    match alg.family() {
        Family::None => Some(Problem::error(
            codes::ALG_NONE,
            "alg is none: the token is unsigned and Qlik refuses it; sign with RS256 and the \
             private key whose certificate the identity provider holds",
        )),
        Family::Hmac => Some(Problem::error(
            codes::ALG_HMAC,
            format!(
                "alg is {alg}: Qlik forbids HMAC algorithms (HS256/384/512); sign with RS256 \
                 and the private key whose certificate the identity provider holds"
            ),
        )),
        Family::Rsa | Family::RsaPss | Family::Ecdsa => None,
    }
}

/// A claim that names someone or something must not be empty.
pub(crate) fn non_empty(claim: &str, value: &str) -> Option<Problem> {
    value.is_empty().then(|| {
        let hint = match claim {
            "sub" => "the user's stable id in the tenant",
            "name" => "the user's display name",
            "iss" => "the identity provider's issuer",
            "jti" => "a unique random id, e.g. 32 random bytes in base64url",
            _ => "a value",
        };
        Problem::error(
            codes::CLAIM_EMPTY,
            format!("{claim} is empty: set it to {hint}"),
        )
    })
}

/// A `jti` that is not long enough to be unique.
pub(crate) fn jti_strength(jti: &str) -> Option<Problem> {
    let len = jti.chars().count();
    (len > 0 && len < MIN_JTI_CHARS).then(|| {
        Problem::warning(
            codes::JTI_SHORT,
            format!(
                "jti has {len} characters: Qlik accepts each jti once, so a short or guessable \
                 one can collide and be refused as a replay; use at least {MIN_JTI_CHARS}, e.g. \
                 32 random bytes in base64url (43 characters)"
            ),
        )
    })
}

/// A group name over Qlik's length limit; `index` is its position in `groups`.
pub(crate) fn group_name(index: usize, name: &str) -> Option<Problem> {
    let len = name.chars().count();
    (len > MAX_GROUP_CHARS).then(|| {
        Problem::error(
            codes::GROUP_TOO_LONG,
            format!(
                "groups[{index}] has {len} characters: Qlik accepts group names of at most \
                 {MAX_GROUP_CHARS}; shorten it or map it to a shorter name"
            ),
        )
    })
}

/// The validity window: `exp` after `nbf`, at most [`MAX_WINDOW_SECS`] apart.
pub(crate) fn window(nbf: f64, exp: f64) -> Option<Problem> {
    let span = exp - nbf;
    if span <= 0.0 {
        let relation = if span == 0.0 {
            "exp equals nbf".to_string()
        } else {
            format!("exp is {} s before nbf", super::show::number(-span))
        };
        Some(Problem::error(
            codes::EXP_NOT_AFTER_NBF,
            format!(
                "{relation}: the token is never valid; set exp after nbf (e.g. nbf 30 s \
                 before the signing instant, exp 5 minutes after it)"
            ),
        ))
    } else if span > MAX_WINDOW_SECS as f64 {
        Some(Problem::error(
            codes::WINDOW_TOO_LONG,
            format!(
                "exp - nbf is {} s: Qlik accepts at most {MAX_WINDOW_SECS} s (60 minutes) \
                 between nbf and exp; shorten the lifetime (a few minutes is enough: the token \
                 is exchanged for a session at once, and the session length is a tenant \
                 setting)",
                super::show::number(span)
            ),
        ))
    } else {
        None
    }
}

/// The `aud` value as a string: Qlik's audience, the typo, or something else.
pub(crate) fn audience(aud: &str) -> Option<Problem> {
    if aud == AUDIENCE {
        None
    } else if aud == TYPO_AUDIENCE {
        Some(Problem::error(
            codes::AUD_TYPO,
            format!(
                "aud is {TYPO_AUDIENCE:?}, the typo of a widely copied code comment: Qlik \
                 accepts only {AUDIENCE:?}"
            ),
        ))
    } else {
        Some(Problem::error(
            codes::AUD_MISMATCH,
            format!(
                "aud is {}: Qlik accepts only {AUDIENCE:?}",
                super::show::text(aud)
            ),
        ))
    }
}
