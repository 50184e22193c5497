//! When a failed login is worth another attempt, and how long to wait first.

use std::time::Duration;

use super::ClientError;

/// Statuses a retry can cure: rate limited, and a gateway or service that is down for now; any
/// other refusal would repeat.
pub const RETRIED_STATUSES: [u16; 4] = [429, 502, 503, 504];

/// Retries of a login after the first attempt, by default.
pub const DEFAULT_LOGIN_RETRIES: u32 = 2;

/// The wait before the first retry of a login, by default; each further one waits twice as long.
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_secs(1);

/// The wait stops doubling after this many retries (at 1024 times the first), so a long run of
/// retries keeps a sensible pace.
const MAX_DOUBLINGS: u32 = 10;

/// Retries of a login, each with a newly signed token (Qlik accepts a `jti` once): only what a
/// retry can cure (an unreachable tenant or timeout, HTTP 429/502/503/504), after `first_delay`,
/// doubling each time (up to 1024 times `first_delay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// The wait before the first retry.
    pub first_delay: Duration,
}

impl Default for RetryPolicy {
    /// Two retries, after 1 s and 2 s.
    fn default() -> Self {
        RetryPolicy {
            retries: DEFAULT_LOGIN_RETRIES,
            first_delay: DEFAULT_RETRY_DELAY,
        }
    }
}

impl RetryPolicy {
    /// No retry: the first failure is the answer.
    pub fn none() -> Self {
        RetryPolicy {
            retries: 0,
            first_delay: Duration::ZERO,
        }
    }

    /// The wait before attempt `failed_attempts + 1` after `error`, or `None` when the error is
    /// final (not curable, or no retry left). `failed_attempts` counts from 1.
    pub fn delay_after(&self, failed_attempts: u32, error: &ClientError) -> Option<Duration> {
        if failed_attempts > self.retries || !retryable(error) {
            return None;
        }
        let factor = 1u32 << (failed_attempts - 1).min(MAX_DOUBLINGS);
        Some(self.first_delay.saturating_mul(factor))
    }
}

/// Whether a retry (with a new token) can cure `error`.
pub fn retryable(error: &ClientError) -> bool {
    match error {
        ClientError::Transport(_) => true,
        ClientError::Qlik(e) => RETRIED_STATUSES.contains(&e.status),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::QlikError;

    fn status(code: u16) -> ClientError {
        ClientError::Qlik(Box::new(QlikError::from_response(code, "")))
    }

    #[test]
    fn curable_failures_wait_longer_each_time_until_the_retries_run_out() {
        let policy = RetryPolicy::default();
        let limited = status(429);
        assert_eq!(
            policy.delay_after(1, &limited),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.delay_after(2, &limited),
            Some(Duration::from_secs(2))
        );
        assert_eq!(policy.delay_after(3, &limited), None);
        let down = ClientError::Transport("connection refused".into());
        assert_eq!(policy.delay_after(1, &down), Some(Duration::from_secs(1)));
        for code in [502, 503, 504] {
            assert!(policy.delay_after(1, &status(code)).is_some(), "{code}");
        }
    }

    #[test]
    fn what_a_retry_cannot_cure_is_final() {
        let policy = RetryPolicy::default();
        for code in [400, 401, 403, 404, 500] {
            assert_eq!(policy.delay_after(1, &status(code)), None, "{code}");
        }
        for error in [
            ClientError::InvalidUrl("x".into()),
            ClientError::InvalidArgument("x".into()),
            ClientError::Protocol("x".into()),
        ] {
            assert_eq!(policy.delay_after(1, &error), None);
        }
        assert_eq!(RetryPolicy::none().delay_after(1, &status(429)), None);
    }

    #[test]
    fn many_retries_do_not_overflow() {
        let policy = RetryPolicy {
            retries: u32::MAX,
            first_delay: Duration::from_millis(1),
        };
        assert!(policy.delay_after(40, &status(503)).is_some());
        assert!(policy.delay_after(u32::MAX, &status(503)).is_some());
    }

    #[test]
    fn the_wait_doubles_up_to_1024_times_the_first() {
        let policy = RetryPolicy {
            retries: 100,
            first_delay: Duration::from_millis(500),
        };
        let waits: Vec<_> = (1..=3)
            .map(|attempt| policy.delay_after(attempt, &status(429)))
            .collect();
        assert_eq!(
            waits,
            [500, 1000, 2000].map(|ms| Some(Duration::from_millis(ms)))
        );
        assert_eq!(
            policy.delay_after(41, &status(429)),
            Some(Duration::from_millis(512_000))
        );
        assert!(RETRIED_STATUSES.contains(&429) && !RETRIED_STATUSES.contains(&401));
    }
}
