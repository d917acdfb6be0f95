//! `yishi-server`: serve, migrate, load or reset demo data, create an admin.

use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::PathBuf;
use yishi_server::config::{Config, HashCost, RateLimits};
use yishi_server::db::Db;
use yishi_server::{demo, Application};

#[derive(Parser)]
#[command(name = "yishi-server", about = "Yishi (议事) server")]
struct Cli {
    /// sqlite://path/to/file.db or postgres://user@host/db
    #[arg(
        long,
        env = "YISHI_DATABASE_URL",
        default_value = "sqlite://data/yishi.db"
    )]
    database_url: String,
    #[arg(long, env = "YISHI_DB_CONNECTIONS", default_value_t = 8)]
    db_connections: u32,
    /// Options of `serve`, the default command.
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app (the default).
    Serve,
    /// Create or update the schema, then exit.
    Migrate,
    /// Delete everything and load the demo data again.
    ResetDemo {
        /// Required: this erases the database.
        #[arg(long)]
        yes: bool,
    },
    /// Copy this SQLite database (--database-url) into an empty PostgreSQL database, then
    /// verify every table's row count and checksum on both sides.
    CopyToPostgres {
        /// postgres://user@host/db of an empty database (the schema is created).
        #[arg(long)]
        to: String,
    },
    /// Online backup of the SQLite database while servers keep serving: a consistent,
    /// verified copy at a new path (PostgreSQL: use pg_dump).
    Backup {
        /// The backup file to create; an existing file is never overwritten.
        #[arg(long)]
        to: PathBuf,
    },
    /// Bulk-insert generated posts into one container, for benchmarks (not through the API:
    /// no search index, events or points are written).
    SeedPosts {
        /// `consultation:12`, `reading_group:3`, …; the container need not exist (filler).
        #[arg(long)]
        container: String,
        #[arg(long)]
        count: i64,
        /// Username of the author.
        #[arg(long, default_value = "member1")]
        author: String,
    },
    /// Add demo members member41…memberN (password as the demo's), for load benchmarks.
    SeedMembers {
        #[arg(long)]
        up_to: u32,
    },
    /// Create an admin account (prints a one-time password).
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    #[arg(long, env = "YISHI_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    #[arg(long, env = "YISHI_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Load demo data into an empty database at start-up.
    #[arg(long, env = "YISHI_DEMO", default_value_t = false)]
    demo: bool,
    #[arg(long, env = "YISHI_LOGIN_PER_IP_PER_MINUTE", default_value_t = 20)]
    login_per_ip_per_minute: u32,
    #[arg(long, env = "YISHI_LOGIN_FAILURES_PER_ACCOUNT", default_value_t = 10)]
    login_failures_per_account: u32,
    #[arg(long, env = "YISHI_POSTS_PER_MINUTE", default_value_t = 10)]
    posts_per_minute: u32,
    /// Issues raised through the public micro-consultation form per client address per hour.
    #[arg(long, env = "YISHI_PUBLIC_ISSUES_PER_HOUR", default_value_t = 5)]
    public_issues_per_hour: u32,
    /// Searches per client address per minute.
    #[arg(long, env = "YISHI_SEARCHES_PER_MINUTE", default_value_t = 60)]
    searches_per_minute: u32,
    /// Days after an issue closes before a resident's contact details are erased.
    #[arg(long, env = "YISHI_CONTACT_RETENTION_DAYS", default_value_t = 180)]
    contact_retention_days: i64,
    /// The address people open the app at (links in notification emails).
    #[arg(
        long,
        env = "YISHI_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// SMTP server for notification and password-recovery emails, e.g.
    /// `smtp://user:pass@mail.example.org:587?tls=required`. Unset: no email.
    #[arg(long, env = "YISHI_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender address of emails.
    #[arg(long, env = "YISHI_MAIL_FROM", default_value = "yishi@localhost")]
    mail_from: String,
    /// Webhook for notifications (JSON POST, signed with the secret). Unset: no webhook.
    #[arg(long, env = "YISHI_WEBHOOK_URL")]
    webhook_url: Option<String>,
    /// Shared secret for the webhook signature.
    #[arg(long, env = "YISHI_WEBHOOK_SECRET", default_value = "")]
    webhook_secret: String,
    #[arg(
        long,
        env = "YISHI_PASSWORD_HASHING",
        value_enum,
        default_value = "default"
    )]
    password_hashing: HashCost,
    #[arg(long, env = "YISHI_SESSION_IDLE_MINUTES", default_value_t = 120)]
    session_idle_minutes: i64,
    #[arg(long, env = "YISHI_SESSION_ABSOLUTE_HOURS", default_value_t = 24 * 7)]
    session_absolute_hours: i64,
    /// Comma-separated proxy addresses whose X-Forwarded-For is believed.
    #[arg(long, env = "YISHI_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<IpAddr>,
    /// The site is served over HTTPS (behind a TLS proxy): cookies are Secure with the
    /// `__Host-` prefix and responses carry Strict-Transport-Security.
    #[arg(long, env = "YISHI_SECURE_COOKIES", default_value_t = false)]
    secure_cookies: bool,
    /// How often time-driven changes run (an online topic closing on its closing date).
    #[arg(long, env = "YISHI_SCHEDULE_SECONDS", default_value_t = 30)]
    schedule_seconds: u64,
    /// Also serve GET /api/v1/bench/baseline, the constant 2 KB document benchmarks compare
    /// real endpoints against.
    #[arg(long, env = "YISHI_BENCH_BASELINE", default_value_t = false)]
    bench_baseline: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.database_url, cli.db_connections, cli.serve).await,
        Command::Migrate => {
            let db = Db::connect(&cli.database_url, 2).await?;
            db.migrate().await?;
            println!("schema is up to date");
            Ok(())
        }
        Command::ResetDemo { yes } => {
            anyhow::ensure!(yes, "this erases all data: pass --yes to confirm");
            let db = Db::connect(&cli.database_url, 2).await?;
            db.migrate().await?;
            demo::reset(&db, HashCost::Default).await?;
            demo::load_stories(&db).await?;
            demo::print_accounts();
            Ok(())
        }
        Command::CopyToPostgres { to } => {
            let source = Db::connect(&cli.database_url, 2).await?;
            let target = Db::connect(&to, 4).await?;
            let report = yishi_server::db::copy::sqlite_to_postgres(&source, &target).await?;
            println!("{:<28} {:>10}  checksum", "table", "rows");
            for t in &report {
                println!("{:<28} {:>10}  {}", t.table, t.rows, t.checksum);
            }
            println!(
                "copied and verified {} tables, {} rows",
                report.len(),
                report.iter().map(|t| t.rows).sum::<i64>()
            );
            Ok(())
        }
        Command::Backup { to } => {
            // An existing database only: a mistyped path must not back up a new empty file.
            let url = if cli.database_url.starts_with("sqlite:") && !cli.database_url.contains('?')
            {
                format!("{}?mode=rw", cli.database_url)
            } else {
                cli.database_url.clone()
            };
            let db = Db::connect(&url, 1).await?;
            let started = std::time::Instant::now();
            let report = yishi_server::db::backup::sqlite(&db, &to).await?;
            println!(
                "backed up {} accounts and {} posts ({} bytes) to {} in {:.1} s; integrity check ok",
                report.accounts,
                report.posts,
                report.bytes,
                to.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SeedPosts {
            container,
            count,
            author,
        } => {
            let (kind, id) = container
                .split_once(':')
                .and_then(|(k, i)| Some((k.to_owned(), i.parse::<i64>().ok()?)))
                .ok_or_else(|| anyhow::anyhow!("--container is kind:id, e.g. consultation:12"))?;
            let db = Db::connect(&cli.database_url, 2).await?;
            db.migrate().await?;
            let started = std::time::Instant::now();
            db.seed_posts(&kind, id, &author, count).await?;
            println!(
                "wrote {count} posts into {kind}:{id} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SeedMembers { up_to } => {
            let db = Db::connect(&cli.database_url, 2).await?;
            db.migrate().await?;
            let added = demo::add_members(&db, up_to).await?;
            println!("added {added} members");
            Ok(())
        }
        Command::CreateAdmin { username, name } => {
            let db = Db::connect(&cli.database_url, 2).await?;
            db.migrate().await?;
            let one_time = demo::create_admin(&db, &username, &name).await?;
            println!("created admin {username}; one-time password: {one_time}");
            Ok(())
        }
    }
}

async fn serve(database_url: String, db_connections: u32, args: ServeArgs) -> anyhow::Result<()> {
    if args.webhook_url.as_deref().is_some_and(|u| !u.is_empty()) && args.webhook_secret.len() < 16
    {
        anyhow::bail!(
            "--webhook-secret (YISHI_WEBHOOK_SECRET) must be at least 16 characters when a webhook is configured"
        );
    }
    let config = Config {
        database_url,
        max_db_connections: db_connections,
        bind: args.bind,
        dist_dir: args.dist,
        limits: RateLimits {
            login_per_ip_per_minute: args.login_per_ip_per_minute,
            login_failures_per_account: args.login_failures_per_account,
            posts_per_minute: args.posts_per_minute,
            public_issues_per_hour: args.public_issues_per_hour,
            searches_per_minute: args.searches_per_minute,
        },
        password_hashing: args.password_hashing,
        session_idle_minutes: args.session_idle_minutes,
        session_absolute_hours: args.session_absolute_hours,
        trusted_proxies: args.trusted_proxies,
        secure_cookies: args.secure_cookies,
        schedule_every: std::time::Duration::from_secs(args.schedule_seconds.max(1)),
        contact_retention_days: args.contact_retention_days.max(0),
        outbound: yishi_server::config::Outbound {
            public_url: args.public_url.trim_end_matches('/').to_owned(),
            smtp_url: args.smtp_url.filter(|u| !u.is_empty()),
            mail_from: args.mail_from,
            webhook_url: args.webhook_url.filter(|u| !u.is_empty()),
            webhook_secret: args.webhook_secret,
            retry_base: std::time::Duration::from_secs(30),
            max_attempts: 8,
        },
        bench_baseline: args.bench_baseline,
    };
    let hashing = config.password_hashing;
    let app = Application::build(config).await?;
    if args.demo && demo::load_if_empty(app.db(), hashing).await? {
        demo::load_stories(app.db()).await?;
        println!("loaded demo data");
        demo::print_accounts();
    }
    println!("Yishi is serving on http://127.0.0.1:{}", app.port());
    app.run().await
}
