//! Members-only content never reaches anonymous visitors, anywhere: pages and their Open
//! Graph tags, API lists and their counts, search, event streams and exports.

use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// Words that appear only in members-only content.
const SECRET: [&str; 5] = [
    "内部协商甲",
    "内部意见乙",
    "内部读后丙",
    "内部微协商丁",
    "内部建议戊",
];

/// Everything an anonymous visitor can ask for without an id, as text, with the list totals.
async fn anonymous_view(app: &TestApp) -> (String, Vec<(String, Value)>) {
    let visitor = app.client().await;
    let mut text = String::new();
    let mut totals = Vec::new();
    let lists = [
        "/api/v1/consultations",
        "/api/v1/consultations?state=published",
        "/api/v1/reading-groups",
        "/api/v1/micro-consultations",
        "/api/v1/suggestions",
        "/api/v1/home",
        "/api/v1/site",
        "/api/v1/reading-periods",
    ];
    for path in lists {
        let (s, body) = visitor.get(path).await;
        assert_eq!(s, StatusCode::OK, "{path}: {body}");
        totals.push((path.to_owned(), body["total"].clone()));
        if let Some(counts) = body.get("counts") {
            totals.push((format!("{path} counts"), counts.clone()));
        }
        text.push_str(&body.to_string());
    }
    for word in SECRET.iter().chain(["内部"].iter()) {
        let (s, body) = visitor
            .get(&format!("/api/v1/search?q={}", urlencode(word)))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        totals.push((
            format!("search {word}"),
            json!(body["items"].as_array().map(Vec::len)),
        ));
        text.push_str(&body.to_string());
    }
    (text, totals)
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn assert_clean(what: &str, text: &str) {
    for word in SECRET.iter().chain(["党史学习读书群"].iter()) {
        assert!(!text.contains(word), "{what} shows {word}: {text}");
    }
}

both_engines!(
    members_only_content_never_reaches_anonymous_visitors,
    |_app: TestApp| async move {
        let dir = crate::spa::dist();
        let app = TestApp::spawn_with(_app.engine, |c| c.dist_dir = dir.clone()).await;
        let admin = app.admin().await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let public_consultation = open_consultation(&admin).await;
        // A public and a members-only reading group (whose name is members-only too).
        let reading = crate::reading::fixture(&app).await;
        let (before_text, before_totals) = anonymous_view(&app).await;
        assert_clean("the anonymous view before", &before_text);

        // Members-only content of every kind, with words found nowhere else.
        let (s, created) = admin
            .post(
                "/api/v1/consultations",
                json!({"kind": "remote", "title": SECRET[0], "description": SECRET[0],
                       "visibility": "members", "starts_at": 1_800_000_000_000i64,
                       "ends_at": 1_800_010_000_000i64,
                       "invited_sectors": [account(&admin, "member1").await["sector_id"]]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let secret = created["summary"]["id"].as_i64().expect("id");
        let (s, b) = admin
            .post(
                &format!("/api/v1/consultations/{secret}/state"),
                json!({"to": "published"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let reflection =
            crate::moderation::reflection(&member, reading.members_only, SECRET[2]).await;
        let (s, micro) = member
            .post(
                "/api/v1/micro-consultations",
                json!({"title": SECRET[3], "description": SECRET[3], "location": "向阳区"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{micro}");
        let (s, suggestion) = member
            .post(
                "/api/v1/suggestions",
                json!({"title": SECRET[4], "body": SECRET[4], "location": "向阳区", "public": false}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{suggestion}");
        let id_of = |v: &Value| {
            v["id"]
                .as_i64()
                .or_else(|| v["summary"]["id"].as_i64())
                .unwrap_or_else(|| panic!("id in {v}"))
        };
        let (micro, suggestion) = (id_of(&micro), id_of(&suggestion));

        // An anonymous stream on a public room, open while the members-only post is made.
        let visitor = app.client().await;
        let mut public_room = visitor
            .stream(&format!("consultation:{public_consultation}"))
            .await;
        let (s, b) = member
            .post(
                &format!("/api/v1/consultations/{secret}/posts"),
                json!({"kind": "comment", "body": SECRET[1]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        // Members see it all (so the words are really there to leak).
        let (_, seen) = member
            .get(&format!("/api/v1/consultations/{secret}/posts"))
            .await;
        assert!(seen.to_string().contains(SECRET[1]));
        let (_, found) = member
            .get(&format!("/api/v1/search?q={}", urlencode(SECRET[2])))
            .await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "{found}");

        // Lists, counts and search read exactly as before.
        let (after_text, after_totals) = anonymous_view(&app).await;
        assert_clean("the anonymous view", &after_text);
        assert_eq!(
            before_totals, after_totals,
            "counts changed for anonymous visitors"
        );

        // Each object by id, its parts, and its live stream: refused, never shown.
        let by_id = [
            format!("/api/v1/consultations/{secret}"),
            format!("/api/v1/consultations/{secret}/posts"),
            format!("/api/v1/consultations/{secret}/floor"),
            format!("/api/v1/consultations/{secret}/minutes"),
            format!("/api/v1/consultations/{secret}/recommendations"),
            format!("/api/v1/consultations/{secret}/attachments"),
            format!("/api/v1/reading-groups/{}", reading.members_only),
            format!("/api/v1/reading-groups/{}/posts", reading.members_only),
            format!(
                "/api/v1/reading-groups/{}/posts/{}",
                reading.members_only, reflection["id"]
            ),
            format!("/api/v1/reading-groups/{}/members", reading.members_only),
            format!("/api/v1/micro-consultations/{}", micro),
            format!("/api/v1/micro-consultations/{}/posts", micro),
            format!("/api/v1/suggestions/{}", suggestion),
            "/api/v1/follow-ups/export".to_owned(),
            "/api/v1/duty/overview.csv".to_owned(),
            "/api/v1/admin/accounts".to_owned(),
            "/api/v1/audit".to_owned(),
        ];
        for path in &by_id {
            let res = visitor.raw(Method::GET, path).send().await.expect("GET");
            let status = res.status();
            let text = res.text().await.unwrap_or_default();
            assert!(
                matches!(status.as_u16(), 401 | 403 | 404),
                "{path}: {status} {text}"
            );
            assert_clean(path, &text);
        }
        for topics in [
            format!("consultation:{secret}"),
            format!("consultation:{public_consultation},consultation:{secret}"),
            format!("reading:{}", reading.members_only),
            format!("micro:{}", micro),
        ] {
            let res = visitor
                .raw(Method::GET, &format!("/api/v1/events?topics={topics}"))
                .send()
                .await
                .expect("GET");
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{topics}");
        }
        // The public room's stream carried nothing of the members-only room.
        let mut streamed = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_millis(1500);
        while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, public_room.chunk()).await
        {
            streamed.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert_clean("the public room's stream", &streamed);
        assert!(
            !streamed.contains(&format!("\"consultation:{secret}\"")),
            "{streamed}"
        );

        // Pages: the app's HTML (title, description, Open Graph) names nothing members-only.
        let pages = [
            format!("/consultations/{secret}"),
            format!("/reading-groups/{}", reading.members_only),
            format!("/micro-consultations/{}", micro),
            format!("/suggestions/{}", suggestion),
            "/search?q=内部".to_owned(),
            "/".to_owned(),
        ];
        for page in &pages {
            let res = visitor.raw(Method::GET, page).send().await.expect("page");
            assert_eq!(res.status(), StatusCode::OK, "{page}");
            assert_clean(page, &res.text().await.expect("html"));
        }
        // The public group's page does carry its own name, so the check above can fail.
        let res = visitor
            .raw(Method::GET, &format!("/reading-groups/{}", reading.public))
            .send()
            .await
            .expect("page");
        assert!(res.text().await.expect("html").contains("乡土中国读书群"));
    }
);
