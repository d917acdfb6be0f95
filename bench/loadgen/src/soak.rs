//! Mixed load for `bench/soak`: anonymous readers, members posting and live subscribers of one
//! consultation, all at once; then checks that nothing was lost: every acknowledged post is
//! stored, every subscriber received every post, and no request failed. Samples the server's
//! memory while it runs.

use crate::{
    open_stream, percentile, rss_mb, stream_request, take_post_ids, Session, ADMIN_PASSWORD,
};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;

const DEMO_PASSWORD: &str = "yishi-demo-2026";

pub struct Load {
    pub readers: usize,
    pub posters: usize,
    pub subscribers: usize,
    pub seconds: u64,
    pub server_pid: Option<u32>,
    pub sample_seconds: u64,
}

/// A published public consultation every member may post in.
async fn room(admin: &Session) -> Result<i64> {
    let org = admin.get("/api/v1/org").await?;
    let sectors: Vec<Value> = org["sectors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["id"].clone())
        .collect();
    let (status, c) = admin
        .post(
            "/api/v1/consultations",
            &json!({"kind": "remote", "title": "负载与稳定性测试协商",
                    "description": "用于负载与长时间运行测试。", "visibility": "public",
                    "starts_at": 1_800_000_000_000i64, "ends_at": 1_800_010_000_000i64,
                    "invited_sectors": sectors}),
        )
        .await?;
    let id = c["summary"]["id"]
        .as_i64()
        .filter(|_| status == 201)
        .with_context(|| format!("create consultation: {status} {c}"))?;
    let (status, b) = admin
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            &json!({"to": "published"}),
        )
        .await?;
    if status != 200 {
        bail!("publish: {status} {b}");
    }
    Ok(id)
}

