use crate::both_engines;
use crate::helpers::*;
use crate::reading::fixture;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn search(c: &Client, query: &str) -> Value {
    let q: String = url_escape(query);
    let (s, body) = c.get(&format!("/api/v1/search?q={q}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn links(results: &Value) -> Vec<String> {
    results["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["link"].as_str().expect("link").to_owned())
        .collect()
}

async fn reflection(c: &Client, group: i64, text: &str) -> i64 {
    crate::moderation::reflection(c, group, text).await["id"]
        .as_i64()
        .expect("id")
}

both_engines!(
    chinese_words_inside_longer_phrases_and_visibility,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let owner = app.signed_in("member1", DEMO_PASSWORD).await;
        let anonymous = app.client().await;
        let public = f.public;
        let hidden = f.members_only;

        let care = reflection(
            &member,
            public,
            "读后建议：**建设**社区养老服务中心，方便老人就近照料。",
        )
        .await;
        let parking =
            reflection(&member, public, "小区应增加机械停车位，缓解 parking 难题。").await;
        let secret = reflection(&owner, hidden, "党史群里的社区养老讨论").await;

        // Two-character words found inside longer phrases; snippets mark the match.
        let r = search(&anonymous, "养老").await;
        assert_eq!(
            links(&r),
            vec![format!("/reading-groups/{public}/posts/{care}")],
            "{r}"
        );
        let snippet = &r["items"][0]["snippet"];
        assert!(
            snippet
                .as_array()
                .expect("parts")
                .iter()
                .any(|p| p["hit"] == true && p["text"] == "养老"),
            "{snippet}"
        );
        assert_eq!(r["items"][0]["kind"], "reading_post");
        assert_eq!(r["items"][0]["title"], "乡土中国读书群");
        let r = search(&anonymous, "停车").await;
        assert_eq!(
            links(&r),
            vec![format!("/reading-groups/{public}/posts/{parking}")]
        );
        // English, case-insensitive, and mixed with Chinese.
        let r = search(&anonymous, "PARKING 停车").await;
        assert_eq!(links(&r).len(), 1, "{r}");
        let r = search(&anonymous, "parking 养老").await;
        assert!(links(&r).is_empty(), "every word must match: {r}");

        // Members-only content: signed-in readers only.
        let r = search(&member, "养老").await;
        assert_eq!(
            links(&r),
            vec![
                format!("/reading-groups/{hidden}/posts/{secret}"),
                format!("/reading-groups/{public}/posts/{care}"),
            ],
            "newest first: {r}"
        );
        let r = search(&anonymous, "党史").await;
        assert!(links(&r).is_empty(), "{r}");

        // Edits replace the words; deletes remove the post.
        let path = format!("/api/v1/reading-groups/{public}/posts/{care}");
        let (s, _) = member.put(&path, json!({"body": "改为讨论托育服务"})).await;
        assert_eq!(s, StatusCode::OK);
        assert!(links(&search(&anonymous, "养老").await).is_empty());
        assert_eq!(links(&search(&anonymous, "托育").await).len(), 1);
        let (s, _) = member.send(Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert!(links(&search(&anonymous, "托育").await).is_empty());

        // Bad input is a clear 4xx.
        let (s, body) = anonymous.get("/api/v1/search?q=").await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let long = url_escape(&"长".repeat(101));
        let (s, body) = anonymous.get(&format!("/api/v1/search?q={long}")).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = anonymous.get("/api/v1/search?q=a&kind=planet").await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = anonymous.get("/api/v1/search?q=a&page=0").await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = anonymous.get("/api/v1/search").await;
        assert!(s.is_client_error(), "{body}");
        // Punctuation only: no words, no results.
        let r = search(&anonymous, "，。").await;
        assert!(links(&r).is_empty());
    }
);

both_engines!(
    title_matches_rank_first_then_newer_and_filters_apply,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let admin = f.admin;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let public = f.public;
        // An older post mentioning the word in its body, then a consultation with it in the
        // title, then a newer post: the title match ranks first although it is not newest.
        let older = reflection(&member, public, "关于加装电梯的一点想法").await;
        let (_, consultation, _, _) = crate::consultations::create(&app, "public").await;
        let newer = reflection(&member, public, "再谈加装电梯的资金分担").await;
        let r = search(&admin, "电梯").await;
        assert_eq!(
            links(&r),
            vec![
                format!("/consultations/{consultation}"),
                format!("/reading-groups/{public}/posts/{newer}"),
                format!("/reading-groups/{public}/posts/{older}"),
            ],
            "{r}"
        );
        assert!(r["items"][0]["title_parts"]
            .as_array()
            .expect("title parts")
            .iter()
            .any(|p| p["hit"] == true && p["text"] == "电梯"));
        // The draft consultation is staff-only, as on its page.
        let r = search(&member, "电梯").await;
        assert_eq!(links(&r).len(), 2, "{r}");

        // Type and year filters.
        let (_, r) = admin
            .get("/api/v1/search?q=%E7%94%B5%E6%A2%AF&kind=consultation")
            .await;
        assert_eq!(links(&r), vec![format!("/consultations/{consultation}")]);
        let (_, r) = admin
            .get("/api/v1/search?q=%E7%94%B5%E6%A2%AF&year=2001")
            .await;
        assert!(links(&r).is_empty(), "{r}");

        // Paging: 25 matches make two pages.
        for i in 0..24 {
            reflection(&member, public, &format!("第{i}条：读书笔记")).await;
        }
        let (_, first) = member.get("/api/v1/search?q=%E7%AC%94%E8%AE%B0").await;
        assert_eq!(links(&first).len(), 20);
        assert_eq!(first["has_more"], true);
        let (_, second) = member
            .get("/api/v1/search?q=%E7%AC%94%E8%AE%B0&page=2")
            .await;
        assert_eq!(links(&second).len(), 4);
        assert_eq!(second["has_more"], false);
    }
);

both_engines!(
    rebuilt_index_matches_the_live_one,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        reflection(&member, f.public, "社区养老与机械停车位").await;
        let before = search(&member, "养老").await;
        let docs = app.db.rebuild_search_index().await.expect("rebuild");
        assert!(docs >= 3, "{docs}");
        assert_eq!(search(&member, "养老").await, before);
    }
);
