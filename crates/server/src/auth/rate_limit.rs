//! Fixed-window counters kept in memory. Per instance: with several instances each enforces
//! its own share (issue 9 moves shared limits into the database).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

struct Window {
    started: Instant,
    count: u32,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimiter {
    pub fn new() -> Self {
        RateLimiter {
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit on `key`. `Err(seconds)` when the key is over `limit` in this window.
    pub fn hit(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, w| now.duration_since(w.started) < window);
        }
        let w = windows.entry(key.to_owned()).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(w.started) >= window {
            *w = Window {
                started: now,
                count: 0,
            };
        }
        if w.count >= limit {
            let left = window.saturating_sub(now.duration_since(w.started));
            return Err(left.as_secs().max(1));
        }
        w.count += 1;
        Ok(())
    }

    /// Whether `key` is already over `limit`, without counting.
    pub fn check(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        match windows.get(key) {
            Some(w) if now.duration_since(w.started) < window && w.count >= limit => Err(window
                .saturating_sub(now.duration_since(w.started))
                .as_secs()
                .max(1)),
            _ => Ok(()),
        }
    }

    pub fn clear(&self, key: &str) {
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_and_isolates_keys() {
        let rl = RateLimiter::new();
        let minute = Duration::from_secs(60);
        assert!(rl.hit("a", 2, minute).is_ok());
        assert!(rl.hit("a", 2, minute).is_ok());
        assert!(rl.hit("a", 2, minute).is_err());
        assert!(rl.check("a", 2, minute).is_err());
        assert!(rl.hit("b", 2, minute).is_ok());
        rl.clear("a");
        assert!(rl.hit("a", 2, minute).is_ok());
    }
}
