use crate::both_engines;
use crate::consultations::create;
use crate::consultations::create_published;
use crate::events::read_events;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use yishi_api::{EventKind, FloorState};

/// Members of member1's sector (all invited by `create`), other than member1.
async fn same_sector_members(admin: &Client) -> Vec<String> {
    let sector = account(admin, "member1").await["sector_id"].clone();
    let mut found = Vec::new();
    for n in 2..=40 {
        let name = format!("member{n}");
        if account(admin, &name).await["sector_id"] == sector {
            found.push(name);
        }
    }
    found
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["id"].as_i64())
        .collect()
}

both_engines!(queue_segments_and_the_floor, |app: TestApp| async move {
    let (admin, id, _, _) = create(&app, "public").await;
    let base = format!("/api/v1/consultations/{id}");
    admin
        .post(&format!("{base}/state"), json!({"to": "published"}))
        .await;
    let colleagues = same_sector_members(&admin).await;
    assert!(
        colleagues.len() >= 2,
        "demo data has several members per sector"
    );
    let first = app.signed_in("member1", DEMO_PASSWORD).await;
    let second = app.signed_in(&colleagues[0], DEMO_PASSWORD).await;
    let writer = app.signed_in(&colleagues[1], DEMO_PASSWORD).await;
    let chair = app.signed_in("member2", DEMO_PASSWORD).await;
    let (_, d) = chair.get(&base).await;
    assert_eq!(d["can_run_meeting"], true);
    let (_, d) = first.get(&base).await;
    assert_eq!(d["can_run_meeting"], false);
    assert_eq!(d["can_apply_to_speak"], true);

    let (s, _) = first
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "venue", "summary": "关于补贴标准的建议"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, b) = first
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "venue", "summary": "再来一次"}),
        )
        .await;
    assert_error(s, &b, StatusCode::CONFLICT, "conflict");
    let (s, b) = first
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "venue", "summary": "  "}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    second
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "video", "summary": "通过视频谈加装流程"}),
        )
        .await;
    writer
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "written", "summary": "书面发言全文：建议简化审批。"}),
        )
        .await;
    let (s, _) = app
        .client()
        .await
        .post(
            &format!("{base}/speeches"),
            json!({"mode": "venue", "summary": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "visitors cannot apply");

    // Pending applications are the chair's to see.
    let (_, public_floor) = app.client().await.get(&format!("{base}/floor")).await;
    assert_eq!(public_floor["pending"].as_array().map(Vec::len), Some(0));
    let (_, floor) = chair.get(&format!("{base}/floor")).await;
    let pending: Vec<Value> = floor["pending"].as_array().expect("pending").clone();
    assert_eq!(pending.len(), 3);
    let find = |name: &str| {
        pending
            .iter()
            .find(|s| s["summary"].as_str().is_some_and(|t| t.contains(name)))
            .expect("speech")["id"]
            .as_i64()
            .expect("id")
    };
    let (a, b, w) = (find("补贴"), find("视频"), find("书面"));

    let (s, _) = first
        .post(
            &format!("/api/v1/speeches/{a}/decision"),
            json!({"accept": true}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the chair or staff decide");
    let (s, f) = chair
        .post(
            &format!("/api/v1/speeches/{a}/decision"),
            json!({"accept": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    chair
        .post(
            &format!("/api/v1/speeches/{b}/decision"),
            json!({"accept": true, "minutes": 5}),
        )
        .await;
    let (_, f) = chair
        .post(
            &format!("/api/v1/speeches/{w}/decision"),
            json!({"accept": true}),
        )
        .await;
    assert_eq!(ids(&f["queue"]), vec![a, b]);
    assert_eq!(
        ids(&f["done"]),
        vec![w],
        "a written speech goes straight to the record"
    );
    let (s, b2) = chair
        .post(
            &format!("/api/v1/speeches/{a}/decision"),
            json!({"accept": false}),
        )
        .await;
    assert_error(s, &b2, StatusCode::CONFLICT, "conflict");

    let (s, f) = chair
        .post(&format!("{base}/queue"), json!({"speech_ids": [b, a]}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ids(&f["queue"]), vec![b, a]);
    let (s, e) = chair
        .post(&format!("{base}/queue"), json!({"speech_ids": [b]}))
        .await;
    assert_error(s, &e, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let (s, e) = chair
        .post(&format!("{base}/segment"), json!({"segment": "questions"}))
        .await;
    assert_error(s, &e, StatusCode::CONFLICT, "invalid_transition");
    chair
        .post(&format!("{base}/state"), json!({"to": "live"}))
        .await;

    // A visitor's live room sees every floor change, in order.
    let visitor = app.client().await;
    let mut stream = visitor.stream(&format!("consultation:{id}")).await;

    chair
        .post(&format!("{base}/segment"), json!({"segment": "speeches"}))
        .await;
    let (s, f) = chair.post(&format!("{base}/floor/next"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(f["current"]["id"], b);
    assert_eq!(f["current"]["segment"], "speeches");
    assert_eq!(f["current"]["allotted_seconds"], 300);
    let (_, f) = chair.post(&format!("{base}/floor/next"), json!({})).await;
    assert_eq!(f["current"]["id"], a);
    assert_eq!(f["current"]["allotted_seconds"], 480);
    let (_, f) = chair.post(&format!("{base}/floor/end"), json!({})).await;
    assert!(f["current"].is_null());
    assert_eq!(ids(&f["done"]), vec![b, a, w]);
    assert!(f["done"][0]["used_seconds"]
        .as_i64()
        .is_some_and(|s| s >= 0));
    let (s, e) = chair.post(&format!("{base}/floor/next"), json!({})).await;
    assert_error(s, &e, StatusCode::CONFLICT, "conflict");
    let (s, _) = first.post(&format!("{base}/floor/next"), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let events = read_events(&mut stream, 4).await;
    let floors: Vec<FloorState> = events
        .into_iter()
        .map(|e| match e.event {
            EventKind::FloorChanged { floor } => floor,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(floors[0].segment, Some(yishi_api::Segment::Speeches));
    assert_eq!(floors[1].current.as_ref().map(|s| s.id), Some(b));
    assert_eq!(floors[2].current.as_ref().map(|s| s.id), Some(a));
    assert!(floors[3].current.is_none());
    assert!(
        floors.iter().all(|f| f.pending.is_empty()),
        "events carry the public view"
    );
});

both_engines!(online_topics_have_no_floor, |app: TestApp| async move {
    let admin = app.admin().await;
    let (_, c) = admin
        .post(
            "/api/v1/consultations",
            json!({"kind": "online", "title": "网络议政", "visibility": "public"}),
        )
        .await;
    let id = c["summary"]["id"].as_i64().expect("id");
    let (s, _) = admin
        .post(&format!("/api/v1/consultations/{id}/floor/next"), json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

both_engines!(
    an_application_is_announced_to_the_room,
    |app: TestApp| async move {
        let (_, id) = create_published(&app, "public").await;
        let visitor = app.client().await;
        let mut stream = visitor.stream(&format!("consultation:{id}")).await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, _) = member
            .post(
                &format!("/api/v1/consultations/{id}/speeches"),
                json!({"mode": "venue", "summary": "申请"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let events = read_events(&mut stream, 1).await;
        match &events[0].event {
            EventKind::FloorChanged { floor } => assert!(
                floor.pending.is_empty(),
                "the public view hides applications"
            ),
            other => panic!("unexpected {other:?}"),
        }
    }
);

both_engines!(
    impromptu_remarks_get_five_minutes,
    |app: TestApp| async move {
        let (admin, id, _, _) = create(&app, "public").await;
        let base = format!("/api/v1/consultations/{id}");
        admin
            .post(&format!("{base}/state"), json!({"to": "published"}))
            .await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        member
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "venue", "summary": "会前报名"}),
            )
            .await;
        let (_, floor) = admin.get(&format!("{base}/floor")).await;
        let registered = floor["pending"][0]["id"].as_i64().expect("id");
        admin
            .post(
                &format!("/api/v1/speeches/{registered}/decision"),
                json!({"accept": true}),
            )
            .await;
        admin
            .post(&format!("{base}/state"), json!({"to": "live"}))
            .await;
        let colleague = same_sector_members(&admin).await.remove(0);
        let late = app.signed_in(&colleague, DEMO_PASSWORD).await;
        late.post(
            &format!("{base}/speeches"),
            json!({"mode": "venue", "summary": "即席发言"}),
        )
        .await;
        let (_, floor) = admin.get(&format!("{base}/floor")).await;
        let impromptu = floor["pending"][0]["id"].as_i64().expect("id");
        let (_, floor) = admin
            .post(
                &format!("/api/v1/speeches/{impromptu}/decision"),
                json!({"accept": true}),
            )
            .await;
        let allotted: Vec<i64> = floor["queue"]
            .as_array()
            .expect("queue")
            .iter()
            .filter_map(|s| s["allotted_seconds"].as_i64())
            .collect();
        assert_eq!(
            allotted,
            vec![480, 300],
            "registered 8 minutes, impromptu 5"
        );
        let (s, b) = admin
            .post(
                &format!("/api/v1/speeches/{impromptu}/decision"),
                json!({"accept": true, "minutes": 0}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    }
);
