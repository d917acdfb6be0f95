//! Fixed-window counters. One SQLite server keeps them in memory; servers on PostgreSQL share
//! them in the `rate_limits` table, so that several instances enforce one limit together.

use crate::error::{AppError, AppResult};
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

/// Where the counters live.
pub enum Limits {
    Memory(RateLimiter),
    Shared(crate::db::Db),
}

impl Limits {
    pub fn for_db(db: &crate::db::Db) -> Limits {
        match db.engine {
            crate::db::Engine::Sqlite => Limits::Memory(RateLimiter::new()),
            crate::db::Engine::Postgres => Limits::Shared(db.clone()),
        }
    }

    /// Counts one hit on `key`; 429 (with the seconds left) when the key is over `limit`.
    pub async fn hit(&self, key: &str, limit: u32, window: Duration) -> AppResult<()> {
        self.counter(key, limit, window, true).await
    }

    /// Whether `key` is already over `limit`, without counting.
    pub async fn check(&self, key: &str, limit: u32, window: Duration) -> AppResult<()> {
        self.counter(key, limit, window, false).await
    }

    async fn counter(&self, key: &str, limit: u32, window: Duration, count: bool) -> AppResult<()> {
        let outcome = match (self, count) {
            (Limits::Memory(m), true) => m.hit(key, limit, window),
            (Limits::Memory(m), false) => m.check(key, limit, window),
            (Limits::Shared(db), _) => db.rate_limit_hit(key, limit, window, count).await?,
        };
        outcome.map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })
    }

    pub async fn clear(&self, key: &str) -> AppResult<()> {
        match self {
            Limits::Memory(m) => m.clear(key),
            Limits::Shared(db) => db.rate_limit_clear(key).await?,
        }
        Ok(())
    }
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
