use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn due_in(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

fn public_issue(title: &str) -> Value {
    json!({"title": title, "description": "村里排水渠一下雨就漫溢，淹到院子。", "location": "萝北县名山镇",
           "name": "王大爷", "contact": "13900001111", "consent": true})
}

async fn staff_find(admin: &Client, title: &str) -> Value {
    let (_, list) = admin.get("/api/v1/micro-consultations?state=raised").await;
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("{title} in the staff queue: {list}"))
}

async fn accept_body(admin: &Client, takers: &[&str], departments_of: &[&str]) -> Value {
    let mut members = Vec::new();
    for t in takers {
        members.push(account(admin, t).await["id"].clone());
    }
    let mut departments = Vec::new();
    for o in departments_of {
        departments.push(account(admin, o).await["department_id"].clone());
    }
    json!({"members": members, "departments": departments, "visibility": "public"})
}

both_engines!(
    a_residents_issue_is_moderated_and_its_contact_stays_with_staff,
    |app: TestApp| async move {
        let visitor = app.client().await;
        // Consent and the fields are required.
        let mut missing = public_issue("");
        missing["consent"] = json!(false);
        let (s, body) = visitor
            .post("/api/v1/micro-consultations/public", missing)
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["consent"], "required");
        assert_eq!(body["fields"]["title"], "required");
        let (s, _) = visitor
            .post(
                "/api/v1/micro-consultations/public",
                public_issue("名山镇排水渠漫溢"),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED);
        // Invisible to the public and to members until accepted.
        let (_, list) = visitor.get("/api/v1/micro-consultations").await;
        assert_eq!(list["total"], 0);
        let member = app.signed_in("member2", DEMO_PASSWORD).await;
        let (_, list) = member.get("/api/v1/micro-consultations").await;
        assert_eq!(list["total"], 0);
        let admin = app.admin().await;
        let item = staff_find(&admin, "名山镇排水渠漫溢").await;
        let id = item["id"].as_i64().expect("id");
        let path = format!("/api/v1/micro-consultations/{id}");
        let (s, _) = visitor.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (_, d) = admin.get(&path).await;
        assert_eq!(d["raiser"]["contact"], "13900001111");
        assert_eq!(d["raiser"]["name"], "王大爷");
        assert_eq!(d["actions"]["accept"], true);

        let (s, body) = member
            .post(
                &format!("{path}/accept"),
                accept_body(&admin, &["member2"], &["official1"]).await,
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, d) = admin
            .post(
                &format!("{path}/accept"),
                accept_body(&admin, &["member2"], &["official1"]).await,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "accepted");
        // Public now, without the contact in any response to non-staff.
        for who in [&visitor, &member] {
            let (s, d) = who.get(&path).await;
            assert_eq!(s, StatusCode::OK);
            let text = d.to_string();
            assert!(
                !text.contains("13900001111") && !text.contains("王大爷"),
                "{text}"
            );
            let (_, list) = who.get("/api/v1/micro-consultations").await;
            assert!(!list.to_string().contains("13900001111"));
        }
        let (_, list) = visitor.get("/api/v1/micro-consultations").await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["counts"]["in_progress"], 1);
    }
);

both_engines!(
    public_submissions_are_rate_limited,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.limits.public_issues_per_hour = 2).await;
        let visitor = app.client().await;
        for n in 0..2 {
            let (s, _) = visitor
                .post(
                    "/api/v1/micro-consultations/public",
                    public_issue(&format!("问题{n}")),
                )
                .await;
            assert_eq!(s, StatusCode::ACCEPTED);
        }
        let (s, body) = visitor
            .post("/api/v1/micro-consultations/public", public_issue("问题3"))
            .await;
        assert_error(s, &body, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    }
);

