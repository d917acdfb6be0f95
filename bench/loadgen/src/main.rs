//! Load for Yishi's benchmarks, run by `bench/run`: many members posting at once (`write`),
//! many event-stream subscribers to one consultation (`fanout`); and by `bench/soak`: readers,
//! posters and subscribers at once, checked for losses (`soak`). Prints one JSON line of
//! results; the orchestrator makes the table.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod soak;

const DEMO_PASSWORD: &str = "yishi-demo-2026";
const ADMIN_PASSWORD: &str = "yishi-admin-2026";

#[derive(Parser)]
struct Cli {
    /// The server, e.g. http://127.0.0.1:18080
    #[arg(long)]
    url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The admin creates `count` public remote consultations, published (open for posts).
    Setup {
        #[arg(long, default_value_t = 2)]
        count: usize,
    },
    /// `members` demo members (member1…) post reflections into one reading group as fast as
    /// they are answered, for `seconds`.
    Write {
        #[arg(long, default_value_t = 50)]
        members: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// `subscribers` anonymous event streams follow one public consultation; the admin posts
    /// `posts` comments; each arrival's delay is measured from just before the POST.
    Fanout {
        #[arg(long)]
        subscribers: usize,
        #[arg(long, default_value_t = 10)]
        posts: usize,
        /// Reports the server's resident memory with every subscriber connected.
        #[arg(long)]
        server_pid: Option<u32>,
    },
    /// Anonymous readers, posting members (member1…) and anonymous subscribers of one new
    /// public consultation at once for `seconds`; then checks that no post and no event was
    /// lost. Members up to `posters` must exist (`yishi-server seed-members`).
    Soak {
        #[arg(long, default_value_t = 1000)]
        readers: usize,
        #[arg(long, default_value_t = 100)]
        posters: usize,
        #[arg(long, default_value_t = 2000)]
        subscribers: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Samples the server's resident memory every `sample_seconds`.
        #[arg(long)]
        server_pid: Option<u32>,
        #[arg(long, default_value_t = 10)]
        sample_seconds: u64,
    },
}

/// A signed-in (or anonymous) browser: its cookies and CSRF token.
struct Session {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Session {
    async fn anonymous(base: &str) -> Result<Session> {
        let http = reqwest::Client::builder().cookie_store(true).build()?;
        let mut s = Session {
            http,
            base: base.to_owned(),
            csrf: String::new(),
        };
        let body = s.get("/api/v1/session").await?;
        s.csrf = body["csrf_token"].as_str().unwrap_or_default().to_owned();
        Ok(s)
    }

    async fn signed_in(base: &str, login: &str, password: &str) -> Result<Session> {
        let mut s = Session::anonymous(base).await?;
        let (status, body) = s
            .post(
                "/api/v1/session",
                &json!({"login": login, "password": password}),
            )
            .await?;
        if status != 200 {
            bail!("sign in as {login}: {status} {body}");
        }
        s.csrf = body["csrf_token"].as_str().unwrap_or_default().to_owned();
        Ok(s)
    }

    async fn get(&self, path: &str) -> Result<Value> {
        let r = self.http.get(format!("{}{path}", self.base)).send().await?;
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("GET {path}: {status} {body}");
        }
        Ok(body)
    }

