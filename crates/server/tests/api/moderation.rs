use crate::both_engines;
use crate::events::read_events;
use crate::helpers::*;
use crate::reading::fixture;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use yishi_api::EventKind;

pub async fn reflection(c: &Client, group: i64, text: &str) -> Value {
    let (s, p) = c
        .post(
            &format!("/api/v1/reading-groups/{group}/posts"),
            json!({"kind": "reflection", "body": text}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    p
}

fn thread_ids(page: &Value) -> Vec<i64> {
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["post"]["id"].as_i64().expect("id"))
        .collect()
}

/// The actions of the audit rows matching `filter` (a query string), newest first.
async fn audit_actions(admin: &Client, filter: &str) -> Vec<String> {
    let (s, page) = admin.get(&format!("/api/v1/audit?{filter}")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["action"].as_str().expect("action").to_owned())
        .collect()
}

async fn notifications(c: &Client) -> Value {
    let (s, page) = c.get("/api/v1/notifications").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page
}

both_engines!(
    report_hide_restore_with_audit_and_notice,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let admin = f.admin;
        let author = app.signed_in("member3", DEMO_PASSWORD).await;
        let reporter = app.signed_in("member2", DEMO_PASSWORD).await;
        let outsider = app.signed_in("member4", DEMO_PASSWORD).await;
        let anonymous = app.client().await;
        let g = f.public;
        let post = reflection(&author, g, "这里有一段不当言论").await["id"]
            .as_i64()
            .expect("id");
        let thread = format!("/api/v1/reading-groups/{g}/posts");

        // Reports: signed in, a reason, once while open; others' reports group on the post.
        let report = format!("/api/v1/posts/{post}/reports");
        let (s, body) = anonymous.post(&report, json!({"reason": "不当"})).await;
        assert_error(s, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
        let (s, body) = reporter.post(&report, json!({"reason": "  "})).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = reporter.post(&report, json!({"reason": "人身攻击"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, body) = reporter.post(&report, json!({"reason": "再次举报"})).await;
        assert_error(s, &body, StatusCode::CONFLICT, "already_reported");
        let (s, _) = outsider.post(&report, json!({"reason": "不友善"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, body) = reporter
            .post("/api/v1/posts/999999/reports", json!({"reason": "x"}))
            .await;
        assert_error(s, &body, StatusCode::NOT_FOUND, "not_found");

        // The queue is for staff; the post appears once with both reports.
        let (s, _) = reporter.get("/api/v1/moderation/queue").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, queue) = admin.get("/api/v1/moderation/queue").await;
        assert_eq!(s, StatusCode::OK, "{queue}");
        let items: Vec<&Value> = queue
            .as_array()
            .expect("queue")
            .iter()
            .filter(|i| i["post_id"] == post)
            .collect();
        assert_eq!(items.len(), 1, "{queue}");
        assert_eq!(items[0]["reason"], "reported");
        assert_eq!(items[0]["reports"].as_array().expect("reports").len(), 2);

        // Hide: members cannot; staff can, with a reason.
        let hide = format!("/api/v1/moderation/posts/{post}/hide");
        let (s, _) = reporter.post(&hide, json!({"reason": "违反公约"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = admin.post(&hide, json!({"reason": ""})).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, state) = admin.post(&hide, json!({"reason": "违反读书群公约"})).await;
        assert_eq!(s, StatusCode::OK, "{state}");
        assert_eq!(state["hidden_reason"], "违反读书群公约");
        assert_eq!(state["open_reports"], 0);
        let (s, body) = admin.post(&hide, json!({"reason": "again"})).await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");

        // The public no longer sees what it said: the thread shows "hidden by a moderator"
        // in its place; the count and search leave it out.
        let (_, page) = anonymous.get(&thread).await;
        let entry = page["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["post"]["id"] == post)
            .cloned()
            .expect("placeholder");
        assert_eq!(entry["post"]["hidden"], true, "{entry}");
        assert_eq!(entry["post"]["body_html"], "", "{entry}");
        assert!(!page.to_string().contains("不当言论"), "{page}");
        // Nor can a stream resuming from an old event replay what it said.
        let logged = app
            .db
            .events_after(&[yishi_api::Topic::Reading(g)], 0, 1000)
            .await
            .expect("event log");
        let created: Vec<&yishi_api::Post> = logged
            .iter()
            .filter_map(|e| match &e.event {
                EventKind::PostCreated { post: p } if p.id == post => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(created.len(), 1);
        assert!(
            created[0].hidden && created[0].body_html.is_empty(),
            "{:?}",
            created[0]
        );
        let (s, body) = reporter
            .post(&report, json!({"reason": "含有\u{0}控制字符"}))
            .await;
        assert!(s.is_client_error(), "{body}");
        let (s, _) = reporter
            .post(&format!("/api/v1/posts/{post}/like"), json!({}))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "hidden posts take no likes");
        let (_, group) = anonymous.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(group["summary"]["post_count"], 0, "{group}");
        let (_, found) = anonymous.get("/api/v1/search?q=%E4%B8%8D%E5%BD%93").await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "{found}");
        // The author is told why.
        let notes = notifications(&author).await;
        let hidden_note = notes["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|n| n["kind"] == "post_hidden")
            .cloned()
            .expect("post_hidden notification");
        assert_eq!(hidden_note["detail"], "违反读书群公约");
        assert_eq!(hidden_note["title"], "乡土中国读书群");
        // Reporters are not notified of anything.
        assert_eq!(notifications(&reporter).await["unread"], 0);

        // Restore brings it back everywhere.
        let (s, state) = admin
            .post(
                &format!("/api/v1/moderation/posts/{post}/restore"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{state}");
        assert!(state["hidden_reason"].is_null());
        let (_, page) = anonymous.get(&thread).await;
        assert!(thread_ids(&page).contains(&post));
        assert!(page.to_string().contains("不当言论"), "{page}");
        let (_, group) = anonymous.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(group["summary"]["post_count"], 1);

        // Dismissing reports leaves the post alone.
        let (s, _) = reporter.post(&report, json!({"reason": "又来了"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, state) = admin
            .post(
                &format!("/api/v1/moderation/posts/{post}/dismiss"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{state}");
        assert_eq!(state["open_reports"], 0);

        // Every step left an audit row, newest first, with the actor.
        assert_eq!(
            audit_actions(&admin, &format!("object_kind=post&object_id={post}")).await,
            vec![
                "post.dismiss_reports",
                "post.report",
                "post.restore",
                "post.hide",
                "post.report",
                "post.report"
            ]
        );
        let (_, page) = admin
            .get(&format!("/api/v1/audit?action=post.hide&object_id={post}"))
            .await;
        assert_eq!(page["items"][0]["actor_name"], "王琳", "{page}");
        assert_eq!(page["items"][0]["after"], "违反读书群公约");
        assert_eq!(page["items"][0]["client_ip"], "127.0.0.1");
        let (s, _) = reporter.get("/api/v1/audit").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Append-only even for the database user.
        let tampered = sqlx::query("UPDATE audit_log SET action = 'x'")
            .execute(&app.db.pool)
            .await;
        assert!(tampered.is_err());
    }
);

both_engines!(
    premoderation_and_sensitive_words_hold_posts,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let admin = f.admin;
        let author = app.signed_in("member3", DEMO_PASSWORD).await;
        let anonymous = app.client().await;
        let g = f.public;
        let switch = format!("/api/v1/moderation/containers/reading_group/{g}");
        let (s, _) = author.put(&switch, json!({"premoderated": true})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = admin.put(&switch, json!({"premoderated": true})).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = admin.get("/api/v1/moderation/containers/planet/1").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let held = reflection(&author, g, "等待审核的心得").await;
        assert_eq!(held["pending"], true);
        let held_id = held["id"].as_i64().expect("id");
        // Its author sees it waiting, with why; nobody else's list has it.
        let (s, mine) = author.get("/api/v1/me/pending-posts").await;
        assert_eq!(s, StatusCode::OK, "{mine}");
        assert_eq!(mine[0]["post_id"], held_id, "{mine}");
        assert_eq!(mine[0]["reason"], "premoderation");
        let other = app.signed_in("member2", DEMO_PASSWORD).await;
        let (_, theirs) = other.get("/api/v1/me/pending-posts").await;
        assert_eq!(theirs.as_array().map(Vec::len), Some(0));
        let (s, _) = anonymous.get("/api/v1/me/pending-posts").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // Not searchable, not reportable, not repliable while it waits.
        let (_, found) = admin.get("/api/v1/search?q=%E5%AE%A1%E6%A0%B8").await;
        assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "{found}");
        let (s, _) = author
            .post(
                &format!("/api/v1/posts/{held_id}/reports"),
                json!({"reason": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let thread = format!("/api/v1/reading-groups/{g}/posts");
        let (_, page) = anonymous.get(&thread).await;
        assert!(thread_ids(&page).is_empty(), "{page}");

        let (_, queue) = admin.get("/api/v1/moderation/queue").await;
        let item = queue
            .as_array()
            .expect("queue")
            .iter()
            .find(|i| i["post_id"] == held_id)
            .cloned()
            .expect("held post queued");
        assert_eq!(item["reason"], "premoderation");
        let (s, _) = admin
            .post(
                &format!("/api/v1/moderation/posts/{held_id}/approve"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, page) = anonymous.get(&thread).await;
        assert!(thread_ids(&page).contains(&held_id));
        let (_, found) = anonymous.get("/api/v1/search?q=%E5%AE%A1%E6%A0%B8").await;
        assert_eq!(
            found["items"].as_array().map(Vec::len),
            Some(1),
            "approved: {found}"
        );
        let notes = notifications(&author).await;
        assert_eq!(notes["items"][0]["kind"], "post_approved", "{notes}");
        let (s, body) = admin
            .post(
                &format!("/api/v1/moderation/posts/{held_id}/approve"),
                json!({}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");

        // An approved post edited in a pre-moderated group waits again.
        let (s, edited) = author
            .put(
                &format!("/api/v1/reading-groups/{g}/posts/{held_id}"),
                json!({"body": "改过的心得"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{edited}");
        assert_eq!(edited[0]["post"]["pending"], true, "{edited}");
        let (_, page) = anonymous.get(&thread).await;
        assert!(!thread_ids(&page).contains(&held_id), "{page}");
        let (s, _) = admin
            .post(
                &format!("/api/v1/moderation/posts/{held_id}/approve"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);

        // Sensitive words hold a post whatever the container's setting.
        let (s, _) = admin.put(&switch, json!({"premoderated": false})).await;
        assert_eq!(s, StatusCode::OK);
        let (s, words) = admin
            .post("/api/v1/moderation/words", json!({"word": "Casino"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{words}");
        let (s, body) = admin
            .post("/api/v1/moderation/words", json!({"word": "casino"}))
            .await;
        assert!(
            s == StatusCode::CREATED || s == StatusCode::CONFLICT,
            "{body}"
        );
        let flagged = reflection(&author, g, "欢迎来 CASINO 玩").await;
        assert_eq!(flagged["pending"], true);
        let clean = reflection(&author, g, "正常的读书心得").await;
        assert_eq!(clean["pending"], false);
        let (_, queue) = admin.get("/api/v1/moderation/queue").await;
        let item = queue
            .as_array()
            .expect("queue")
            .iter()
            .find(|i| i["post_id"] == flagged["id"])
            .cloned()
            .expect("flagged post queued");
        assert_eq!(item["reason"], "sensitive_word");
        assert!(!item["words"].as_array().expect("words").is_empty());
        // Rejecting a held post hides it without it ever showing.
        let (s, _) = admin
            .post(
                &format!("/api/v1/moderation/posts/{}/hide", flagged["id"]),
                json!({"reason": "广告"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, group) = anonymous.get(&format!("/api/v1/reading-groups/{g}")).await;
        assert_eq!(group["summary"]["post_count"], 2, "{group}");
        let audit = audit_actions(&admin, &format!("object_kind=post&object_id={held_id}")).await;
        assert_eq!(audit, vec!["post.approve", "post.approve"]);
    }
);

both_engines!(
    suspension_is_enforced_on_every_posting_endpoint,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let admin = f.admin;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let id = account(&admin, "member3").await["id"].as_i64().expect("id");
        let path = format!("/api/v1/accounts/{id}/suspension");
        let (s, _) = member.put(&path, json!({"days": 7, "reason": "x"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = admin.put(&path, json!({"days": 0, "reason": "x"})).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = admin
            .put(&path, json!({"days": 7, "reason": "多次发布广告"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");

        // Told why, on the session and on each refusal.
        let (_, session) = member.get("/api/v1/session").await;
        assert_eq!(
            session["user"]["suspension"]["reason"], "多次发布广告",
            "{session}"
        );
        let attempts = [
            (
                format!("/api/v1/reading-groups/{}/posts", f.public),
                json!({"kind": "reflection", "body": "心得"}),
            ),
            (
                "/api/v1/suggestions".to_owned(),
                json!({"title": "建议", "body": "内容", "public": false}),
            ),
            (
                "/api/v1/micro-consultations".to_owned(),
                json!({"title": "问题", "description": "描述", "location": ""}),
            ),
            (
                "/api/v1/posts/1/reports".to_owned(),
                json!({"reason": "举报"}),
            ),
        ];
        for (path, body) in &attempts {
            let (s, answer) = member.post(path, body.clone()).await;
            if path.contains("reports") && s == StatusCode::NOT_FOUND {
                continue;
            }
            assert_error(s, &answer, StatusCode::FORBIDDEN, "account_suspended");
            assert!(
                answer["message"]
                    .as_str()
                    .expect("message")
                    .contains("多次发布广告"),
                "{answer}"
            );
        }
        let (s, _) = admin.send(Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, _) = member.post(&attempts[0].0, attempts[0].1.clone()).await;
        assert_eq!(s, StatusCode::CREATED);
        let actions = audit_actions(&admin, &format!("object_kind=account&object_id={id}")).await;
        assert_eq!(actions[..2], ["account.unsuspend", "account.suspend"]);
    }
);

both_engines!(
    replies_notify_the_parent_author_once_and_live,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let author = app.signed_in("member3", DEMO_PASSWORD).await;
        let replier = app.signed_in("member2", DEMO_PASSWORD).await;
        let g = f.public;
        let root = reflection(&author, g, "一篇心得").await["id"]
            .as_i64()
            .expect("id");
        let (_, session) = author.get("/api/v1/session").await;
        let me = session["user"]["id"].as_i64().expect("id");
        let mut stream = author.stream(&format!("user:{me}")).await;
        let (s, _) = replier
            .post(
                &format!("/api/v1/reading-groups/{g}/posts"),
                json!({"kind": "reply", "body": "同意你的看法", "parent_id": root}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let events = read_events(&mut stream, 1).await;
        match &events[0].event {
            EventKind::NotificationAdded {
                notification,
                unread,
            } => {
                assert_eq!(notification.kind, yishi_api::NotificationKind::Reply);
                assert_eq!(*unread, 1);
                assert!(notification.link.ends_with(&format!("/posts/{root}")));
            }
            other => panic!("unexpected {other:?}"),
        }
        // Exactly once, to the author only; replying to oneself tells nobody.
        assert_eq!(notifications(&author).await["unread"], 1);
        assert_eq!(notifications(&replier).await["unread"], 0);
        let (s, _) = author
            .post(
                &format!("/api/v1/reading-groups/{g}/posts"),
                json!({"kind": "reply", "body": "谢谢", "parent_id": root}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        assert_eq!(notifications(&author).await["unread"], 1);

        // Mark read: the count drops, live.
        let (s, body) = author.post("/api/v1/notifications/read", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["unread"], 0);
        let events = read_events(&mut stream, 1).await;
        assert!(matches!(
            events[0].event,
            EventKind::NotificationsRead { unread: 0 }
        ));

        // Channel settings: in-app replies off means no more reply notifications.
        let (s, settings) = author
            .put(
                "/api/v1/notifications/settings",
                json!({"settings": [{"kind": "reply", "channel": "in_app", "enabled": false}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{settings}");
        let (s, body) = author
            .put(
                "/api/v1/notifications/settings",
                json!({"settings": [], "email": "not an address"}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = replier
            .post(
                &format!("/api/v1/reading-groups/{g}/posts"),
                json!({"kind": "reply", "body": "再补充一点", "parent_id": root}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let page = notifications(&author).await;
        assert_eq!(page["unread"], 0, "{page}");
        assert_eq!(page["items"].as_array().map(Vec::len), Some(1));

        // A leader features the post: its author hears, once even if it is featured again.
        let feature = format!("/api/v1/reading-groups/{g}/posts/{root}/featured");
        for _ in 0..2 {
            let (s, _) = replier.send(Method::PUT, &feature, None).await;
            assert!(s.is_success(), "{s}");
            let (s, _) = replier.send(Method::DELETE, &feature, None).await;
            assert!(s.is_success(), "{s}");
        }
        let (s, _) = replier.send(Method::PUT, &feature, None).await;
        assert!(s.is_success());
        let page = notifications(&author).await;
        let featured = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|n| n["kind"] == "featured")
            .count();
        assert_eq!(featured, 1, "{page}");
    }
);

both_engines!(
    administrative_changes_leave_audit_rows,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let (_, session) = admin.get("/api/v1/session").await;
        let admin_id = session["user"]["id"].as_i64().expect("id");
        let (s, b) = admin
            .post(
                "/api/v1/admin/accounts",
                json!({"username": "audit.me", "display_name": "审计测试", "role": "member"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = admin
            .post("/api/v1/admin/org/sectors", json!({"name": "审计界"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = admin
            .put(
                "/api/v1/admin/settings",
                json!({"committee_name": "审计政协"}),
            )
            .await;
        assert!(s.is_success(), "{b}");
        let (s, b) = admin
            .put(
                "/api/v1/admin/calendar/2026-10-10",
                json!({"kind": "workday"}),
            )
            .await;
        assert!(s.is_success(), "{b}");
        let (s, b) = admin
            .post(
                "/api/v1/duty/rules",
                json!({"source": "meeting", "points": 3, "effective_from": "2026-07-01"}),
            )
            .await;
        assert!(s.is_success(), "{b}");
        let (_, id, _, _) = crate::consultations::create(&app, "public").await;
        let (s, _) = admin
            .post(
                &format!("/api/v1/consultations/{id}/state"),
                json!({"to": "published"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);

        let actions = audit_actions(&admin, &format!("actor={admin_id}&limit=100")).await;
        for expected in [
            "account.create",
            "org.create",
            "setting.set",
            "calendar.set",
            "point_rule.add",
            "consultation.create",
            "consultation.state",
        ] {
            assert!(
                actions.iter().any(|a| a == expected),
                "{expected} missing from {actions:?}"
            );
        }
        // Filters: by action, and no endpoint edits or deletes rows.
        let (_, only) = admin
            .get(&format!("/api/v1/audit?action=org.create&actor={admin_id}"))
            .await;
        assert_eq!(only["total"], 1, "{only}");
        assert_eq!(only["items"][0]["after"], "审计界");
        let (s, _) = admin.send(Method::DELETE, "/api/v1/audit", None).await;
        assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    }
);
