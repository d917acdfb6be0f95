-- 0012 rate limits shared by every server: with several instances on PostgreSQL each counter
-- (sign-in attempts, posts) lives here so that the limits hold across instances. A single
-- SQLite server keeps its counters in memory and leaves this table empty.
-- Kept in step between ../sqlite and ../postgres.
CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
