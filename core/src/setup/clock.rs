//! Calendar dates without a date library: what certificates, the tenant's JSON and the
//! command's output need.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in whole seconds since the epoch.
pub(crate) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The proleptic Gregorian (year, month, day) of an instant in seconds since the epoch
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_date(secs: i64) -> (i32, u8, u8) {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// An instant as ISO 8601 UTC with milliseconds, e.g. `2026-11-29T04:55:00.000Z`.
pub(crate) fn iso_utc(secs: i64) -> String {
    let (year, month, day) = civil_date(secs);
    let in_day = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::{civil_date, iso_utc};

    #[test]
    fn civil_dates_of_known_instants() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_658_416_389), (2022, 7, 21));
        assert_eq!(civil_date(-86_400), (1969, 12, 31));
        assert_eq!(iso_utc(1_658_416_389), "2022-07-21T15:13:09.000Z");
    }
}