both_engines!(
    contacts_are_erased_after_the_retention_period,
    |_app: TestApp| async move {
        let app = TestApp::spawn_with(_app.engine, |c| c.contact_retention_days = 0).await;
        let visitor = app.client().await;
        visitor
            .post(
                "/api/v1/micro-consultations/public",
                public_issue("无关事项"),
            )
            .await;
        let admin = app.admin().await;
        let id = staff_find(&admin, "无关事项").await["id"]
            .as_i64()
            .expect("id");
        let path = format!("/api/v1/micro-consultations/{id}");
        let (_, d) = admin.get(&path).await;
        assert_eq!(d["raiser"]["contact"], "13900001111", "kept while open");
        let (s, _) = admin
            .post(
                &format!("{path}/decline"),
                json!({"reason": "不属于协商范围"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // The scheduler erases it once the (zero-day) retention has passed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (_, d) = admin.get(&path).await;
            if d["raiser"]["contact_erased_at"].is_number() {
                assert!(d["raiser"]["contact"].is_null() && d["raiser"]["name"].is_null());
                break;
            }
            assert!(std::time::Instant::now() < deadline, "not erased: {d}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
);

both_engines!(
    a_members_issue_goes_from_request_to_resolution,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let raiser = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, d) = raiser
            .post(
                "/api/v1/micro-consultations",
                json!({"title": "老旧小区机械车位停用", "description": "光明社区机械停车位锁闭两年。", "location": "向阳区光明社区"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let id = d["summary"]["id"].as_i64().expect("id");
        let path = format!("/api/v1/micro-consultations/{id}");
        let taker = app.signed_in("member2", DEMO_PASSWORD).await;
        let official = app.signed_in("official1", DEMO_PASSWORD).await;
        let other_official = app.signed_in("official2", DEMO_PASSWORD).await;
        let bystander = app.signed_in("member9", DEMO_PASSWORD).await;
        let (s, _) = bystander.get(&path).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "before acceptance only the raiser and staff"
        );
        admin
            .post(
                &format!("{path}/accept"),
                accept_body(&admin, &["member2"], &["official1"]).await,
            )
            .await;
        // Opinions open: takers, concerned officials and staff post; others do not.
        let (s, _) = bystander
            .post(&format!("{path}/state"), json!({"to": "gathering"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, d) = taker
            .post(&format!("{path}/state"), json!({"to": "gathering"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        // Open for opinions: the home page lists it for everyone.
        let (_, home) = app.client().await.get("/api/v1/home").await;
        assert!(
            home["open_items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["area"] == "micro_consultation" && i["id"] == id),
            "{home}"
        );
        let opinion = json!({"kind": "comment", "body": "建议由物业和产权单位共同维修后开放。"});
        let watcher = app.client().await;
        let mut stream = watcher.stream(&format!("micro:{id}")).await;
        let (s, post) = official
            .post(&format!("{path}/posts"), opinion.clone())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{post}");
        // Readers of the page hear it over the event stream.
        let events = crate::events::read_events(&mut stream, 1).await;
        let heard = match &events[0].event {
            yishi_api::EventKind::PostCreated { post: p } => p.id,
            other => panic!("{other:?}"),
        };
        assert_eq!(Some(heard), post["id"].as_i64());
        drop(stream);
        for who in [&other_official, &bystander] {
            let (s, _) = who.post(&format!("{path}/posts"), opinion.clone()).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        let (s, _) = taker
            .post(
                &format!("{path}/posts"),
                json!({"kind": "reply", "body": "同意", "parent_id": post["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        // Taking part scores once on the member's duty record, however many opinions.
        for _ in 0..2 {
            let (s, _) = taker.post(&format!("{path}/posts"), opinion.clone()).await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let member2 = account(&admin, "member2").await["id"].clone();
        let (_, record) = admin.get(&format!("/api/v1/duty/records/{member2}")).await;
        let rows: Vec<(Value, Value)> = record["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| (r["source"].clone(), r["link"].clone()))
            .collect();
        assert_eq!(
            rows,
            vec![(
                json!("micro_taking_part"),
                json!(format!("/micro-consultations/{id}"))
            )],
            "{record}"
        );
        let (s, _) = bystander
            .post(&format!("/api/v1/posts/{}/like", post["id"]), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "readers like");

        // Questionnaire: staff set it, members answer once, results for members and staff.
        let (s, d) = admin
            .put(
                &format!("{path}/questionnaire"),
                json!({"questions": [
                    {"text": "您是否支持开放机械车位？", "options": ["支持", "不支持"]},
                    {"text": "您希望的收费方式", "multiple": true, "options": ["按月", "按次", "免费"]}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        let q = &d["questionnaire"]["questions"];
        let yes = q[0]["options"][0]["id"].clone();
        let (monthly, per_use) = (
            q[1]["options"][0]["id"].clone(),
            q[1]["options"][1]["id"].clone(),
        );
        let answers = json!({"answers": [
            {"question_id": q[0]["id"], "option_ids": [yes]},
            {"question_id": q[1]["id"], "option_ids": [monthly, per_use]}]});
        let (s, body) = bystander
            .post(
                &format!("{path}/answers"),
                json!({"answers": [{"question_id": q[0]["id"], "option_ids": [yes]}]}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, d) = bystander
            .post(&format!("{path}/answers"), answers.clone())
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["questionnaire"]["answered"], true);
        assert_eq!(d["questionnaire"]["questions"][1]["options"][0]["count"], 1);
        let (s, _) = bystander
            .post(&format!("{path}/answers"), answers.clone())
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "once per member");
        let (s, _) = official
            .post(&format!("{path}/answers"), answers.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "members answer");
        let (_, public) = app.client().await.get(&path).await;
        assert!(public["questionnaire"]["questions"][0]["options"][0]["count"].is_null());
        assert!(public["questionnaire"]["respondents"].is_null());
        let (s, _) = admin
            .put(
                &format!("{path}/questionnaire"),
                json!({"questions": [{"text": "改题", "options": ["甲", "乙"]}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "not after answers");

        // The meeting, then the consensus with two measures.
        let (s, d) = taker
            .put(
                &format!("{path}/meeting"),
                json!({"place": "光明社区党群服务中心", "participants": "委员2名、住建局、居民代表3名"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["summary"]["state"], "meeting_scheduled");
        let (s, d) = taker
            .put(
                &format!("{path}/meeting"),
                json!({"place": "光明社区党群服务中心", "participants": "委员2名、住建局、居民代表3名",
                       "record": "各方同意维修后开放，按月收费。"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["meeting"]["record"], "各方同意维修后开放，按月收费。");
        let department = account(&admin, "official1").await["department_id"].clone();
        let (s, body) = admin
            .post(
                &format!("{path}/consensus"),
                json!({"text": "维修后开放", "measures": []}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, d) = admin
            .post(
                &format!("{path}/consensus"),
                json!({"text": "机械车位维修后向居民开放。", "measures": [
                    {"text": "完成机械车位检修", "lead_department_id": department, "due_date": due_in(30)},
                    {"text": "制定收费办法", "lead_department_id": department, "due_date": due_in(45)}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        assert_eq!(d["measures"].as_array().map(Vec::len), Some(2));
        let (s, _) = admin
            .post(&format!("{path}/state"), json!({"to": "in_implementation"}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = admin
            .post(&format!("{path}/state"), json!({"to": "resolved"}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "measures still open");
        // The department replies to both; the member raiser rates; staff close them.
        for m in d["measures"].as_array().expect("measures") {
            let item = format!("/api/v1/follow-ups/{}", m["id"]);
            let (s, _) = official
                .post(
                    &format!("{item}/reply"),
                    json!({"text": "已完成", "result_class": "solved"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
            let (s, _) = raiser
                .post(&format!("{item}/rating"), json!({"rating": "satisfied"}))
                .await;
            assert_eq!(s, StatusCode::OK);
            let (s, _) = admin.post(&format!("{item}/close"), json!({})).await;
            assert_eq!(s, StatusCode::OK);
        }
        let (s, d) = admin
            .post(&format!("{path}/state"), json!({"to": "resolved"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{d}");
        let (s, _) = admin
            .post(&format!("{path}/state"), json!({"to": "closed"}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "the raiser's feedback first");
        let (s, _) = raiser
            .put(
                &format!("{path}/feedback"),
                json!({"text": "车位已开放，很满意。"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, d) = admin
            .post(&format!("{path}/state"), json!({"to": "closed"}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let states: Vec<&str> = d["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter_map(|t| t["to"].as_str())
            .collect();
        assert_eq!(
            states,
            [
                "raised",
                "accepted",
                "gathering",
                "meeting_scheduled",
                "consensus_published",
                "in_implementation",
                "resolved",
                "closed"
            ]
        );
        let (_, list) = app
            .client()
            .await
            .get("/api/v1/micro-consultations?state=closed")
            .await;
        assert_eq!(list["items"][0]["id"], id);
        assert_eq!(list["counts"]["resolved"], 1);
    }
);

both_engines!(
    a_declined_issue_tells_its_member_raiser_why,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let raiser = app.signed_in("member3", DEMO_PASSWORD).await;
        let (_, d) = raiser
            .post(
                "/api/v1/micro-consultations",
                json!({"title": "建议修建机场", "description": "希望修建机场。"}),
            )
            .await;
        let id = d["summary"]["id"].as_i64().expect("id");
        let path = format!("/api/v1/micro-consultations/{id}");
        let (s, body) = admin
            .post(&format!("{path}/decline"), json!({"reason": ""}))
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let (s, _) = admin
            .post(
                &format!("{path}/decline"),
                json!({"reason": "超出微协商范围，建议通过提案反映。"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, d) = raiser.get(&path).await;
        assert_eq!(d["summary"]["state"], "declined");
        assert_eq!(d["decline_reason"], "超出微协商范围，建议通过提案反映。");
        let (s, _) = admin
            .post(
                &format!("{path}/accept"),
                accept_body(&admin, &["member2"], &[]).await,
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, _) = app.client().await.get(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);

both_engines!(
    the_public_form_takes_one_photo_seen_with_the_issue,
    |app: TestApp| async move {
        use base64::Engine as _;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
        let visitor = app.client().await;
        let mut bad = public_issue("带照片的问题");
        bad["photo"] = json!({"filename": "a.png", "data_base64": "%%%"});
        let (s, body) = visitor
            .post("/api/v1/micro-consultations/public", bad)
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        assert_eq!(body["fields"]["photo"], "invalid");
        let mut issue = public_issue("带照片的问题");
        issue["photo"] = json!({"filename": "水渠.png",
            "data_base64": base64::engine::general_purpose::STANDARD.encode(png)});
        let (s, _) = visitor
            .post("/api/v1/micro-consultations/public", issue)
            .await;
        assert_eq!(s, StatusCode::ACCEPTED);
        let admin = app.admin().await;
        let id = staff_find(&admin, "带照片的问题").await["id"]
            .as_i64()
            .expect("id");
        let (_, d) = admin
            .get(&format!("/api/v1/micro-consultations/{id}"))
            .await;
        assert_eq!(d["photos"][0]["filename"], "水渠.png");
        assert!(d["photos"][0]["uploaded_by"].is_null(), "a visitor");
        let photo = format!("/api/v1/photos/{}", d["photos"][0]["id"]);
        let res = admin
            .raw(reqwest::Method::GET, &photo)
            .send()
            .await
            .expect("photo");
        assert_eq!(res.status(), StatusCode::OK);
        let res = visitor
            .raw(reqwest::Method::GET, &photo)
            .send()
            .await
            .expect("photo");
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "not before acceptance");
    }
);

both_engines!(
    the_demo_stories_load_and_read_as_intended,
    |app: TestApp| async move {
        yishi_server::demo::load_stories(&app.db)
            .await
            .expect("stories load");
        let visitor = app.client().await;
        let (_, list) = visitor.get("/api/v1/micro-consultations").await;
        assert_eq!(list["total"], 3, "the members-only one is hidden: {list}");
        assert_eq!(list["counts"]["resolved"], 1);
        assert!(!list.to_string().contains("13845670000"));
        let member = app.signed_in("member5", DEMO_PASSWORD).await;
        let (_, list) = member.get("/api/v1/micro-consultations").await;
        assert_eq!(list["total"], 4);
        let (_, suggestions) = visitor.get("/api/v1/suggestions").await;
        assert_eq!(suggestions["total"], 1);
        let admin = app.admin().await;
        let (_, stats) = admin.get("/api/v1/follow-ups/stats").await;
        assert!(stats.as_array().is_some_and(|s| !s.is_empty()), "{stats}");
    }
);
