use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The committee-local date `days` from now (Asia/Shanghai, the demo's zone).
fn local_date(days: i64) -> String {
    use chrono::{Duration, Utc};
    let t = Utc::now() + Duration::days(days);
    t.with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

async fn department_of(admin: &Client, username: &str) -> Value {
    account(admin, username).await["department_id"].clone()
}

/// member1 submits a suggestion; staff accept it for official1's department (lead) and
/// official2's (assisting). Returns (admin, member1, suggestion id, follow-up id).
pub async fn assigned_suggestion(app: &TestApp) -> (Client, Client, i64, i64) {
    let admin = app.admin().await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let (s, created) = member
        .post(
            "/api/v1/suggestions",
            json!({"title": "向阳区路灯不亮", "body": "向阳区解放路一段路灯已坏两周，夜间出行不便。",
                   "location": "向阳区解放路", "public": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["state"], "submitted");
    let id = created["id"].as_i64().expect("id");
    let lead = department_of(&admin, "official1").await;
    let assisting = department_of(&admin, "official2").await;
    let (s, reviewed) = admin
        .post(
            &format!("/api/v1/suggestions/{id}/review"),
            json!({"decision": "accept", "lead_department_id": lead, "assisting": [assisting],
                   "due_date": local_date(30)}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{reviewed}");
    assert_eq!(reviewed["state"], "accepted");
    assert_eq!(reviewed["follow_up"]["state"], "assigned");
    let item = reviewed["follow_up"]["id"].as_i64().expect("item");
    (admin, member, id, item)
}

both_engines!(
    a_micro_suggestion_goes_round_the_loop,
    |app: TestApp| async move {
        let (admin, member, suggestion, item) = assigned_suggestion(&app).await;
        let base = format!("/api/v1/follow-ups/{item}");
        let lead = app.signed_in("official1", DEMO_PASSWORD).await;
        let assisting = app.signed_in("official2", DEMO_PASSWORD).await;
        let other = app.signed_in("official3", DEMO_PASSWORD).await;
        let another_member = app.signed_in("member2", DEMO_PASSWORD).await;

        // Who sees it: the lead and assisting departments, the requester, staff.
        for (who, expected) in [
            (&lead, StatusCode::OK),
            (&assisting, StatusCode::OK),
            (&member, StatusCode::OK),
            (&admin, StatusCode::OK),
            (&other, StatusCode::NOT_FOUND),
            (&another_member, StatusCode::NOT_FOUND),
        ] {
            let (s, _) = who.get(&base).await;
            assert_eq!(s, expected);
        }
        let (s, _) = app.client().await.get(&base).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        // The inbox lists it for both departments, not for the third.
        let (_, inbox) = lead.get("/api/v1/follow-ups").await;
        assert_eq!(inbox["total"], 1);
        let (_, inbox) = assisting.get("/api/v1/follow-ups?state=assigned").await;
        assert_eq!(inbox["items"][0]["id"], item);
        let (_, inbox) = other.get("/api/v1/follow-ups").await;
        assert_eq!(inbox["total"], 0);

        // Only the lead department replies; the assisting one notes progress.
        let (s, body) = assisting
            .post(
                &format!("{base}/reply"),
                json!({"text": "已修复", "result_class": "solved"}),
            )
            .await;
        // Never theirs to do, whatever the state: refused outright rather than "not now".
        assert_error(s, &body, StatusCode::FORBIDDEN, "forbidden");
        let (s, d) = lead.post(&format!("{base}/accept"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "in_handling");
        let (s, _) = assisting
            .post(
                &format!("{base}/notes"),
                json!({"text": "已安排电工现场查看"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, body) = lead
            .post(&format!("{base}/notes"), json!({"text": "  "}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, body) = other
            .post(&format!("{base}/notes"), json!({"text": "越权"}))
            .await;
        assert_error(s, &body, StatusCode::NOT_FOUND, "not_found");
        let (s, d) = lead
            .post(
                &format!("{base}/reply"),
                json!({"text": "已更换灯具，恢复照明。", "result_class": "solved"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "replied");
        assert_eq!(d["actions"]["rate"], false, "the official does not rate");

        // Only the requester rates; "unsatisfied" needs a reason and sends it back once.
        let (s, _) = admin
            .post(&format!("{base}/rating"), json!({"rating": "satisfied"}))
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "staff do not rate for a requester"
        );
        let (s, body) = member
            .post(&format!("{base}/rating"), json!({"rating": "unsatisfied"}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, d) = member
            .post(
                &format!("{base}/rating"),
                json!({"rating": "unsatisfied", "reason": "另一段路灯仍不亮"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "in_handling");
        assert_eq!(d["rehandled"], true);
        assert_eq!(d["actions"]["give_back"], false);
        let (s, d) = lead
            .post(
                &format!("{base}/reply"),
                json!({"text": "两段路灯均已修复。", "result_class": "solved"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        // The second reply is final: even "unsatisfied" ends the loop.
        let (s, d) = member
            .post(
                &format!("{base}/rating"),
                json!({"rating": "unsatisfied", "reason": "修复太慢"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "rated");
        assert_eq!(d["summary"]["rating"], "unsatisfied");
        let (s, _) = member.post(&format!("{base}/close"), json!({})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, d) = admin.post(&format!("{base}/close"), json!({})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(d["summary"]["state"], "closed");
        let (s, _) = admin.post(&format!("{base}/close"), json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT);

        // The timeline shows every step with its actor.
        let kinds: Vec<&str> = d["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            ["assigned", "accepted", "note", "replied", "rated", "replied", "rated", "closed"]
        );
        assert_eq!(d["timeline"][1]["actor_name"], "刘振华");
        assert_eq!(d["timeline"][1]["actor_department"], "市住房和城乡建设局");
        assert_eq!(d["timeline"][3]["result_class"], "solved");
        assert_eq!(d["timeline"][4]["text"], "另一段路灯仍不亮");

        // The member sees it in My activity; the public sees it with the reply.
        let (_, mine) = member.get("/api/v1/suggestions?mine=true").await;
        assert_eq!(mine["items"][0]["follow_up"]["state"], "closed");
        let visitor = app.client().await;
        let (_, public) = visitor.get("/api/v1/suggestions").await;
        assert_eq!(public["total"], 1);
        let (s, one) = visitor
            .get(&format!("/api/v1/suggestions/{suggestion}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(one["reply"], "两段路灯均已修复。");
        let (s, _) = visitor.get("/api/v1/follow-ups").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
);

both_engines!(
    staff_return_a_suggestion_and_private_ones_stay_private,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let (s, body) = member
            .post("/api/v1/suggestions", json!({"title": "", "body": "内容"}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["title"], "required");
        let official = app.signed_in("official1", DEMO_PASSWORD).await;
        let (s, _) = official
            .post(
                "/api/v1/suggestions",
                json!({"title": "标题", "body": "内容"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only members submit");
        let (_, created) = member
            .post(
                "/api/v1/suggestions",
                json!({"title": "建议增设公交站", "body": "在矿区医院门口增设公交站。"}),
            )
            .await;
        let id = created["id"].as_i64().expect("id");
        // Staff see it in the review queue; other members and the public do not see it.
        let (_, queue) = admin.get("/api/v1/suggestions?state=submitted").await;
        assert_eq!(queue["items"][0]["id"], id);
        assert_eq!(queue["items"][0]["can_review"], true);
        let (s, _) = app
            .signed_in("member4", DEMO_PASSWORD)
            .await
            .get(&format!("/api/v1/suggestions/{id}"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, body) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "accept", "lead_department_id": 999999, "due_date": "2020-01-01"}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["lead_department_id"], "unknown");
        assert_eq!(body["fields"]["due_date"], "invalid");
        let (s, body) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "maybe"}),
            )
            .await;
        assert_error(s, &body, StatusCode::BAD_REQUEST, "invalid_json");
        let (s, r) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "return", "reason": "该站点已在公交规划中，请关注公交公司公告。"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["state"], "not_accepted");
        let (_, mine) = member.get("/api/v1/suggestions?mine=true").await;
        assert_eq!(
            mine["items"][0]["review_reason"],
            "该站点已在公交规划中，请关注公交公司公告。"
        );
        let (s, body) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "return", "reason": "再次"}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
        let (_, public) = app.client().await.get("/api/v1/suggestions").await;
        assert_eq!(public["total"], 0);
    }
);

both_engines!(
    giving_back_is_allowed_for_three_working_days,
    |app: TestApp| async move {
        let (admin, _member, _, item) = assigned_suggestion(&app).await;
        let base = format!("/api/v1/follow-ups/{item}");
        let lead = app.signed_in("official1", DEMO_PASSWORD).await;
        // Assigned a week ago: any six days in between hold at least four working days.
        let week_ago = chrono::Utc::now().timestamp_millis() - 7 * 86_400_000;
        sqlx::query("UPDATE follow_ups SET assigned_at = $1 WHERE id = $2")
            .bind(week_ago)
            .bind(item)
            .execute(&app.db.pool)
            .await
            .expect("backdate");
        let (s, body) = lead
            .post(
                &format!("{base}/give-back"),
                json!({"reason": "不属于本单位职责"}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
        // Holidays over those six days (a long national holiday) keep the window open.
        for days in 1..=6 {
            let (s, _) = admin
                .put(
                    &format!("/api/v1/admin/calendar/{}", local_date(-days)),
                    json!({"kind": "holiday", "name": "国庆节"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }
        let (_, d) = lead.get(&base).await;
        assert!(
            d["return_deadline"].as_str().unwrap_or("") >= local_date(0).as_str(),
            "{d}"
        );
        let (s, body) = lead
            .post(&format!("{base}/give-back"), json!({"reason": ""}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, d) = lead
            .post(
                &format!("{base}/give-back"),
                json!({"reason": "路灯由城市管理局负责"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "returned");
        // Staff reassign it to the right department, which then sees it.
        let right = department_of(&admin, "official3").await;
        let (s, body) = lead
            .post(
                &format!("{base}/reassign"),
                json!({"lead_department_id": right, "due_date": local_date(20)}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, d) = admin
            .post(
                &format!("{base}/reassign"),
                json!({"lead_department_id": right, "due_date": local_date(20)}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "assigned");
        assert_eq!(d["summary"]["lead"]["id"], right);
        let (s, _) = lead.get(&base).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "the first department no longer sees it"
        );
        let (s, d) = app
            .signed_in("official3", DEMO_PASSWORD)
            .await
            .get(&base)
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(d["actions"]["give_back"], true, "a fresh window");

        // Calendar administration: bad dates are refused, members cannot edit.
        let (s, body) = admin
            .put(
                "/api/v1/admin/calendar/2026-02-30",
                json!({"kind": "holiday"}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = app
            .signed_in("member5", DEMO_PASSWORD)
            .await
            .put(
                "/api/v1/admin/calendar/2026-10-10",
                json!({"kind": "workday"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let year = &local_date(-1)[..4];
        let (_, days) = admin.get(&format!("/api/v1/calendar?year={year}")).await;
        assert!(days.as_array().is_some_and(|d| !d.is_empty()));
    }
);

both_engines!(
    overdue_follows_the_committee_time_zone,
    |app: TestApp| async move {
        let (admin, _member, _, item) = assigned_suggestion(&app).await;
        // Two zones 25 hours apart always see different dates; the due date is "today" in
        // the western one.
        let west = chrono::Utc::now()
            .with_timezone(&chrono_tz::Pacific::Pago_Pago)
            .format("%Y-%m-%d")
            .to_string();
        sqlx::query("UPDATE follow_ups SET due_date = $1 WHERE id = $2")
            .bind(&west)
            .bind(item)
            .execute(&app.db.pool)
            .await
            .expect("due today");
        app.db
            .set_setting("time_zone", "Pacific/Pago_Pago")
            .await
            .expect("zone");
        let (_, d) = admin.get(&format!("/api/v1/follow-ups/{item}")).await;
        assert_eq!(d["summary"]["overdue"], false, "due today is not late");
        let (_, list) = admin.get("/api/v1/follow-ups?overdue=true").await;
        assert_eq!(list["total"], 0);
        // Past midnight in the eastern zone the same due date has passed.
        app.db
            .set_setting("time_zone", "Pacific/Kiritimati")
            .await
            .expect("zone");
        let (_, d) = admin.get(&format!("/api/v1/follow-ups/{item}")).await;
        assert_eq!(d["summary"]["overdue"], true);
        let (_, list) = admin.get("/api/v1/follow-ups?overdue=true").await;
        assert_eq!(list["total"], 1);
        let (_, stats) = admin.get("/api/v1/follow-ups/stats").await;
        let line = stats
            .as_array()
            .expect("stats")
            .iter()
            .find(|l| l["department"]["name"] == "市住房和城乡建设局")
            .cloned()
            .expect("the department's line");
        assert_eq!(line["overdue"], 1);
        assert_eq!(line["assigned"], 1);
        // A replied item is never overdue.
        let lead = app.signed_in("official1", DEMO_PASSWORD).await;
        lead.post(
            &format!("/api/v1/follow-ups/{item}/reply"),
            json!({"text": "已答复", "result_class": "for_reference"}),
        )
        .await;
        let (_, list) = admin.get("/api/v1/follow-ups?overdue=true").await;
        assert_eq!(list["total"], 0);
        let (_, stats) = admin.get("/api/v1/follow-ups/stats").await;
        let line = &stats[0];
        assert_eq!(line["replied"], 1);
        assert!(line["average_working_days_to_reply"].is_number());
    }
);

both_engines!(
    recommendations_become_tracked_items_and_export_as_csv,
    |app: TestApp| async move {
        let (admin, id, chair, official) = crate::consultations::create(&app, "public").await;
        let base = format!("/api/v1/consultations/{id}");
        for to in ["published", "live", "concluded"] {
            let (s, _) = admin
                .post(&format!("{base}/state"), json!({"to": to}))
                .await;
            assert_eq!(s, StatusCode::OK);
        }
        let (s, _) = admin
            .post(
                &format!("{base}/recommendations"),
                json!({"text": "简化加装电梯审批流程", "department_id": official["department_id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = admin
            .post(&format!("{base}/state"), json!({"to": "outcome_published"}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, recs) = app
            .client()
            .await
            .get(&format!("{base}/recommendations"))
            .await;
        assert_eq!(recs[0]["follow_up_state"], "assigned");
        let item = recs[0]["follow_up_id"].as_i64().expect("tracked");
        // Listing is closed once tracked.
        let (s, body) = admin
            .post(
                &format!("{base}/recommendations"),
                json!({"text": "再加一条", "department_id": official["department_id"]}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
        // The chair is the requester; the department finds it in its inbox.
        let lead = app.signed_in("official1", DEMO_PASSWORD).await;
        let (_, inbox) = lead.get("/api/v1/follow-ups?source=recommendation").await;
        assert_eq!(inbox["items"][0]["id"], item);
        let (_, d) = lead.get(&format!("/api/v1/follow-ups/{item}")).await;
        assert_eq!(d["requester_name"], chair["display_name"]);
        assert!(d["summary"]["title"]
            .as_str()
            .unwrap_or("")
            .ends_with("建议1"));

        // Staff export every item as CSV for Excel: UTF-8 with a byte-order mark.
        let res = admin
            .raw(reqwest::Method::GET, "/api/v1/follow-ups/export")
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv"));
        let bytes = res.bytes().await.expect("body");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let mut lines = text.lines();
        assert!(lines
            .next()
            .unwrap_or("")
            .starts_with("编号,来源,标题,承办单位,状态"));
        let row = lines.next().unwrap_or("");
        assert!(
            row.contains("协商建议")
                && row.contains("市住房和城乡建设局")
                && row.contains("已交办"),
            "{row}"
        );
        let res = lead
            .raw(reqwest::Method::GET, "/api/v1/follow-ups/export")
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
);

/// A tiny valid PNG header: enough for the content check.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

async fn upload(
    client: &Client,
    path: &str,
    name: &str,
    body: &'static [u8],
) -> (StatusCode, Value) {
    let res = client
        .raw(reqwest::Method::POST, &format!("{path}?filename={name}"))
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both_engines!(
    photos_of_the_problem_and_evidence_of_handling,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let (_, created) = member
            .post(
                "/api/v1/suggestions",
                json!({"title": "井盖破损", "body": "学府路井盖破损。", "public": false}),
            )
            .await;
        let id = created["id"].as_i64().expect("id");
        assert_eq!(created["can_add_photos"], true);
        let path = format!("/api/v1/suggestions/{id}/photos");
        let (s, body) = upload(&member, &path, "a.pdf", b"%PDF-1.4 not an image").await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        for n in 0..3 {
            let (s, photos) = upload(&member, &path, &format!("{n}.png"), PNG).await;
            assert_eq!(s, StatusCode::CREATED, "{photos}");
        }
        let (s, body) = upload(&member, &path, "4.png", PNG).await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = upload(
            &app.signed_in("member2", DEMO_PASSWORD).await,
            &path,
            "x.png",
            PNG,
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "not the author's");
        let (_, one) = member.get(&format!("/api/v1/suggestions/{id}")).await;
        let photo = one["photos"][0]["id"].as_i64().expect("photo");
        let photo_path = format!("/api/v1/photos/{photo}");

        // Accepted: the lead department sees the member's photos on the item.
        let lead_department = department_of(&admin, "official1").await;
        let (_, reviewed) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "accept", "lead_department_id": lead_department, "due_date": local_date(10)}),
            )
            .await;
        let item = reviewed["follow_up"]["id"].as_i64().expect("item");
        let lead = app.signed_in("official1", DEMO_PASSWORD).await;
        let (_, d) = lead.get(&format!("/api/v1/follow-ups/{item}")).await;
        assert_eq!(d["source_photos"].as_array().map(Vec::len), Some(3));
        let res = lead
            .raw(reqwest::Method::GET, &photo_path)
            .send()
            .await
            .expect("photo");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "image/png");
        for (who, expected) in [
            (
                app.signed_in("official3", DEMO_PASSWORD).await,
                StatusCode::NOT_FOUND,
            ),
            (app.client().await, StatusCode::NOT_FOUND),
        ] {
            let res = who
                .raw(reqwest::Method::GET, &photo_path)
                .send()
                .await
                .expect("photo");
            assert_eq!(res.status(), expected);
        }
        let (s, _) = upload(&member, &path, "late.png", PNG).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "no more photos after review");

        // Evidence while handling; the requester sees it.
        let evidence = format!("/api/v1/follow-ups/{item}/photos");
        let (s, photos) = upload(&lead, &evidence, "修复后.png", PNG).await;
        assert_eq!(s, StatusCode::CREATED, "{photos}");
        assert_eq!(photos[0]["filename"], "修复后.png");
        let (_, d) = member.get(&format!("/api/v1/follow-ups/{item}")).await;
        let evidence_photo = d["photos"][0]["id"].as_i64().expect("evidence");
        let res = member
            .raw(
                reqwest::Method::GET,
                &format!("/api/v1/photos/{evidence_photo}"),
            )
            .send()
            .await
            .expect("photo");
        assert_eq!(res.status(), StatusCode::OK);
        lead.post(
            &format!("/api/v1/follow-ups/{item}/reply"),
            json!({"text": "已更换井盖", "result_class": "solved"}),
        )
        .await;
        let (s, body) = upload(&lead, &evidence, "later.png", PNG).await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
    }
);

both_engines!(
    long_texts_keep_their_lines_and_exports_are_spreadsheet_safe,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, created) = member
            .post(
                "/api/v1/suggestions",
                json!({"title": "=HYPERLINK(\"http://x\")", "body": "第一行\n第二行\n\t第三行"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        assert_eq!(created["body"], "第一行\n第二行\n\t第三行");
        let id = created["id"].as_i64().expect("id");
        let lead = department_of(&admin, "official1").await;
        // Only the canonical date form is accepted: dates are compared as text.
        for bad in [" 2099-1-05", "+2099-01-05", "2099-1-5"] {
            let (s, body) = admin
                .post(
                    &format!("/api/v1/suggestions/{id}/review"),
                    json!({"decision": "accept", "lead_department_id": lead, "due_date": bad}),
                )
                .await;
            assert_error(
                s,
                &body,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            );
        }
        let (_, reviewed) = admin
            .post(
                &format!("/api/v1/suggestions/{id}/review"),
                json!({"decision": "accept", "lead_department_id": lead, "due_date": local_date(5)}),
            )
            .await;
        let item = reviewed["follow_up"]["id"].as_i64().expect("item");
        let official = app.signed_in("official1", DEMO_PASSWORD).await;
        let (s, d) = official
            .post(
                &format!("/api/v1/follow-ups/{item}/reply"),
                json!({"text": "一、已核实。\n二、已处理。", "result_class": "solved"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["reply"], "一、已核实。\n二、已处理。");
        // No progress notes once replied.
        let (s, body) = official
            .post(
                &format!("/api/v1/follow-ups/{item}/notes"),
                json!({"text": "补充"}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");
        let res = admin
            .raw(reqwest::Method::GET, "/api/v1/follow-ups/export")
            .send()
            .await
            .expect("export");
        let text = res.text().await.expect("csv");
        assert!(text.contains("'=HYPERLINK"), "{text}");
    }
);
