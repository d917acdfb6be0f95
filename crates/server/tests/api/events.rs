use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::Duration;
use yishi_api::{EventKind, LiveEvent};

/// Reads `n` events from an open SSE response (fails after 10 s).
pub async fn read_events(res: &mut reqwest::Response, n: usize) -> Vec<LiveEvent> {
    let mut buffer = String::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while events.len() < n {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .expect("events arrive in time")
            .expect("stream")
            .expect("stream open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut id = None;
            let mut data = None;
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(v.trim().to_owned());
                } else if let Some(v) = line.strip_prefix("data:") {
                    data = Some(v.trim().to_owned());
                }
            }
            if let Some(data) = data {
                let event: LiveEvent = serde_json::from_str(&data).expect("event JSON");
                assert_eq!(
                    id.as_deref(),
                    Some(event.id.to_string().as_str()),
                    "id line matches"
                );
                events.push(event);
            }
        }
    }
    events
}

async fn account_id(app: &TestApp, username: &str) -> i64 {
    account(&app.admin().await, username).await["id"]
        .as_i64()
        .expect("id")
}

both_engines!(
    only_the_account_follows_its_own_topic,
    |app: TestApp| async move {
        let id = account_id(&app, "member7").await;
        let anon = app.client().await;
        let (s, b) = anon.get(&format!("/api/v1/events?topics=user:{id}")).await;
        assert_error(s, &b, StatusCode::UNAUTHORIZED, "unauthenticated");
        let other = app.signed_in("member8", DEMO_PASSWORD).await;
        let (s, b) = other.get(&format!("/api/v1/events?topics=user:{id}")).await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
        let (s, b) = other.get("/api/v1/events?topics=planet:1").await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let (s, b) = other.get("/api/v1/events?topics=").await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
);

both_engines!(
    stream_delivers_in_order_and_resumes_without_loss,
    |app: TestApp| async move {
        let id = account_id(&app, "member9").await;
        let admin = app.admin().await;
        let member = app.signed_in("member9", DEMO_PASSWORD).await;
        let mut res = member.stream(&format!("user:{id}")).await;
        assert!(res.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/event-stream"));

        // Another client's change reaches the open stream.
        let (s, _) = admin
            .post(
                &format!("/api/v1/admin/accounts/{id}/reset-password"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let first = read_events(&mut res, 1).await;
        assert_eq!(first[0].event, EventKind::SessionsEnded);
        assert_eq!(first[0].topic, format!("user:{id}"));
        drop(res);

        // While disconnected, two more events happen.
        admin
            .post(
                &format!("/api/v1/admin/accounts/{id}/reset-password"),
                json!({}),
            )
            .await;
        let (_, last) = admin
            .post(
                &format!("/api/v1/admin/accounts/{id}/reset-password"),
                json!({}),
            )
            .await;
        let password = last["one_time_password"]
            .as_str()
            .expect("password")
            .to_owned();

        // Reconnecting with Last-Event-ID delivers exactly the missed events, in order.
        let again = app.signed_in("member9", &password).await;
        let mut res = again
            .raw(
                reqwest::Method::GET,
                &format!("/api/v1/events?topics=user:{id}"),
            )
            .header("Last-Event-ID", first[0].id.to_string())
            .send()
            .await
            .expect("stream");
        let missed = read_events(&mut res, 2).await;
        assert!(
            missed[0].id > first[0].id && missed[1].id > missed[0].id,
            "strictly increasing: {missed:?}"
        );
        // Nothing after them: a new event is the next one delivered, not a repeat.
        again.post("/api/v1/session/everywhere", json!({})).await;
        let next = read_events(&mut res, 1).await;
        assert!(next[0].id > missed[1].id);
    }
);

both_engines!(a_fresh_stream_starts_at_now, |app: TestApp| async move {
    let id = account_id(&app, "member10").await;
    let admin = app.admin().await;
    admin
        .post(
            &format!("/api/v1/admin/accounts/{id}/reset-password"),
            json!({}),
        )
        .await;
    let (_, reset) = admin
        .post(
            &format!("/api/v1/admin/accounts/{id}/reset-password"),
            json!({}),
        )
        .await;
    let member = app
        .signed_in(
            "member10",
            reset["one_time_password"].as_str().expect("password"),
        )
        .await;
    let before = app.db.last_event_id().await.expect("last id");
    assert!(before > 0, "the resets were logged");
    let mut res = member.stream(&format!("user:{id}")).await;
    let (s, _) = member.post("/api/v1/session/everywhere", json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let events = read_events(&mut res, 1).await;
    // The first event delivered is the new one, not the resets from before the stream opened.
    assert!(events[0].id > before, "{events:?} after {before}");
});

both_engines!(
    a_live_room_sees_posts_and_state_changes_in_order,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let (_, member1) = admin.get("/api/v1/admin/accounts?q=member1&limit=1").await;
        let sector = member1["items"][0]["sector_id"].clone();
        let (_, c) = admin
        .post("/api/v1/consultations", json!({"kind": "online", "title": "网络议政：社区养老", "visibility": "public", "invited_sectors": [sector]}))
        .await;
        let id = c["summary"]["id"].as_i64().expect("id");
        let (_, m) = admin
            .post(
                "/api/v1/consultations",
                json!({"kind": "online", "title": "仅委员", "visibility": "members"}),
            )
            .await;
        let members_only = m["summary"]["id"].as_i64().expect("id");
        admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "published"}),
            )
            .await;
        admin
            .post(
                &format!("/api/v1/consultations/{members_only}/state"),
                json!({"to": "published"}),
            )
            .await;

        // A public visitor may watch the public room, not the members-only one.
        let visitor = app.client().await;
        let (s, _) = visitor
            .get(&format!(
                "/api/v1/events?topics=consultation:{members_only}"
            ))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let mut res = visitor.stream(&format!("consultation:{id}")).await;

        let poster = app.signed_in("member1", DEMO_PASSWORD).await;
        let posts = format!("/api/v1/consultations/{id}/posts");
        poster
            .post(&posts, json!({"kind": "comment", "body": "第一条"}))
            .await;
        poster
            .post(&posts, json!({"kind": "comment", "body": "第二条"}))
            .await;
        admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "concluded"}),
            )
            .await;
        let events = read_events(&mut res, 3).await;
        match (&events[0].event, &events[1].event, &events[2].event) {
            (
                EventKind::PostCreated { post: a },
                EventKind::PostCreated { post: b },
                EventKind::StateChanged { state },
            ) => {
                assert!(a.body_html.contains("第一条"));
                assert!(b.body_html.contains("第二条"));
                assert_eq!(*state, yishi_api::ConsultationState::Concluded);
            }
            other => panic!("unexpected events {other:?}"),
        }
        assert!(events[0].id < events[1].id && events[1].id < events[2].id);
    }
);