pub async fn run(base: &str, load: Load) -> Result<Value> {
    let admin = Session::signed_in(base, "admin", ADMIN_PASSWORD).await?;
    let room = room(&admin).await?;
    let stopping = Arc::new(std::sync::atomic::AtomicBool::new(false));

    // Subscribers first: each counts the posts announced on its stream.
    let (addr, target) = stream_request(base, room);
    let (finish_tx, finish_rx) = tokio::sync::watch::channel(false);
    let connected = Arc::new(tokio::sync::Semaphore::new(0));
    let mut streams = Vec::new();
    for _ in 0..load.subscribers {
        let (addr, target, mut finish) = (addr.clone(), target.clone(), finish_rx.clone());
        let connected = connected.clone();
        streams.push(tokio::spawn(async move {
            let Ok(mut socket) = open_stream(&addr, &target).await else {
                connected.add_permits(1);
                return None;
            };
            // Answered: the server has fixed where this stream starts.
            connected.add_permits(1);
            let mut buf = Vec::new();
            let mut chunk = vec![0u8; 16 * 1024];
            let mut seen = 0u64;
            loop {
                tokio::select! {
                    read = socket.read(&mut chunk) => {
                        let n = match read {
                            Ok(0) | Err(_) => return None,
                            Ok(n) => n,
                        };
                        buf.extend_from_slice(&chunk[..n]);
                        take_post_ids(&mut buf, |_| seen += 1);
                    }
                    _ = finish.changed() => return Some(seen),
                }
            }
        }));
        if streams.len() % 500 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // Every stream answered (or failed) before the first post, so each must see them all.
    tokio::time::timeout(
        Duration::from_secs(120),
        connected.acquire_many(load.subscribers as u32),
    )
    .await
    .context("the streams did not connect within 2 minutes")??
    .forget();

    // Posters: each signed in as its own member.
    let mut sessions = Vec::new();
    for n in 1..=load.posters {
        sessions.push(Session::signed_in(base, &format!("member{n}"), DEMO_PASSWORD).await?);
    }
    let posts_path = format!("/api/v1/consultations/{room}/posts");
    let started = Instant::now();
    let mut posters = Vec::new();
    for (n, s) in sessions.into_iter().enumerate() {
        let (path, stopping) = (posts_path.clone(), stopping.clone());
        posters.push(tokio::spawn(async move {
            let mut acknowledged = HashMap::new();
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            let mut i = 0u64;
            while !stopping.load(Ordering::Relaxed) {
                i += 1;
                let body = format!("第 {n} 位委员第 {i} 条意见：建议增设公共停车泊位。");
                let t = Instant::now();
                match s
                    .post(&path, &json!({"kind": "comment", "body": body}))
                    .await
                {
                    Ok((201, post)) => {
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        if let Some(id) = post["id"].as_i64() {
                            acknowledged.insert(id, body);
                        }
                    }
                    Ok((status, b)) => errors.push(format!("{status} {b}")),
                    Err(e) => errors.push(e.to_string()),
                }
            }
            (acknowledged, latencies, errors)
        }));
    }

    // Readers: anonymous visitors reading the thread and the consultation.
    let reads = Arc::new(AtomicU64::new(0));
    let read_errors = Arc::new(AtomicU64::new(0));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(load.readers)
        .build()?;
    let mut readers = Vec::new();
    for n in 0..load.readers {
        let (http, base, stopping) = (http.clone(), base.to_owned(), stopping.clone());
        let (reads, read_errors) = (reads.clone(), read_errors.clone());
        readers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i = n;
            while !stopping.load(Ordering::Relaxed) {
                i += 1;
                let path = if i % 2 == 0 {
                    format!("{base}/api/v1/consultations/{room}/posts?limit=50")
                } else {
                    format!("{base}/api/v1/consultations/{room}")
                };
                let t = Instant::now();
                let ok = match http.get(&path).send().await {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                };
                if ok {
                    reads.fetch_add(1, Ordering::Relaxed);
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    read_errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }

    // Memory while it runs.
    let mut memory = Vec::new();
    let deadline = started + Duration::from_secs(load.seconds);
    while Instant::now() < deadline {
        tokio::time::sleep(
            Duration::from_secs(load.sample_seconds)
                .min(deadline.saturating_duration_since(Instant::now()) + Duration::from_millis(1)),
        )
        .await;
        if let Some(mb) = load.server_pid.and_then(rss_mb) {
            memory.push(json!({"at_s": started.elapsed().as_secs(), "rss_mb": mb}));
        }
    }
    stopping.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();

    let mut acknowledged: HashMap<i64, String> = HashMap::new();
    let mut post_latencies = Vec::new();
    let mut post_errors = Vec::new();
    for p in posters {
        let (a, l, e) = p.await?;
        acknowledged.extend(a);
        post_latencies.extend(l);
        post_errors.extend(e);
    }
    let mut read_latencies = Vec::new();
    for r in readers {
        read_latencies.extend(r.await?);
    }

    // Every acknowledged post is stored, unchanged: the whole thread, page by page.
    let mut stored: HashMap<i64, String> = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{posts_path}?limit=100&cursor={c}"),
            None => format!("{posts_path}?limit=100"),
        };
        let page = admin.get(&path).await?;
        for item in page["items"].as_array().into_iter().flatten() {
            if let (Some(id), Some(html)) = (item["id"].as_i64(), item["body_html"].as_str()) {
                stored.insert(id, html.to_owned());
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) if !c.is_empty() => cursor = Some(c.to_owned()),
            _ => break,
        }
    }
    let lost: Vec<i64> = acknowledged
        .iter()
        .filter(|(id, body)| {
            !stored
                .get(id)
                .is_some_and(|html| html.contains(body.as_str()))
        })
        .map(|(id, _)| *id)
        .collect();

    // Every subscriber saw every post: let the last events arrive, then count.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let _ = finish_tx.send(true);
    let mut received = Vec::new();
    let mut dropped_streams = 0;
    for s in streams {
        match s.await? {
            Some(n) => received.push(n),
            None => dropped_streams += 1,
        }
    }
    let total_posts = stored.len() as u64;
    let short_streams = received.iter().filter(|n| **n < total_posts).count();
    post_latencies.sort_by(f64::total_cmp);
    read_latencies.sort_by(f64::total_cmp);
    let reads = reads.load(Ordering::Relaxed);
    let failed_posts = post_errors.len();
    post_errors.truncate(10);
    Ok(json!({
        "seconds": elapsed,
        "readers": load.readers,
        "posters": load.posters,
        "subscribers": load.subscribers,
        "reads": reads,
        "reads_per_second": reads as f64 / elapsed,
        "read_p50_ms": percentile(&read_latencies, 0.5),
        "read_p99_ms": percentile(&read_latencies, 0.99),
        "read_errors": read_errors.load(Ordering::Relaxed),
        "posts_acknowledged": acknowledged.len(),
        "posts_stored": total_posts,
        "posts_per_second": acknowledged.len() as f64 / elapsed,
        "post_p50_ms": percentile(&post_latencies, 0.5),
        "post_p99_ms": percentile(&post_latencies, 0.99),
        "failed_posts": failed_posts,
        "post_errors": post_errors,
        "lost_posts": lost.len(),
        "streams_dropped": dropped_streams,
        "streams_missing_posts": short_streams,
        "fewest_events_on_a_stream": received.iter().min(),
        "server_rss_mb": memory,
    }))
}
