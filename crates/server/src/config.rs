//! Settings from the command line / environment. Tests build a `Config` directly.

use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://data/yishi.db` or `postgres://…`.
    pub database_url: String,
    pub max_db_connections: u32,
    /// `127.0.0.1:8080`; port 0 picks a free port (tests).
    pub bind: String,
    /// The built app (Trunk's `dist/`). Missing folder: the API still works, pages do not.
    pub dist_dir: PathBuf,
    pub limits: RateLimits,
    pub password_hashing: HashCost,
    /// Sign out after this long without a request.
    pub session_idle_minutes: i64,
    /// Sign out this long after signing in, whatever the activity.
    pub session_absolute_hours: i64,
    /// Proxies whose `X-Forwarded-For` is believed for the client address.
    pub trusted_proxies: Vec<IpAddr>,
    /// Served over HTTPS: Secure `__Host-` cookies and Strict-Transport-Security.
    pub secure_cookies: bool,
    /// How often the scheduler looks for time-driven state changes.
    pub schedule_every: std::time::Duration,
    /// Residents' contact details are erased this long after their issue closes.
    pub contact_retention_days: i64,
    /// Outside notification channels.
    pub outbound: Outbound,
    /// Serve the constant `GET /api/v1/bench/baseline` that benchmarks measure against.
    pub bench_baseline: bool,
}

/// Where notifications go outside the app. Unset channels are off.
#[derive(Debug, Clone, Default)]
pub struct Outbound {
    /// The address people open the app at, for links in emails (`https://yishi.example.org`).
    pub public_url: String,
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465`.
    pub smtp_url: Option<String>,
    /// The sender of notification emails.
    pub mail_from: String,
    /// JSON POST target of the webhook channel (an SMS or WeChat gateway).
    pub webhook_url: Option<String>,
    /// Shared secret: each webhook body is signed with HMAC-SHA256 in `X-Yishi-Signature`.
    pub webhook_secret: String,
    /// Delay before the first retry; doubles each attempt.
    pub retry_base: std::time::Duration,
    /// Attempts before a message is given up.
    pub max_attempts: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Sign-in attempts per client address per minute.
    pub login_per_ip_per_minute: u32,
    /// Failed sign-in attempts per account per 15 minutes.
    pub login_failures_per_account: u32,
    /// Posts per account per minute.
    pub posts_per_minute: u32,
    /// Issues raised through the public form per client address per hour.
    pub public_issues_per_hour: u32,
    /// Searches per client address per minute.
    pub searches_per_minute: u32,
}

/// Argon2id cost. Production uses the library defaults; tests use cheap parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HashCost {
    Default,
    Cheap,
    /// For random one-time passwords (~68 bits): lighter than `Default`, never chosen directly.
    #[value(skip)]
    OneTime,
}

impl HashCost {
    /// The cost for hashing generated one-time passwords under this setting.
    pub fn for_one_time(self) -> HashCost {
        match self {
            HashCost::Default | HashCost::OneTime => HashCost::OneTime,
            HashCost::Cheap => HashCost::Cheap,
        }
    }
}

impl Config {
    /// Settings for tests: a given database, port 0, cheap hashes, generous limits.
    pub fn for_tests(database_url: String) -> Config {
        Config {
            database_url,
            max_db_connections: 5,
            bind: "127.0.0.1:0".into(),
            dist_dir: PathBuf::from("dist"),
            limits: RateLimits {
                login_per_ip_per_minute: 1000,
                login_failures_per_account: 1000,
                posts_per_minute: 1000,
                public_issues_per_hour: 1000,
                searches_per_minute: 1000,
            },
            password_hashing: HashCost::Cheap,
            session_idle_minutes: 120,
            session_absolute_hours: 24,
            trusted_proxies: Vec::new(),
            secure_cookies: false,
            schedule_every: std::time::Duration::from_millis(200),
            contact_retention_days: 180,
            outbound: Outbound {
                public_url: "http://127.0.0.1".into(),
                mail_from: "yishi@localhost".into(),
                retry_base: std::time::Duration::from_millis(100),
                max_attempts: 5,
                ..Outbound::default()
            },
            bench_baseline: true,
        }
    }
}
