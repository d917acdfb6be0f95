use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use yishi_server::db::posts::READING_GROUP;

// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xFC, 0xCF, 0xC0, 0x50,
    0x0F, 0x00, 0x04, 0x85, 0x01, 0x80, 0x84, 0xA9, 0x8C, 0x21, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub struct Fixture {
    pub admin: Client,
    pub chapters: Vec<i64>,
    pub book: i64,
    pub public: i64,
    pub members_only: i64,
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("id in {v}"))
}

/// A period, a book of three chapters, and two open groups reading it: a public one and a
/// members-only one, both owned by member1 with member2 leading; member3 joined the public one.
pub async fn fixture(app: &TestApp) -> Fixture {
    let admin = app.admin().await;
    let (s, period) = admin
        .post(
            "/api/v1/reading-periods",
            json!({"name": "2026年委员读书月", "starts_on": "2026-04-01", "ends_on": "2026-06-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{period}");
    let (s, book) = admin
        .post(
            "/api/v1/books",
            json!({"title": "乡土中国", "author": "费孝通", "publisher": "北京大学出版社", "year": 2012,
                   "chapters": ["乡土本色", "文字下乡", "差序格局"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{book}");
    let chapters: Vec<i64> = book["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(id)
        .collect();
    let owner = account(&admin, "member1").await["id"].clone();
    let leader = account(&admin, "member2").await["id"].clone();
    let plan: Vec<Value> = chapters
        .iter()
        .enumerate()
        .map(|(i, c)| json!({"chapter_id": c, "week": i + 1}))
        .collect();
    let mut groups = Vec::new();
    for (name, visibility) in [("乡土中国读书群", "public"), ("党史学习读书群", "members")]
    {
        let (s, g) = admin
            .post(
                "/api/v1/reading-groups",
                json!({"name": name, "theme": "读懂中国基层", "description": "每周读一章。",
                       "period_id": id(&period), "visibility": visibility, "owner_id": owner,
                       "leader_ids": [leader], "book_ids": [id(&book)], "plan": plan}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{g}");
        assert_eq!(g["summary"]["state"], "upcoming");
        let gid = g["summary"]["id"].as_i64().expect("group id");
        let (s, opened) = admin
            .post(
                &format!("/api/v1/reading-groups/{gid}/state"),
                json!({"state": "open"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{opened}");
        groups.push(gid);
    }
    let member3 = app.signed_in("member3", DEMO_PASSWORD).await;
    let (s, joined) = member3
        .post(
            &format!("/api/v1/reading-groups/{}/join", groups[0]),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{joined}");
    assert_eq!(joined["summary"]["my_role"], "member");
    Fixture {
        admin,
        chapters,
        book: id(&book),
        public: groups[0],
        members_only: groups[1],
    }
}

async fn post(c: &Client, group: i64, body: Value) -> (StatusCode, Value) {
    c.post(&format!("/api/v1/reading-groups/{group}/posts"), body)
        .await
}

async fn reflection(c: &Client, group: i64, text: &str) -> i64 {
    let (s, p) = post(c, group, json!({"kind": "reflection", "body": text})).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    id(&p)
}

fn entry_ids(page: &Value) -> Vec<i64> {
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| id(&e["post"]))
        .collect()
}

both_engines!(
    who_reads_posts_and_manages_a_group,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let anonymous = app.client().await;
        let owner = app.signed_in("member1", DEMO_PASSWORD).await;
        let leader = app.signed_in("member2", DEMO_PASSWORD).await;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let outsider = app.signed_in("member4", DEMO_PASSWORD).await;
        let official = app.signed_in("official1", DEMO_PASSWORD).await;
        let public = f.public;
        let hidden = f.members_only;

        // Anonymous visitors: the public group only, in lists, totals and direct URLs.
        let (_, list) = anonymous.get("/api/v1/reading-groups").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["id"], public);
        assert!(list["items"][0]["unread_count"].is_null());
        for path in [
            format!("/api/v1/reading-groups/{hidden}"),
            format!("/api/v1/reading-groups/{hidden}/posts"),
        ] {
            let (s, body) = anonymous.get(&path).await;
            assert_error(s, &body, StatusCode::NOT_FOUND, "not_found");
        }
        let (s, _) = anonymous
            .get(&format!("/api/v1/reading-groups/{public}/posts"))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, body) = post(
            &anonymous,
            public,
            json!({"kind": "reflection", "body": "路过"}),
        )
        .await;
        assert_error(s, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
        // Progress lists are for signed-in readers.
        let (s, _) = anonymous
            .get(&format!("/api/v1/reading-groups/{public}/members"))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);

        // Signed-in accounts read both groups.
        for c in [&outsider, &official] {
            let (_, list) = c.get("/api/v1/reading-groups").await;
            assert_eq!(list["total"], 2);
            let (s, _) = c
                .get(&format!("/api/v1/reading-groups/{hidden}/posts"))
                .await;
            assert_eq!(s, StatusCode::OK);
        }

        // Only group members post; guides only from the owner and leaders, on a chapter.
        let (s, body) = post(
            &outsider,
            public,
            json!({"kind": "reflection", "body": "我也想说"}),
        )
        .await;
        assert_error(s, &body, StatusCode::FORBIDDEN, "forbidden");
        let (s, _) = post(
            &official,
            hidden,
            json!({"kind": "reflection", "body": "部门看法"}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = post(
            &member,
            public,
            json!({"kind": "guide", "body": "导读", "chapter_id": f.chapters[0]}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = post(
            &leader,
            public,
            json!({"kind": "guide", "body": "第一章导读"}),
        )
        .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["chapter_id"], "required");
        let (s, guide) = post(&leader, public, json!({"kind": "guide", "body": "第一章导读：乡土社会的特点", "chapter_id": f.chapters[0]})).await;
        assert_eq!(s, StatusCode::CREATED, "{guide}");
        assert_eq!(guide["chapter_id"], f.chapters[0]);
        let (s, _) = post(
            &owner,
            public,
            json!({"kind": "guide", "body": "第二章导读", "chapter_id": f.chapters[1]}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        // A note with a quote; a quote on a reflection or without a chapter is refused.
        let (s, note) = post(&member, public, json!({"kind": "note", "body": "这句话说透了乡土社会。",
            "chapter_id": f.chapters[0], "quote": {"text": "从基层上看去，中国社会是乡土性的。", "page": "6"}})).await;
        assert_eq!(s, StatusCode::CREATED, "{note}");
        assert_eq!(note["quote"]["chapter"], "乡土本色");
        assert_eq!(note["quote"]["page"], "6");
        let (s, body) = post(
            &member,
            public,
            json!({"kind": "reflection", "body": "心得", "quote": {"text": "引文"}}),
        )
        .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = post(
            &member,
            public,
            json!({"kind": "note", "body": "笔记", "quote": {"text": "引文"}}),
        )
        .await;
        assert_eq!(body["fields"]["chapter_id"], "required", "{s} {body}");
        let (s, body) = post(
            &member,
            public,
            json!({"kind": "note", "body": "笔记", "chapter_id": 999999}),
        )
        .await;
        assert_eq!(body["fields"]["chapter_id"], "unknown", "{s} {body}");
        let (s, _) = post(&member, public, json!({"kind": "comment", "body": "评论"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Featuring: owner, leaders and staff; a member may not.
        let path = format!(
            "/api/v1/reading-groups/{public}/posts/{}/featured",
            id(&note)
        );
        let (s, _) = member.send(Method::PUT, &path, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, featured) = leader.send(Method::PUT, &path, None).await;
        assert_eq!(s, StatusCode::OK, "{featured}");
        assert_eq!(featured[0]["post"]["featured"], true);
        let (_, page) = anonymous
            .get(&format!(
                "/api/v1/reading-groups/{public}/posts?featured=true"
            ))
            .await;
        assert_eq!(entry_ids(&page), vec![id(&note)]);
        let (_, page) = anonymous
            .get(&format!(
                "/api/v1/reading-groups/{public}/posts?chapter={}",
                f.chapters[0]
            ))
            .await;
        assert_eq!(entry_ids(&page), vec![id(&guide), id(&note)]);
        let (s, _) = anonymous
            .get(&format!(
                "/api/v1/reading-groups/{public}/posts/{}",
                id(&note)
            ))
            .await;
        assert_eq!(s, StatusCode::OK);
        // A post of one group is not reachable under another.
        let (s, _) = owner
            .get(&format!(
                "/api/v1/reading-groups/{hidden}/posts/{}",
                id(&note)
            ))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Members: the owner adds and removes; a member may not; the owner cannot be removed.
        let m5 = account(&f.admin, "member5").await["id"].clone();
        let members_path = format!("/api/v1/reading-groups/{public}/members");
        let (s, _) = member.post(&members_path, json!({"account_id": m5})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The owner finds members to add by name, without their contact details.
        let (s, found) = owner
            .get(&format!(
                "/api/v1/reading-groups/{public}/candidates?q=member5"
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{found}");
        assert_eq!(found[0]["id"], m5);
        assert!(found[0]["phone"].is_null());
        let (s, _) = member
            .get(&format!(
                "/api/v1/reading-groups/{public}/candidates?q=member5"
            ))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, list) = owner.post(&members_path, json!({"account_id": m5})).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert_eq!(list["members"].as_array().map(Vec::len), Some(4));
        let off = account(&f.admin, "official1").await["id"].clone();
        let (s, body) = owner.post(&members_path, json!({"account_id": off})).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let owner_id = account(&f.admin, "member1").await["id"]
            .as_i64()
            .expect("id");
        let (s, _) = owner
            .send(Method::DELETE, &format!("{members_path}/{owner_id}"), None)
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, list) = owner
            .send(Method::DELETE, &format!("{members_path}/{m5}"), None)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list["members"].as_array().map(Vec::len), Some(3));
        // Officials do not join; the owner does not leave.
        let (s, _) = official
            .post(&format!("/api/v1/reading-groups/{hidden}/join"), json!({}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = owner
            .post(&format!("/api/v1/reading-groups/{public}/leave"), json!({}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // An outsider joins and may then post; leaving again takes that away.
        let (s, _) = outsider
            .post(&format!("/api/v1/reading-groups/{public}/join"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK);
        reflection(&outsider, public, "加入后第一篇心得").await;
        let (s, _) = outsider
            .post(&format!("/api/v1/reading-groups/{public}/leave"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = post(
            &outsider,
            public,
            json!({"kind": "reflection", "body": "再说一句"}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Staff only create and edit groups; a closed group is read-only.
        let (s, _) = owner
            .post(
                &format!("/api/v1/reading-groups/{public}/state"),
                json!({"state": "closed"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, closed) = f
            .admin
            .post(
                &format!("/api/v1/reading-groups/{public}/state"),
                json!({"state": "closed"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{closed}");
        assert_eq!(closed["summary"]["state"], "closed");
        let (s, body) = f
            .admin
            .post(
                &format!("/api/v1/reading-groups/{public}/state"),
                json!({"state": "upcoming"}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
        let (s, _) = post(
            &member,
            public,
            json!({"kind": "reflection", "body": "关闭后"}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Read-only: no likes, removals or featured marks either.
        let (s, _) = member
            .post(&format!("/api/v1/posts/{}/like", id(&guide)), json!({}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = member
            .send(
                Method::DELETE,
                &format!("/api/v1/reading-groups/{public}/posts/{}", id(&note)),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = leader.send(Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = member
            .send(
                Method::PUT,
                &format!("/api/v1/reading-groups/{public}/checkins/{}", f.chapters[0]),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = anonymous
            .get(&format!("/api/v1/reading-groups/{public}/posts"))
            .await;
        assert_eq!(s, StatusCode::OK);
    }
);

both_engines!(
    the_catalogue_and_covers_are_checked,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let (s, body) = f
            .admin
            .post(
                "/api/v1/reading-periods",
                json!({"name": "倒过来的", "starts_on": "2026-06-30", "ends_on": "2026-04-01"}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["ends_on"], "invalid");
        let (s, body) = f
            .admin
            .post("/api/v1/books", json!({"title": "", "chapters": []}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["title"], "required");
        assert_eq!(body["fields"]["chapters"], "required");
        let (s, _) = member
            .post("/api/v1/books", json!({"title": "书", "chapters": ["一"]}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // A group must name known books, and a plan only of their chapters.
        let owner = account(&f.admin, "member1").await["id"].clone();
        let (_, periods) = f.admin.get("/api/v1/reading-periods").await;
        let period = id(&periods[0]);
        let (s, body) = f
            .admin
            .post(
                "/api/v1/reading-groups",
                json!({"name": "组", "period_id": period, "visibility": "public", "owner_id": owner,
                       "book_ids": [999999], "plan": [{"chapter_id": 999999, "week": 1}]}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["book_ids"], "unknown");
        assert_eq!(body["fields"]["plan"], "unknown");

        // Covers: images only, judged by content; anyone sees the cover of a book a public
        // group reads.
        let cover = format!("/api/v1/books/{}/cover", f.book);
        let res = f
            .admin
            .raw(Method::PUT, &cover)
            .body(b"<svg onload=alert(1)>".to_vec())
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = f
            .admin
            .raw(Method::PUT, &cover)
            .body(vec![0u8; 3 * 1024 * 1024])
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let res = f
            .admin
            .raw(Method::PUT, &cover)
            .body(PNG.to_vec())
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::OK);
        let book: Value = res.json().await.expect("json");
        let url = book["cover_url"].as_str().expect("cover url").to_owned();
        let anonymous = app.client().await;
        let res = anonymous.raw(Method::GET, &url).send().await.expect("get");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("image/png")
        );
        // A book read only in a members-only group keeps its cover from the public.
        let (_, other) = f
            .admin
            .post(
                "/api/v1/books",
                json!({"title": "百年党史", "chapters": ["序章"]}),
            )
            .await;
        f.admin
            .raw(Method::PUT, &format!("/api/v1/books/{}/cover", id(&other)))
            .body(PNG.to_vec())
            .send()
            .await
            .expect("send");
        let (s, _) = anonymous
            .get(&format!("/api/v1/books/{}/cover", id(&other)))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = member
            .get(&format!("/api/v1/books/{}/cover", id(&other)))
            .await;
        assert_eq!(s, StatusCode::OK);
    }
);

both_engines!(
    authors_edit_for_a_day_and_removed_posts_keep_their_replies,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let owner = app.signed_in("member1", DEMO_PASSWORD).await;
        let first = reflection(&member, g, "第一稿").await;
        let path = format!("/api/v1/reading-groups/{g}/posts/{first}");
        let (s, edited) = member
            .put(&path, json!({"body": "第二稿，**补充**了一段"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{edited}");
        assert!(edited[0]["post"]["edited_at"].is_i64());
        assert!(edited[0]["post"]["body_html"]
            .as_str()
            .is_some_and(|h| h.contains("<strong>补充</strong>")));
        // Someone else's post: no.
        let (s, _) = owner.put(&path, json!({"body": "改别人的"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // After 24 hours: no.
        sqlx::query("UPDATE posts SET created_at = created_at - 90000000 WHERE id = $1")
            .bind(first)
            .execute(&app.db.pool)
            .await
            .expect("age the post");
        let (s, body) = member.put(&path, json!({"body": "第三稿"})).await;
        assert_error(s, &body, StatusCode::CONFLICT, "edit_window_closed");

        // A removed post with a reply stays as "removed"; one without disappears.
        let (s, reply) = post(
            &owner,
            g,
            json!({"kind": "reply", "body": "同意", "parent_id": first}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{reply}");
        let lone = reflection(&member, g, "一篇会被删除的心得").await;
        let (_, before) = owner.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(before["summary"]["post_count"], 3);
        let (s, _) = owner.send(Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for p in [first, lone] {
            let (s, _) = member
                .send(
                    Method::DELETE,
                    &format!("/api/v1/reading-groups/{g}/posts/{p}"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT);
        }
        let (_, page) = app
            .client()
            .await
            .get(&format!("/api/v1/reading-groups/{g}/posts"))
            .await;
        assert_eq!(entry_ids(&page), vec![first, id(&reply)], "{page}");
        assert_eq!(page["entries"][0]["post"]["deleted"], true);
        assert_eq!(page["entries"][0]["post"]["body_html"], "");
        assert_eq!(page["entries"][1]["depth"], 1);
        let (_, after) = owner.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(after["summary"]["post_count"], 1);
        // Removed posts take no replies and no edits.
        let (s, body) = post(
            &owner,
            g,
            json!({"kind": "reply", "body": "再回", "parent_id": lone}),
        )
        .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = member
            .put(
                &format!("/api/v1/reading-groups/{g}/posts/{lone}"),
                json!({"body": "复活"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

both_engines!(
    replies_nest_three_levels_and_likes_count_once,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let owner = app.signed_in("member1", DEMO_PASSWORD).await;
        let root = reflection(&member, g, "心得").await;
        let mut parent = root;
        let mut chain = vec![root];
        for level in 1..=3 {
            let (s, r) = post(
                &owner,
                g,
                json!({"kind": "reply", "body": format!("第{level}层"), "parent_id": parent}),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
            parent = id(&r);
            chain.push(parent);
        }
        let (s, body) = post(
            &member,
            g,
            json!({"kind": "reply", "body": "第四层", "parent_id": parent}),
        )
        .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["parent_id"], "too_long");
        // A second reply to the root comes after the whole first branch.
        let (_, sibling) = post(
            &member,
            g,
            json!({"kind": "reply", "body": "另一条回复", "parent_id": root}),
        )
        .await;
        let (_, page) = member
            .get(&format!("/api/v1/reading-groups/{g}/posts"))
            .await;
        chain.push(id(&sibling));
        assert_eq!(entry_ids(&page), chain);
        let depths: Vec<i64> = page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["depth"].as_i64().expect("depth"))
            .collect();
        assert_eq!(depths, vec![0, 1, 2, 3, 1]);

        let like = format!("/api/v1/posts/{root}/like");
        for _ in 0..2 {
            let (s, n) = owner.post(&like, json!({})).await;
            assert_eq!(s, StatusCode::OK);
            assert_eq!(n["like_count"], 1);
        }
        let (_, page) = owner
            .get(&format!("/api/v1/reading-groups/{g}/posts"))
            .await;
        assert_eq!(page["entries"][0]["liked"], true);
        assert_eq!(page["entries"][0]["post"]["like_count"], 1);
        // Members-only posts are not liked by anonymous visitors, nor found.
        let hidden_post = reflection(&owner, f.members_only, "仅委员可见").await;
        let (s, _) = app
            .client()
            .await
            .post(&format!("/api/v1/posts/{hidden_post}/like"), json!({}))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
);

both_engines!(
    check_ins_show_progress_and_completion,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let outsider = app.signed_in("member4", DEMO_PASSWORD).await;
        for c in &f.chapters[..2] {
            let (s, d) = member
                .send(
                    Method::PUT,
                    &format!("/api/v1/reading-groups/{g}/checkins/{c}"),
                    None,
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{d}");
        }
        // Twice is once.
        let (_, d) = member
            .send(
                Method::PUT,
                &format!("/api/v1/reading-groups/{g}/checkins/{}", f.chapters[0]),
                None,
            )
            .await;
        assert_eq!(d["my_checkins"].as_array().map(Vec::len), Some(2));
        // 2 of 3 chapters by one of 3 people (owner, leader, member3): 2 / 9.
        assert_eq!(d["completion_percent"], 22);
        let (_, m) = member
            .get(&format!("/api/v1/reading-groups/{g}/members"))
            .await;
        assert_eq!(m["planned_chapters"], 3);
        let mine = m["members"]
            .as_array()
            .expect("members")
            .iter()
            .find(|p| p["role"] == "member")
            .cloned()
            .expect("member3");
        assert_eq!(mine["chapters_done"], 2);
        // Not in the group, or not a chapter of the plan.
        let (s, _) = outsider
            .send(
                Method::PUT,
                &format!("/api/v1/reading-groups/{g}/checkins/{}", f.chapters[0]),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = member
            .send(
                Method::PUT,
                &format!("/api/v1/reading-groups/{g}/checkins/999999"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, d) = member
            .send(
                Method::DELETE,
                &format!("/api/v1/reading-groups/{g}/checkins/{}", f.chapters[1]),
                None,
            )
            .await;
        assert_eq!(d["my_checkins"], json!([f.chapters[0]]));
        assert_eq!(d["completion_percent"], 11);
    }
);

both_engines!(
    unread_counts_follow_the_read_position,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let owner = app.signed_in("member1", DEMO_PASSWORD).await;
        let mut last = 0;
        for i in 0..3 {
            last = reflection(&owner, g, &format!("第{i}篇")).await;
        }
        reflection(&member, g, "我自己的不算未读").await;
        let unread = |list: &Value| {
            list["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|i| i["id"] == g)
                .map(|i| i["unread_count"].clone())
        };
        let (_, list) = member.get("/api/v1/reading-groups?mine=true").await;
        assert_eq!(list["total"], 1);
        assert_eq!(unread(&list), Some(json!(3)));
        let position = format!("/api/v1/reading-groups/{g}/read-position");
        let (s, _) = member.put(&position, json!({"post_id": last})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, list) = member.get("/api/v1/reading-groups").await;
        assert_eq!(unread(&list), Some(json!(0)));
        let (_, d) = member.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(d["read_position"], last);
        // The position never moves back; a post of another group is refused.
        let (s, _) = member.put(&position, json!({"post_id": 1})).await;
        assert!(s == StatusCode::NO_CONTENT || s == StatusCode::UNPROCESSABLE_ENTITY);
        let (_, d) = member.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(d["read_position"], last);
        reflection(&owner, g, "新的一篇").await;
        let (_, list) = member.get("/api/v1/reading-groups").await;
        assert_eq!(unread(&list), Some(json!(1)));
        // Non-members have no position.
        let outsider = app.signed_in("member4", DEMO_PASSWORD).await;
        let (s, _) = outsider.put(&position, json!({"post_id": last})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (_, list) = outsider.get("/api/v1/reading-groups").await;
        assert_eq!(unread(&list), Some(Value::Null));
        let (s, body) = anonymous_get(&app, "/api/v1/reading-groups?mine=true").await;
        assert_error(s, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    }
);

async fn anonymous_get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    app.client().await.get(path).await
}

both_engines!(
    a_thread_of_100000_posts_pages_by_keyset,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let author = account(&f.admin, "member1").await["id"]
            .as_i64()
            .expect("id");
        app.db
            .seed_thread(g, yishi_api::AccountId(author), 100_000)
            .await
            .expect("seed");
        let newest = reflection(&member, g, "第十万零一篇").await;
        let visitor = app.client().await;
        let base = format!("/api/v1/reading-groups/{g}/posts");
        let (_, d) = visitor.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(d["summary"]["post_count"], 100_001);

        // From the start, page by page.
        let (_, first) = visitor.get(&format!("{base}?limit=50")).await;
        let ids = entry_ids(&first);
        assert_eq!(ids.len(), 50);
        assert!(first.get("earlier").is_none());
        let later = first["later"].as_str().expect("later").to_owned();
        let (_, second) = visitor.get(&format!("{base}?limit=50&after={later}")).await;
        let next = entry_ids(&second);
        assert_eq!(next.len(), 50);
        assert!(next[0] > ids[49]);
        assert!(ids.windows(2).chain(next.windows(2)).all(|w| w[0] < w[1]));
        let earlier = second["earlier"].as_str().expect("earlier").to_owned();
        let (_, back) = visitor
            .get(&format!("{base}?limit=50&before={earlier}"))
            .await;
        assert_eq!(entry_ids(&back), ids);

        // Jump to newest, then walk back.
        let (_, last) = visitor.get(&format!("{base}?newest=true&limit=20")).await;
        let last_ids = entry_ids(&last);
        assert_eq!(last_ids.len(), 20);
        assert_eq!(last_ids.last(), Some(&newest));
        assert!(last.get("later").is_none());
        let earlier = last["earlier"].as_str().expect("earlier").to_owned();
        let (_, before_last) = visitor
            .get(&format!("{base}?limit=20&before={earlier}"))
            .await;
        let before_ids = entry_ids(&before_last);
        assert_eq!(before_ids.len(), 20);
        assert!(before_ids[19] < last_ids[0]);

        // Unread counts stop at the cap however long the thread.
        let (_, list) = member.get("/api/v1/reading-groups?mine=true").await;
        assert_eq!(list["items"][0]["unread_count"], 100);

        // Garbage cursors are a 400-class answer, not a failure.
        let (s, body) = visitor.get(&format!("{base}?after=garbage")).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = visitor
            .get(&format!("{base}?after={later}&newest=true"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = visitor.get(&format!("{base}?limit=1000")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM posts WHERE container_kind = $1 AND container_id = $2",
        )
        .bind(READING_GROUP)
        .bind(g)
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
        assert_eq!(count, 100_001);
    }
);

both_engines!(
    shared_links_show_a_public_groups_title_and_nothing_of_a_members_only_one,
    |app: TestApp| async move {
        let dir = crate::spa::dist();
        let app = TestApp::spawn_with(app.engine, |c| c.dist_dir = dir.clone()).await;
        let f = fixture(&app).await;
        let http = reqwest::Client::new();
        let page = |path: String| {
            let http = http.clone();
            let base = app.base.clone();
            async move {
                http.get(format!("{base}{path}"))
                    .send()
                    .await
                    .expect("request")
                    .text()
                    .await
                    .expect("html")
            }
        };
        let html = page(format!("/reading-groups/{}", f.public)).await;
        assert!(
            html.contains("<title>乡土中国读书群 · 委员读书 · 议事 · 鹤岗市政协</title>"),
            "{html}"
        );
        assert!(html.contains("读懂中国基层"));
        let html = page(format!("/reading-groups/{}/posts/1", f.public)).await;
        assert!(html.contains("<title>乡土中国读书群 · "), "{html}");
        let html = page(format!("/reading-groups/{}", f.members_only)).await;
        assert!(!html.contains("党史学习读书群"), "{html}");
        assert!(
            html.contains("<title>委员读书 · 议事 · 鹤岗市政协</title>"),
            "{html}"
        );
    }
);

both_engines!(
    removed_posts_never_shorten_a_page,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let mut ids = Vec::new();
        for n in 0..12 {
            ids.push(reflection(&member, g, &format!("第{n}篇")).await);
        }
        // Posts 2..8 removed without replies: pages of 4 skip them and stay full.
        for p in &ids[2..8] {
            member
                .send(
                    Method::DELETE,
                    &format!("/api/v1/reading-groups/{g}/posts/{p}"),
                    None,
                )
                .await;
        }
        let visitor = app.client().await;
        let base = format!("/api/v1/reading-groups/{g}/posts?limit=4");
        let (_, first) = visitor.get(&base).await;
        assert_eq!(entry_ids(&first), vec![ids[0], ids[1], ids[8], ids[9]]);
        let later = first["later"].as_str().expect("later").to_owned();
        let (_, second) = visitor.get(&format!("{base}&after={later}")).await;
        assert_eq!(entry_ids(&second), vec![ids[10], ids[11]]);
        assert!(second.get("later").is_none());
        let (_, newest) = visitor.get(&format!("{base}&newest=true")).await;
        assert_eq!(entry_ids(&newest), vec![ids[8], ids[9], ids[10], ids[11]]);
        let earlier = newest["earlier"].as_str().expect("earlier").to_owned();
        let (_, back) = visitor.get(&format!("{base}&before={earlier}")).await;
        assert_eq!(entry_ids(&back), vec![ids[0], ids[1]]);
        assert!(back.get("earlier").is_none());
    }
);
