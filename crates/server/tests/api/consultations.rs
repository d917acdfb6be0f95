use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A consultation inviting member1's sector, answered by official1's department, chaired by member2.
pub async fn create(app: &TestApp, visibility: &str) -> (Client, i64, Value, Value) {
    let admin = app.admin().await;
    let member1 = account(&admin, "member1").await;
    let member2 = account(&admin, "member2").await;
    let official1 = account(&admin, "official1").await;
    let (s, c) = admin
        .post(
            "/api/v1/consultations",
            json!({
                "kind": "remote", "title": "关于老旧小区加装电梯的远程协商",
                "description": "**背景**：老旧小区居民出行难。<script>alert(1)</script>",
                "chair_id": member2["id"], "starts_at": 1_800_000_000_000i64, "ends_at": 1_800_010_000_000i64,
                "venues": "主会场：市政协三楼会议室；分会场：向阳区", "visibility": visibility,
                "invited_sectors": [member1["sector_id"]], "departments": [official1["department_id"]]
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["summary"]["state"], "draft");
    assert!(c["description_html"]
        .as_str()
        .expect("html")
        .contains("<strong>背景</strong>"));
    assert!(!c["description_html"]
        .as_str()
        .expect("html")
        .contains("<script"));
    let id = c["summary"]["id"].as_i64().expect("id");
    (admin, id, member2, official1)
}

/// [`create`], then published (readable, open for posts); returns the admin and the id.
pub async fn create_published(app: &TestApp, visibility: &str) -> (Client, i64) {
    let (admin, id, _, _) = create(app, visibility).await;
    let (s, b) = admin
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            json!({"to": "published"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    (admin, id)
}

both_engines!(
    life_cycle_with_recorded_transitions,
    |app: TestApp| async move {
        let (admin, id, _, _) = create(&app, "public").await;
        let path = format!("/api/v1/consultations/{id}");
        // A draft is invisible to everyone but staff and the chair.
        let (s, _) = app.client().await.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app
            .signed_in("member3", DEMO_PASSWORD)
            .await
            .get(&path)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let chair = app.signed_in("member2", DEMO_PASSWORD).await;
        let (s, _) = chair.get(&path).await;
        assert_eq!(s, StatusCode::OK);

        let state = format!("{path}/state");
        let (s, b) = admin.post(&state, json!({"to": "closed"})).await;
        assert_error(s, &b, StatusCode::CONFLICT, "invalid_transition");
        let (s, b) = chair.post(&state, json!({"to": "published"})).await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
        let (s, b) = admin.post(&state, json!({"to": "published"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _) = app.client().await.get(&path).await;
        assert_eq!(s, StatusCode::OK, "published and public: anyone reads");
        let other = app.signed_in("member3", DEMO_PASSWORD).await;
        let (s, b) = other.post(&state, json!({"to": "live"})).await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
        let (s, _) = chair.post(&state, json!({"to": "live"})).await;
        assert_eq!(s, StatusCode::OK, "the chair starts the meeting");
        let (s, _) = chair.post(&state, json!({"to": "concluded"})).await;
        assert_eq!(s, StatusCode::OK);
        let (s, b) = chair.post(&state, json!({"to": "outcome_published"})).await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
        admin.post(&state, json!({"to": "outcome_published"})).await;
        let (s, done) = admin.post(&state, json!({"to": "closed"})).await;
        assert_eq!(s, StatusCode::OK);
        let transitions = done["transitions"].as_array().expect("transitions");
        let steps: Vec<(&str, &str)> = transitions
            .iter()
            .map(|t| {
                (
                    t["from"].as_str().unwrap_or(""),
                    t["to"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            steps,
            vec![
                ("draft", "published"),
                ("published", "live"),
                ("live", "concluded"),
                ("concluded", "outcome_published"),
                ("outcome_published", "closed")
            ]
        );
        assert_eq!(transitions[1]["actor_name"], "李淑华");
        let (s, b) = admin
            .put(
                &path,
                json!({"kind": "remote", "title": "改", "visibility": "public"}),
            )
            .await;
        assert_error(s, &b, StatusCode::CONFLICT, "conflict");
    }
);

both_engines!(who_reads_and_who_posts, |app: TestApp| async move {
    let (admin, id, _, _) = create(&app, "members").await;
    admin
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            json!({"to": "published"}),
        )
        .await;
    let path = format!("/api/v1/consultations/{id}");
    let posts = format!("{path}/posts");

    let (s, b) = app.client().await.get(&path).await;
    assert_error(s, &b, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (s, _) = app.client().await.get(&posts).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // member1's sector is invited; a member of another sector is not.
    let invited = app.signed_in("member1", DEMO_PASSWORD).await;
    let (_, d) = invited.get(&path).await;
    assert_eq!(d["can_post"], true);
    let outsider_name = {
        let mut found = None;
        for n in 2..=40 {
            let a = account(&admin, &format!("member{n}")).await;
            if a["sector_id"] != account(&admin, "member1").await["sector_id"] {
                found = Some(format!("member{n}"));
                break;
            }
        }
        found.expect("a member of another sector")
    };
    let outsider = app.signed_in(&outsider_name, DEMO_PASSWORD).await;
    let (_, d) = outsider.get(&path).await;
    assert_eq!(d["can_post"], false);
    let (s, b) = outsider
        .post(&posts, json!({"kind": "comment", "body": "我也想说"}))
        .await;
    assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");

    let (s, q) = invited
        .post(
            &posts,
            json!({"kind": "question", "body": "加装电梯的补贴标准是多少？"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let qid = q["id"].as_i64().expect("id");
    let (s, b) = invited
        .post(&posts, json!({"kind": "comment", "body": "   "}))
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (s, _) = invited
        .post(
            &posts,
            json!({"kind": "answer", "body": "委员不能回答", "parent_id": qid}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The participating department answers; another department cannot.
    let official = app.signed_in("official1", DEMO_PASSWORD).await;
    let (s, b) = official
        .post(
            &posts,
            json!({"kind": "answer", "body": "每台补贴15万元。"}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (s, a) = official
        .post(
            &posts,
            json!({"kind": "answer", "body": "每台补贴15万元。", "parent_id": qid}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["parent_id"], qid);
    let (s, _) = official
        .post(&posts, json!({"kind": "comment", "body": "部门不发表评论"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let other_department = app.signed_in("official2", DEMO_PASSWORD).await;
    let (s, _) = other_department
        .post(
            &posts,
            json!({"kind": "answer", "body": "不是我们的", "parent_id": qid}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Replies are one level deep.
    let (s, r) = invited
        .post(
            &posts,
            json!({"kind": "reply", "body": "谢谢答复", "parent_id": a["id"]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reply to an answer (itself a child) nests too deep: {r}"
    );
    let (s, r) = invited
        .post(
            &posts,
            json!({"kind": "reply", "body": "补充一点", "parent_id": qid}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, b) = invited
        .post(
            &posts,
            json!({"kind": "reply", "body": "x", "parent_id": 999_999}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    // Likes: one per account.
    let like = format!("/api/v1/posts/{qid}/like");
    invited.post(&like, json!({})).await;
    let (_, twice) = invited.post(&like, json!({})).await;
    assert_eq!(twice["like_count"], 1);
    let (_, two) = outsider.post(&like, json!({})).await;
    assert_eq!(two["like_count"], 2);
    let (_, back) = outsider.send(reqwest::Method::DELETE, &like, None).await;
    assert_eq!(back["like_count"], 1);

    let (_, list) = outsider.get(&posts).await;
    let kinds: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, vec!["question", "answer", "reply"]);
    assert_eq!(list["items"][0]["like_count"], 1);

    // Once concluded, nobody posts.
    admin
        .post(&format!("{path}/state"), json!({"to": "live"}))
        .await;
    admin
        .post(&format!("{path}/state"), json!({"to": "concluded"}))
        .await;
    let (s, _) = invited
        .post(&posts, json!({"kind": "comment", "body": "晚了"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both_engines!(
    lists_show_what_each_reader_may_see,
    |app: TestApp| async move {
        let (admin, public_id, _, _) = create(&app, "public").await;
        let (_, members_id, _, _) = create(&app, "members").await;
        let (_, draft_id, _, _) = create(&app, "public").await;
        for id in [public_id, members_id] {
            admin
                .post(
                    &format!("/api/v1/consultations/{id}/state"),
                    json!({"to": "published"}),
                )
                .await;
        }
        let ids = |page: &Value| -> Vec<i64> {
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|c| c["id"].as_i64())
                .collect()
        };
        let (_, anon) = app.client().await.get("/api/v1/consultations").await;
        assert_eq!(ids(&anon), vec![public_id]);
        let (_, member) = app
            .signed_in("member5", DEMO_PASSWORD)
            .await
            .get("/api/v1/consultations")
            .await;
        assert_eq!(ids(&member), vec![members_id, public_id]);
        let (_, staff) = admin.get("/api/v1/consultations?limit=2").await;
        assert_eq!(ids(&staff), vec![draft_id, members_id]);
        assert_eq!(staff["total"], 3);
        let cursor = staff["next_cursor"].as_str().expect("cursor");
        let (_, rest) = admin
            .get(&format!("/api/v1/consultations?limit=2&cursor={cursor}"))
            .await;
        assert_eq!(ids(&rest), vec![public_id]);
        let (_, drafts) = admin.get("/api/v1/consultations?state=draft").await;
        assert_eq!(ids(&drafts), vec![draft_id]);
        // Year (of the start, in the committee's time zone), kind and committee filters.
        let (_, in_2027) = admin.get("/api/v1/consultations?year=2027").await;
        assert_eq!(in_2027["total"], 3, "all start on 2027-01-15");
        let (_, in_2026) = admin.get("/api/v1/consultations?year=2026").await;
        assert_eq!(in_2026["total"], 0);
        let (_, online) = admin.get("/api/v1/consultations?kind=online").await;
        assert_eq!(online["total"], 0);
        let (_, remote) = admin
            .get("/api/v1/consultations?kind=remote&year=2027")
            .await;
        assert_eq!(remote["total"], 3);
        let (_, hosted) = admin.get("/api/v1/consultations?committee=1").await;
        assert_eq!(hosted["total"], 0, "none has a host committee");
        let (s, b) = admin.get("/api/v1/consultations?year=1").await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let (s, _) = admin.get("/api/v1/consultations?state=bogus").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let (s, b) = admin.post("/api/v1/consultations", json!({"kind": "remote", "title": "", "visibility": "public", "video_link": "ftp://x", "starts_at": 5, "ends_at": 1})).await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["title"], "required");
        assert_eq!(b["fields"]["video_link"], "invalid");
        assert_eq!(b["fields"]["ends_at"], "invalid");
        let (s, _) = app
            .signed_in("member5", DEMO_PASSWORD)
            .await
            .post(
                "/api/v1/consultations",
                json!({"kind": "remote", "title": "x", "visibility": "public"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

both_engines!(
    posting_is_rate_limited_per_account,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.limits.posts_per_minute = 2).await;
        let (admin, id) = create_published(&app, "public").await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let posts = format!("/api/v1/consultations/{id}/posts");
        for n in 0..2 {
            let (s, _) = member
                .post(
                    &posts,
                    json!({"kind": "comment", "body": format!("第{n}条")}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let (s, b) = member
            .post(&posts, json!({"kind": "comment", "body": "太快了"}))
            .await;
        assert_error(s, &b, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
        let (_, list) = member.get(&posts).await;
        assert_eq!(list["total"], 2, "the refused post was not stored");
        // Another account is not affected.
        let (s, _) = admin
            .post(&posts, json!({"kind": "comment", "body": "机关说明"}))
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
);

both_engines!(
    online_topics_take_posts_only_between_their_dates,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let sector = account(&admin, "member1").await["sector_id"].clone();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let topic = |title: &str, starts: i64, ends: i64| json!({"kind": "online", "title": title, "visibility": "public", "invited_sectors": [sector.clone()], "starts_at": starts, "ends_at": ends});
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let mut ids = Vec::new();
        for (title, starts, ends) in [
            ("已截止的网络议政", now - 7_200_000, now - 3_600_000),
            ("正在进行的网络议政", now - 3_600_000, now + 3_600_000),
            ("尚未开始的网络议政", now + 3_600_000, now + 7_200_000),
        ] {
            let (_, c) = admin
                .post("/api/v1/consultations", topic(title, starts, ends))
                .await;
            let id = c["summary"]["id"].as_i64().expect("id");
            admin
                .post(
                    &format!("/api/v1/consultations/{id}/state"),
                    json!({"to": "published"}),
                )
                .await;
            ids.push(id);
        }
        let statuses: Vec<StatusCode> = {
            let mut v = Vec::new();
            for id in &ids {
                let (s, _) = member
                    .post(
                        &format!("/api/v1/consultations/{id}/posts"),
                        json!({"kind": "comment", "body": "意见"}),
                    )
                    .await;
                v.push(s);
            }
            v
        };
        assert_eq!(
            statuses,
            vec![
                StatusCode::FORBIDDEN,
                StatusCode::CREATED,
                StatusCode::FORBIDDEN
            ]
        );
        // The home page lists only the one still open by date.
        let (_, home) = app.client().await.get("/api/v1/home").await;
        let titles: Vec<&str> = home["open_items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["title"].as_str())
            .collect();
        assert!(titles.contains(&"正在进行的网络议政"));
        assert!(!titles.contains(&"已截止的网络议政"), "{titles:?}");
    }
);

both_engines!(
    an_online_topic_closes_on_its_closing_date_by_itself,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let (_, c) = admin
            .post(
                "/api/v1/consultations",
                json!({"kind": "online", "title": "即将截止的网络议政", "visibility": "public",
                       "starts_at": now - 60_000, "ends_at": now + 1_500}),
            )
            .await;
        let id = c["summary"]["id"].as_i64().expect("id");
        let (s, _) = admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "published"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // A watcher of the live room hears the change without asking.
        let watcher = app.client().await;
        let mut stream = watcher.stream(&format!("consultation:{id}")).await;
        let events = crate::events::read_events(&mut stream, 1).await;
        assert_eq!(
            events[0].event,
            yishi_api::EventKind::StateChanged {
                state: yishi_api::ConsultationState::Concluded
            }
        );
        let (_, detail) = watcher.get(&format!("/api/v1/consultations/{id}")).await;
        assert_eq!(detail["summary"]["state"], "concluded");
        let transitions = detail["transitions"].as_array().expect("transitions");
        let last = transitions.last().expect("a transition");
        assert_eq!(last["from"], "published");
        assert_eq!(last["to"], "concluded");
        assert!(last["actor_name"].is_null(), "made by the schedule: {last}");
        assert!(last["at"].as_i64().unwrap_or(0) >= now + 1_500);
        // Staff move it on from there as usual.
        let (s, _) = admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "outcome_published"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
    }
);

both_engines!(
    post_list_total_follows_every_change_to_posts,
    |app: TestApp| async move {
        let (_, id) = create_published(&app, "public").await;
        let posts = format!("/api/v1/consultations/{id}/posts");
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let mut ids = Vec::new();
        for body in ["第一条意见", "第二条意见", "第三条意见"] {
            let (s, p) = member
                .post(&posts, json!({"kind": "comment", "body": body}))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{p}");
            ids.push(p["id"].as_i64().expect("id"));
        }
        // The stored count (kept by triggers) against a fresh count, after each kind of change.
        // Read signed in: anonymous reads are cached, and raw SQL tells no cache.
        let check = |expected: i64| {
            let anonymous = &member;
            let posts = &posts;
            let pool = app.db.pool.clone();
            async move {
                let (s, page) = anonymous.get(&format!("{posts}?limit=2")).await;
                assert_eq!(s, StatusCode::OK, "{page}");
                assert_eq!(page["total"], expected, "{page}");
                let counted: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM posts WHERE container_kind = 'consultation' \
                     AND container_id = {id} AND deleted_at IS NULL AND pending = 0"
                ))
                .fetch_one(&pool)
                .await
                .expect("count");
                assert_eq!(counted, expected);
            }
        };
        check(3).await;
        let sql = |q: String| {
            let pool = app.db.pool.clone();
            async move {
                sqlx::query(&q).execute(&pool).await.expect("update");
            }
        };
        sql(format!(
            "UPDATE posts SET pending = 1 WHERE id = {}",
            ids[0]
        ))
        .await;
        check(2).await;
        sql(format!(
            "UPDATE posts SET deleted_at = 1 WHERE id = {}",
            ids[1]
        ))
        .await;
        check(1).await;
        // A change that leaves visibility as it was does not count twice.
        sql(format!(
            "UPDATE posts SET deleted_at = 2 WHERE id = {}",
            ids[1]
        ))
        .await;
        sql(format!(
            "UPDATE posts SET body_md = 'x' WHERE id = {}",
            ids[2]
        ))
        .await;
        check(1).await;
        sql(format!(
            "UPDATE posts SET pending = 0 WHERE id = {}",
            ids[0]
        ))
        .await;
        check(2).await;
        sql(format!("DELETE FROM posts WHERE id = {}", ids[2])).await;
        check(1).await;
        sql(format!("DELETE FROM posts WHERE id = {}", ids[1])).await;
        check(1).await;
    }
);

both_engines!(
    anonymous_reads_are_cached_until_the_next_write,
    |app: TestApp| async move {
        let (admin, id) = create_published(&app, "public").await;
        let path = format!("/api/v1/consultations/{id}");
        let posts = format!("{path}/posts");
        let anonymous = app.client().await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        for n in 1..=3 {
            let (s, _) = anonymous.get(&posts).await;
            assert_eq!(s, StatusCode::OK);
            let (s, p) = member
                .post(
                    &posts,
                    json!({"kind": "comment", "body": format!("第{n}条")}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{p}");
            // The very next anonymous read sees the write, cache or not.
            let (_, page) = anonymous.get(&posts).await;
            assert_eq!(page["total"], n, "{page}");
            assert_eq!(page["items"][n as usize - 1]["id"], p["id"], "{page}");
        }
        // A change with no event (the consultation turned members-only) is seen at once too.
        let (s, _) = anonymous.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        let (s, d) = admin.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        let (s, b) = admin
            .put(
                &path,
                json!({
                    "kind": "remote", "title": d["summary"]["title"], "description": d["description"],
                    "chair_id": d["chair_id"], "starts_at": d["summary"]["starts_at"],
                    "ends_at": d["summary"]["ends_at"], "venues": d["venues"], "visibility": "members",
                    "invited_sectors": d["invited_sectors"], "departments": d["departments"]
                }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _) = anonymous.get(&path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = anonymous.get(&posts).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // The baseline the benchmarks compare against is what it says.
        let (s, base) = anonymous.get("/api/v1/bench/baseline").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(base.to_string().len(), 2048, "{base}");
    }
);

/// A word found only in post `n`: letters, so that it is one search term.
fn tag(n: usize) -> String {
    let letters: String = n
        .to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!("zq{letters}")
}

both_engines!(
    concurrent_posts_are_all_committed_once,
    |app: TestApp| async move {
        let (admin, id) = create_published(&app, "public").await;
        let member1 = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, w) = admin
            .post("/api/v1/moderation/words", json!({"word": "违规词"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{w}");
        let posts = format!("/api/v1/consultations/{id}/posts");
        // Posts sent at once share transactions on SQLite (group commit), published and held
        // ones mixed: each still gets its own answer, every answered post is stored exactly
        // once, and the count kept by the triggers agrees.
        let sends = (0..40).map(|n| {
            let (admin, member1, posts) = (&admin, &member1, &posts);
            async move {
                // member1's questions earn points: concurrent awards to one member take its
                // row lock (PostgreSQL) while its posts reference that row.
                let tag = tag(n);
                let (who, kind, body) = match n % 4 {
                    0 => (member1, "comment", format!("含违规词的第{n}条 {tag}")),
                    1 => (member1, "question", format!("委员并发第{n}条 {tag}")),
                    _ => (admin, "comment", format!("并发第{n}条 {tag}")),
                };
                let answer = who.post(posts, json!({"kind": kind, "body": body})).await;
                (n, answer)
            }
        });
        let answers = futures::future::join_all(sends).await;
        let room = id;
        let (mut shown, mut held) = (Vec::new(), Vec::new());
        for (n, (s, p)) in &answers {
            assert_eq!(*s, StatusCode::CREATED, "{p}");
            assert_eq!(p["pending"], n % 4 == 0, "{p}");
            let id = p["id"].as_i64().expect("id");
            if n % 4 == 0 {
                held.push(id);
            } else {
                shown.push(id);
            }
        }
        shown.sort_unstable();
        shown.dedup();
        assert_eq!(shown.len(), 30);
        let (_, page) = admin.get(&format!("{posts}?limit=100")).await;
        assert_eq!(page["total"], 30, "{page}");
        let listed: Vec<i64> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|p| p["id"].as_i64())
            .collect();
        assert_eq!(listed, shown);
        let (_, mine) = member1.get("/api/v1/me/pending-posts").await;
        let mut waiting: Vec<i64> = mine
            .as_array()
            .expect("pending")
            .iter()
            .filter_map(|p| p["post_id"].as_i64())
            .collect();
        waiting.sort_unstable();
        held.sort_unstable();
        assert_eq!(waiting, held, "{mine}");
        // What is stored under each id, read back: the listed posts and the held ones.
        let stored: std::collections::HashMap<i64, String> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|p| (p["id"].as_i64(), &p["body_html"]))
            .chain(
                mine.as_array()
                    .expect("pending")
                    .iter()
                    .map(|p| (p["post_id"].as_i64(), &p["body_html"])),
            )
            .filter_map(|(id, body)| Some((id?, body.as_str()?.to_owned())))
            .collect();
        assert_eq!(stored.len(), 40);
        // A batch writes each kind of row in one statement for all its posts: each caller's
        // answer names the row holding its own text, and that row's search entry is its own.
        for (n, (_, p)) in &answers {
            let id = p["id"].as_i64().expect("id");
            let text = format!("第{n}条 {}", tag(*n));
            assert!(stored[&id].contains(&text), "{n}: stored {}", stored[&id]);
            assert_eq!(p["body_html"].as_str(), Some(stored[&id].as_str()), "{p}");
            let (_, found) = admin.get(&format!("/api/v1/search?q={}", tag(*n))).await;
            let links: Vec<&str> = found["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter_map(|i| i["link"].as_str())
                .collect();
            if n % 4 == 0 {
                assert_eq!(links, Vec::<&str>::new(), "held, not indexed: {found}");
            } else {
                assert_eq!(links, vec![format!("/consultations/{room}#post-{id}")]);
            }
        }
    }
);