    async fn post(&self, path: &str, body: &Value) -> Result<(u16, Value)> {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("X-CSRF-Token", &self.csrf)
            .json(body)
            .send()
            .await?;
        let status = r.status().as_u16();
        Ok((status, r.json().await.unwrap_or(Value::Null)))
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ids(v: &Value) -> impl Iterator<Item = i64> + '_ {
    v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["id"].as_i64().or_else(|| i["summary"]["id"].as_i64()))
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let out = match cli.command {
        Command::Setup { count } => setup(&cli.url, count).await?,
        Command::Write { members, seconds } => write(&cli.url, members, seconds).await?,
        Command::Fanout {
            subscribers,
            posts,
            server_pid,
        } => fanout(&cli.url, subscribers, posts, server_pid).await?,
        Command::Soak {
            readers,
            posters,
            subscribers,
            seconds,
            server_pid,
            sample_seconds,
        } => {
            soak::run(
                &cli.url,
                soak::Load {
                    readers,
                    posters,
                    subscribers,
                    seconds,
                    server_pid,
                    sample_seconds: sample_seconds.max(1),
                },
            )
            .await?
        }
    };
    println!("{out}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------

async fn setup(base: &str, count: usize) -> Result<Value> {
    let admin = Session::signed_in(base, "admin", ADMIN_PASSWORD).await?;
    let mut ids = Vec::new();
    for n in 1..=count {
        let (status, c) = admin
            .post(
                "/api/v1/consultations",
                &json!({"kind": "remote", "title": format!("基准测试公开协商 {n}"),
                        "description": "用于性能基准测试的公开远程协商。", "visibility": "public"}),
            )
            .await?;
        let id = c["summary"]["id"].as_i64();
        let Some(id) = id.filter(|_| status == 201) else {
            bail!("create consultation: {status} {c}");
        };
        let (status, b) = admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                &json!({"to": "published"}),
            )
            .await?;
        if status != 200 {
            bail!("publish consultation: {status} {b}");
        }
        ids.push(id);
    }
    Ok(json!({ "consultations": ids }))
}

async fn write(base: &str, members: usize, seconds: u64) -> Result<Value> {
    let mut sessions = Vec::new();
    for n in 1..=members {
        sessions.push(Session::signed_in(base, &format!("member{n}"), DEMO_PASSWORD).await?);
    }
    // The first group every member may join and post in.
    let groups = sessions[0].get("/api/v1/reading-groups?limit=50").await?;
    let mut group = None;
    'groups: for id in ids(&groups) {
        for s in &sessions {
            let detail = s.get(&format!("/api/v1/reading-groups/{id}")).await?;
            if detail["actions"]["join"] == true {
                let (status, _) = s
                    .post(&format!("/api/v1/reading-groups/{id}/join"), &json!({}))
                    .await?;
                if status != 200 {
                    continue 'groups;
                }
            } else if detail["actions"]["post"] != true {
                continue 'groups;
            }
        }
        group = Some(id);
        break;
    }
    let group = group.context("no reading group all members may post in")?;
    let path = format!("/api/v1/reading-groups/{group}/posts");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, s) in sessions.into_iter().enumerate() {
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut created = Vec::new();
            let mut errors = 0u64;
            let mut i = 0u64;
            while Instant::now() < deadline {
                i += 1;
                let body = json!({"kind": "reflection",
                    "body": format!("第 {n} 位委员的第 {i} 条读书心得：关于基层治理的几点体会。")});
                let t = Instant::now();
                match s.post(&path, &body).await {
                    Ok((201, post)) => {
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        created.extend(post["id"].as_i64());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, created, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut created = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, c, e) = t.await?;
        latencies.extend(l);
        created.extend(c);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(json!({
        "group": group,
        "posts": created.len(),
        "posts_per_second": created.len() as f64 / elapsed,
        "p50_ms": percentile(&latencies, 0.5),
        "p99_ms": percentile(&latencies, 0.99),
        "errors": errors,
        "max_id": created.iter().max(),
        "min_id": created.iter().min(),
    }))
}

// ---------------------------------------------------------------------------------------------

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// The post id of a `post_created` event's JSON (`…"post":{"id":12,…`).
fn post_created_id(data: &str) -> Option<i64> {
    if !data.contains(r#""kind":"post_created""#) {
        return None;
    }
    let rest = &data[data.find(r#""post":{"id":"#)? + r#""post":{"id":"#.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The host:port of `base` and the raw request of an event stream on one consultation.
fn stream_request(base: &str, room: i64) -> (String, String) {
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let request = format!(
        "GET /api/v1/events?topics=consultation:{room} HTTP/1.1\r\nHost: {addr}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    (addr, request)
}

/// Takes every complete frame out of `buf` and calls `found` with the id of each
/// `post_created` event in them. Not a full JSON parse: thousands of streams parsing every
/// event would load the generator more than the server.
fn take_post_ids(buf: &mut Vec<u8>, mut found: impl FnMut(i64)) {
    while let Some(end) = buf.windows(2).position(|w| w == b"\n\n") {
        let frame: Vec<u8> = buf.drain(..end + 2).collect();
        let text = String::from_utf8_lossy(&frame);
        for data in text.lines().filter_map(|l| l.strip_prefix("data:")) {
            if let Some(id) = post_created_id(data) {
                found(id);
            }
        }
    }
}

/// Opens an event stream on a bare socket; returns it once the server answered 200 (the
/// server has then fixed where the stream starts).
async fn open_stream(addr: &str, request: &str) -> Result<tokio::net::TcpStream> {
    let mut socket = tokio::net::TcpStream::connect(addr).await?;
    socket.write_all(request.as_bytes()).await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await? == 0 {
            bail!("closed before the headers");
        }
        head.push(byte[0]);
    }
    if !head.starts_with(b"HTTP/1.1 200") {
        bail!("{}", String::from_utf8_lossy(&head));
    }
    Ok(socket)
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

async fn fanout(
    base: &str,
    subscribers: usize,
    posts: usize,
    server_pid: Option<u32>,
) -> Result<Value> {
    let admin = Session::signed_in(base, "admin", ADMIN_PASSWORD).await?;
    let anonymous = Session::anonymous(base).await?;
    let list = admin.get("/api/v1/consultations?limit=50").await?;
    let mut room = None;
    for id in ids(&list) {
        let open = anonymous.get(&format!("/api/v1/consultations/{id}")).await;
        let detail = admin.get(&format!("/api/v1/consultations/{id}")).await?;
        if open.is_ok() && detail["can_post"] == true {
            room = Some(id);
            break;
        }
    }
    let room = room.context("no public consultation the admin may post in")?;

    // Post id -> wall-clock ms just before its POST was sent.
    let mut sent: HashMap<i64, f64> = HashMap::new();
    let (addr, target) = stream_request(base, room);
    let (finish_tx, finish_rx) = tokio::sync::watch::channel(false);
    let connected = Arc::new(tokio::sync::Semaphore::new(0));
    let mut streams = Vec::new();
    let connect_started = Instant::now();
    for _ in 0..subscribers {
        let (addr, target, connected, mut finish) = (
            addr.clone(),
            target.clone(),
            connected.clone(),
            finish_rx.clone(),
        );
        streams.push(tokio::spawn(async move {
            // A bare socket rather than an HTTP client: with 10,000 streams the client's own
            // per-chunk work would weigh on the shared cores as much as the server's.
            let Ok(mut socket) = open_stream(&addr, &target).await else {
                return (1u64, Vec::new());
            };
            connected.add_permits(1);
            let mut buf = Vec::new();
            let mut chunk = vec![0u8; 16 * 1024];
            let mut seen = 0usize;
            let mut arrivals = Vec::with_capacity(posts);
            while seen < posts {
                let n = match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let arrived = now_ms();
                buf.extend_from_slice(&chunk[..n]);
                take_post_ids(&mut buf, |id| {
                    // Matched with the POST's time at the end: its answer may come after
                    // the event.
                    arrivals.push((id, arrived));
                    seen += 1;
                });
            }
            // Stay connected until every stream is done, so closing ones do not slow the rest.
            let _ = finish.changed().await;
            (u64::from(seen < posts), arrivals)
        }));
        if streams.len() % 500 == 0 {
            tokio::task::yield_now().await;
        }
    }
    let all = tokio::time::timeout(
        Duration::from_secs(120),
        connected.acquire_many(subscribers as u32),
    )
    .await;
    let connect_seconds = connect_started.elapsed().as_secs_f64();
    if all.is_err() {
        bail!(
            "only {} of {subscribers} streams connected",
            connected.available_permits()
        );
    }
    // Streams read "after the newest event" when they start; let the last ones settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let memory = server_pid.and_then(rss_mb);
    let path = format!("/api/v1/consultations/{room}/posts");
    for i in 0..posts {
        // The id is known only from the answer, so the time is taken first and filed after.
        let at = now_ms();
        let (status, post) = admin
            .post(
                &path,
                &json!({"kind": "comment", "body": format!("扇出测试第 {i} 条")}),
            )
            .await?;
        if status != 201 {
            bail!("post failed: {status} {post}");
        }
        if let Some(id) = post["id"].as_i64() {
            sent.insert(id, at);
        }
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = finish_tx.send(true);
    let mut failed = 0;
    // (post id, wall-clock ms of arrival) from every stream.
    let mut arrived_at: Vec<(i64, f64)> = Vec::new();
    for s in streams {
        match tokio::time::timeout(Duration::from_secs(30), s).await {
            Ok(Ok((0, arrivals))) => arrived_at.extend(arrivals),
            Ok(Ok((_, arrivals))) => {
                failed += 1;
                arrived_at.extend(arrivals);
            }
            _ => failed += 1,
        }
    }
    let mut d: Vec<f64> = arrived_at
        .iter()
        .filter_map(|(id, t)| sent.get(id).map(|s| t - s))
        .collect();
    d.sort_by(f64::total_cmp);
    // Per post, in the order posted: where the slow arrivals come from.
    let mut per_post: Vec<(i64, f64)> = Vec::new();
    let mut ids: Vec<i64> = sent.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        let mut ds: Vec<f64> = arrived_at
            .iter()
            .filter(|(i, _)| *i == id)
            .filter_map(|(_, t)| sent.get(&id).map(|s| t - s))
            .collect();
        ds.sort_by(f64::total_cmp);
        per_post.push((id, percentile(&ds, 0.99)));
    }
    Ok(json!({
        "per_post_p99_ms": per_post.iter().map(|p| p.1).collect::<Vec<_>>(),
        "consultation": room,
        "subscribers": subscribers,
        "connect_seconds": connect_seconds,
        "deliveries": d.len(),
        "expected": subscribers * posts,
        "failed_streams": failed,
        "p50_ms": percentile(&d, 0.5),
        "p99_ms": percentile(&d, 0.99),
        "max_ms": d.last(),
        "server_rss_mb": memory,
    }))
}
