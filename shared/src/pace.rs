//! How long one step of an example lasts.
//!
//! The articles sleep one second between steps so that a person can watch the
//! threads take turns. Tests want the same program in a fraction of that time,
//! so the length of a step comes from one environment variable, read here.
//!
//! ```
//! let step = process_toolkit::pace::step().unwrap();
//! std::thread::sleep(step);
//! ```

use std::time::Duration;

use anyhow::{Context, Result};

/// The variable that sets a step's length in milliseconds (`STEP_MS=50 cargo run -p thread-join`).
pub const STEP_MS: &str = "STEP_MS";

/// A step when `STEP_MS` is not set: the articles' `sleep(1)`.
pub const DEFAULT_STEP: Duration = Duration::from_secs(1);

/// The length of one step: `STEP_MS` milliseconds, or one second when it is unset.
///
/// A value that is not a whole number of milliseconds is an error, not a
/// silent fallback, so a typo in a test or a shell is noticed.
pub fn step() -> Result<Duration> {
    match std::env::var(STEP_MS) {
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_STEP),
        Err(err) => Err(err).context(format!("{STEP_MS} is not valid text")),
        Ok(text) => parse_millis(&text),
    }
}

fn parse_millis(text: &str) -> Result<Duration> {
    let millis: u64 = text.trim().parse().with_context(|| {
        format!("{STEP_MS} must be a whole number of milliseconds, not {text:?}")
    })?;
    Ok(Duration::from_millis(millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_milliseconds() {
        assert_eq!(parse_millis("250").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_millis(" 0 ").unwrap(), Duration::ZERO);
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        let err = parse_millis("1s").unwrap_err().to_string();
        assert!(err.contains("whole number of milliseconds"), "{err}");
        assert!(parse_millis("-5").is_err());
    }
}