both_engines!(
    streams_are_routed_apart_from_compression_and_keep_the_api_shape,
    |app: TestApp| async move {
        let id = account_id(&app, "member6").await;
        let member = app.signed_in("member6", DEMO_PASSWORD).await;
        let res = member
            .raw(Method::GET, &format!("/api/v1/events?topics=user:{id}"))
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .expect("stream");
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("content-encoding").is_none());
        // The layers every response gets still apply.
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        drop(res);

        // JSON next to it is still compressed.
        let res = member
            .raw(Method::GET, "/api/v1/openapi.json")
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("document");
        assert_eq!(res.headers()["content-encoding"], "gzip");

        // Other methods on the stream's path answer in the API's error shape.
        let (s, b) = member.send(Method::POST, "/api/v1/events", None).await;
        assert_error(s, &b, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        // And signed-out streams still need their session checked first.
        let (s, b) = app
            .client()
            .await
            .get(&format!("/api/v1/events?topics=user:{id}"))
            .await;
        assert_error(s, &b, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
);

both_engines!(
    a_post_committed_after_its_request_was_abandoned_still_reaches_readers,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let id = open_consultation(&admin).await;
        let path = format!("/api/v1/consultations/{id}/posts");
        let author = yishi_api::AccountId(account_id(&app, "member5").await);
        let anon = app.client().await;
        // An anonymous read now fills the response cache for this page (nothing is changed
        // through the API from here on).
        let (s, before) = anon.get(&path).await;
        assert_eq!(s, StatusCode::OK, "{before}");

        // The storage call alone, as when the client hung up and the handler was dropped
        // before it could wake anyone: the storage layer itself says the post committed.
        let post = app
            .db
            .create_post(
                yishi_server::db::posts::Container::consultation(id),
                &yishi_server::db::posts::NewPostRecord {
                    author,
                    kind: yishi_api::PostKind::Comment,
                    body_md: "散会后才送达的意见",
                    body_html: "<p>散会后才送达的意见</p>",
                    parent_id: None,
                    chapter_id: None,
                    quote: None,
                    root_id: None,
                    depth: 0,
                },
            )
            .await
            .expect("post written");

        // The cached page is stale at once (it would otherwise be served for 2 s).
        let (s, after) = anon.get(&path).await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert_eq!(
            after["total"].as_i64(),
            before["total"].as_i64().map(|n| n + 1),
            "post {} not counted",
            post.id
        );
    }
);
