-- 0001 foundation: organisation, settings, accounts, sessions.
-- Kept in step with ../postgres/0001_foundation.sql (same tables, same columns).
-- Times are Unix milliseconds (UTC) on both engines. Flags are integers 0/1 on both engines:
-- sqlx's Any driver cannot decode SQLite booleans, and one representation keeps SQL shared.

-- Site-wide settings as key/value text (committee name, time zone, footer).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- 界别
CREATE TABLE sectors (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- 专委会
CREATE TABLE committees (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- 承办单位
CREATE TABLE departments (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- 委员工作站
CREATE TABLE workstations (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL DEFAULT ''
);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    -- Mobile number, also usable to sign in; unique when present.
    phone                TEXT UNIQUE,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'member', 'official')),
    title                TEXT,
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sector_id            INTEGER REFERENCES sectors(id),
    committee_id         INTEGER REFERENCES committees(id),
    department_id        INTEGER REFERENCES departments(id),
    workstation_id       INTEGER REFERENCES workstations(id),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX accounts_role ON accounts(role);

-- Server-side sessions. The cookie holds a random token; only its SHA-256 is stored,
-- so a leaked database does not leak usable sessions.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
