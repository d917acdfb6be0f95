use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use yishi_api::{AccountId, DutyGrade, DutySource};
use yishi_server::db::duty::{award, reverse, Award};

async fn ids(admin: &Client, names: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    for n in names {
        out.push(account(admin, n).await["id"].clone());
    }
    out
}

async fn record(c: &Client, who: &Value) -> Value {
    c.get(&format!("/api/v1/duty/records/{who}?year=2026"))
        .await
        .1
}

fn total(record: &Value) -> i64 {
    record["total"]
        .as_i64()
        .unwrap_or_else(|| panic!("total in {record}"))
}

both_engines!(
    offline_duties_leave_and_corrections_score_by_the_rules,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let people = ids(
            &admin,
            &["member1", "member2", "member3", "member4", "member5"],
        )
        .await;
        let (s, plenary) = admin
            .post(
                "/api/v1/duty/activities",
                json!({"kind": "plenary", "title": "市政协十五届三次全体会议", "held_on": "2026-03-15",
                       "half_days": 2, "invitee_ids": people}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{plenary}");
        let id = plenary["id"].as_i64().expect("id");
        assert_eq!(plenary["invitees"].as_array().map(Vec::len), Some(5));

        // member3 asks for leave and gets it; member4 asks and is refused.
        let m3 = app.signed_in("member3", DEMO_PASSWORD).await;
        let m4 = app.signed_in("member4", DEMO_PASSWORD).await;
        for (c, reason) in [(&m3, "出差在外"), (&m4, "家中有事")] {
            let (s, mine) = c
                .post(
                    &format!("/api/v1/duty/activities/{id}/leave"),
                    json!({"reason": reason}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{mine}");
            assert_eq!(mine[0]["leave"], "requested");
        }
        let (s, body) = m3
            .post(
                &format!("/api/v1/duty/activities/{id}/leave"),
                json!({"reason": ""}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let m6 = app.signed_in("member6", DEMO_PASSWORD).await;
        let (s, _) = m6
            .post(
                &format!("/api/v1/duty/activities/{id}/leave"),
                json!({"reason": "不在名单"}),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = m3
            .put(
                &format!("/api/v1/duty/activities/{id}/leave/{}", people[2]),
                json!({"approve": true}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        for (who, approve) in [(&people[2], true), (&people[3], false)] {
            let (s, _) = admin
                .put(
                    &format!("/api/v1/duty/activities/{id}/leave/{who}"),
                    json!({"approve": approve}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }

        // Staff tick three attendees at once.
        let (s, recorded) = admin
            .put(
                &format!("/api/v1/duty/activities/{id}/attendance"),
                json!({"attended": [people[0], people[1], people[4]]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{recorded}");
        assert_eq!(recorded["recorded"], true);

        let r1 = record(&admin, &people[0]).await;
        assert_eq!(total(&r1), 4, "two half-days at 2 points: {r1}");
        assert_eq!(r1["rows"][0]["title"], "市政协十五届三次全体会议");
        assert_eq!(r1["grade"], "not_competent");
        assert_eq!(
            total(&record(&admin, &people[2]).await),
            0,
            "approved leave scores 0"
        );
        assert_eq!(
            total(&record(&admin, &people[3]).await),
            -1,
            "unexcused absence"
        );
        // Leave cannot be asked for any more.
        let (s, body) = m3
            .post(
                &format!("/api/v1/duty/activities/{id}/leave"),
                json!({"reason": "再请一次"}),
            )
            .await;
        assert_error(s, &body, StatusCode::CONFLICT, "invalid_transition");

        // A correction: member1 was not there after all. The ledger gains a compensating row.
        let (s, _) = admin
            .put(
                &format!("/api/v1/duty/activities/{id}/attendance"),
                json!({"attended": [people[1], people[4]]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let r1 = record(&admin, &people[0]).await;
        assert_eq!(total(&r1), -1, "{r1}");
        let rows = r1["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 3, "award, its reversal, the absence: {r1}");
        assert_eq!(rows[1]["reversal"], true);
        assert_eq!(rows[1]["points"], -4);
        // Re-sending the same attendance changes nothing.
        admin
            .put(
                &format!("/api/v1/duty/activities/{id}/attendance"),
                json!({"attended": [people[1], people[4]]}),
            )
            .await;
        assert_eq!(
            record(&admin, &people[0]).await["rows"]
                .as_array()
                .map(Vec::len),
            Some(3)
        );
        // Unknown attendees are refused.
        let (s, _) = admin
            .put(
                &format!("/api/v1/duty/activities/{id}/attendance"),
                json!({"attended": [999999]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

        // The breakdown by category and the staff overview agree.
        let r2 = record(&admin, &people[1]).await;
        let meetings = r2["by_category"]
            .as_array()
            .expect("categories")
            .iter()
            .find(|c| c["category"] == "meetings")
            .cloned()
            .expect("meetings");
        assert_eq!(meetings["points"], 4);
        let (_, overview) = admin.get("/api/v1/duty/overview?year=2026").await;
        let first = &overview[0];
        assert_eq!(first["total"], 4);
        let (s, body) = admin
            .get("/api/v1/duty/overview?year=2026&sort=sideways")
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
);

both_engines!(
    caps_rule_changes_and_reversals_follow_the_ledger,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let member = AccountId(account(&admin, "member7").await["id"].as_i64().expect("id"));
        // 2026-05-01 noon in Shanghai.
        let may = 1_777_608_000_000_i64;
        let mut tx = app.db.pool.begin().await.expect("tx");
        for n in 0..12 {
            award(
                &mut tx,
                Award {
                    account: member,
                    source: DutySource::ReadingReflection,
                    ref_kind: "post",
                    ref_id: 1000 + n,
                    units: 1,
                    at: may,
                },
            )
            .await
            .expect("award");
        }
        tx.commit().await.expect("commit");
        let (_, r) = admin
            .get(&format!("/api/v1/duty/records/{}?year=2026", member.0))
            .await;
        assert_eq!(total(&r), 10, "reflections are capped at 10 a year: {r}");

        // A rule changed mid-year applies from its date on.
        let (s, _) = admin
            .post(
                "/api/v1/duty/rules",
                json!({"source": "meeting", "points": 3, "effective_from": "2026-07-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, rules) = admin.get("/api/v1/duty/rules").await;
        let plenary = rules
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["source"] == "plenary")
            .cloned()
            .expect("the default plenary rule");
        assert_eq!(
            (plenary["points"].clone(), plenary["unit"].clone()),
            (json!(2), json!("half_day"))
        );
        let (s, body) = admin
            .post(
                "/api/v1/duty/rules",
                json!({"source": "meeting", "points": 3, "effective_from": "2026-13-01"}),
            )
            .await;
        assert_error(
            s,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
        let day = 86_400_000_i64;
        let june_30 = may + 60 * day;
        let july_2 = may + 62 * day;
        let meeting = |ref_id: i64, at: i64| Award {
            account: member,
            source: DutySource::Meeting,
            ref_kind: "activity",
            ref_id,
            units: 1,
            at,
        };
        let mut tx = app.db.pool.begin().await.expect("tx");
        award(&mut tx, meeting(1, june_30)).await.expect("award");
        award(&mut tx, meeting(2, july_2)).await.expect("award");
        // The same source twice is once.
        award(&mut tx, meeting(2, july_2)).await.expect("award");
        tx.commit().await.expect("commit");
        let (_, r) = admin
            .get(&format!("/api/v1/duty/records/{}?year=2026", member.0))
            .await;
        assert_eq!(total(&r), 10 + 1 + 3, "{r}");
        // Undoing a source writes a compensating row; the ledger is never edited.
        let mut tx = app.db.pool.begin().await.expect("tx");
        reverse(&mut tx, meeting(2, july_2)).await.expect("reverse");
        reverse(&mut tx, meeting(2, july_2))
            .await
            .expect("reverse twice");
        tx.commit().await.expect("commit");
        let (_, r) = admin
            .get(&format!("/api/v1/duty/records/{}?year=2026", member.0))
            .await;
        assert_eq!(total(&r), 11);
        let rows = r["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 10 + 2 + 1);
        assert_eq!(rows.last().map(|x| x["points"].clone()), Some(json!(-3)));
    }
);

#[test]
fn grades_at_the_boundaries() {
    assert_eq!(DutyGrade::of(59), DutyGrade::NotCompetent);
    assert_eq!(DutyGrade::of(60), DutyGrade::Competent);
    assert_eq!(DutyGrade::of(79), DutyGrade::Competent);
    assert_eq!(DutyGrade::of(80), DutyGrade::Good);
    assert_eq!(DutyGrade::of(89), DutyGrade::Good);
    assert_eq!(DutyGrade::of(90), DutyGrade::Excellent);
}

both_engines!(
    a_record_is_for_the_member_and_staff_only,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let people = ids(&admin, &["member1", "member2"]).await;
        let (_, a) = admin
            .post(
                "/api/v1/duty/activities",
                json!({"kind": "inspection", "title": "赴萝北县视察", "held_on": "2026-05-20",
                       "invitee_ids": people}),
            )
            .await;
        admin
            .put(
                &format!("/api/v1/duty/activities/{}/attendance", a["id"]),
                json!({"attended": [people[0]]}),
            )
            .await;
        let path = format!("/api/v1/duty/records/{}?year=2026", people[0]);
        let me = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, r) = me.get(&path).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["total"], 2);
        for login in ["member2", "official1"] {
            let other = app.signed_in(login, DEMO_PASSWORD).await;
            let (s, body) = other.get(&path).await;
            assert_error(s, &body, StatusCode::NOT_FOUND, "not_found");
            let (s, _) = other.get("/api/v1/duty/overview").await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        let (s, _) = app.client().await.get(&path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = me.get("/api/v1/duty/activities").await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The staff export: UTF-8 with a byte-order mark, one line per member.
        let res = admin
            .raw(Method::GET, "/api/v1/duty/overview.csv?year=2026")
            .send()
            .await
            .expect("csv");
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("bytes");
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("姓名,界别,专委会,年度,积分,等次"));
        let first = lines.next().expect("a member");
        assert!(
            first.starts_with("张立新,") && first.ends_with(",2026,2,不称职"),
            "{first}"
        );
        assert_eq!(lines.count(), 39);
    }
);

/// The sources of a record's rows, in order, with their points.
fn sources(record: &Value) -> Vec<(String, i64)> {
    record["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap_or_default().to_owned(),
                r["points"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

async fn this_year_record(c: &Client, who: &Value) -> Value {
    let (s, r) = c.get(&format!("/api/v1/duty/records/{who}")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r
}

both_engines!(
    reading_actions_write_points_and_undoing_them_reverses,
    |app: TestApp| async move {
        let f = crate::reading::fixture(&app).await;
        let g = f.public;
        let member = app.signed_in("member3", DEMO_PASSWORD).await;
        let leader = app.signed_in("member2", DEMO_PASSWORD).await;
        let me = account(&f.admin, "member3").await["id"].clone();
        let posts = format!("/api/v1/reading-groups/{g}/posts");
        let (_, reflection) = member
            .post(&posts, json!({"kind": "reflection", "body": "读后感"}))
            .await;
        let (_, other) = member
            .post(&posts, json!({"kind": "reflection", "body": "第二篇"}))
            .await;
        // A note is not a reflection: no points.
        member
            .post(&posts, json!({"kind": "note", "body": "笔记"}))
            .await;
        let featured = format!("{posts}/{}/featured", reflection["id"]);
        leader.send(Method::PUT, &featured, None).await;
        let r = this_year_record(&member, &me).await;
        assert_eq!(
            sources(&r),
            vec![
                ("reading_reflection".into(), 1),
                ("reading_reflection".into(), 1),
                ("reading_featured".into(), 2)
            ]
        );
        assert_eq!(
            r["rows"][0]["link"],
            format!("/reading-groups/{g}/posts/{}", reflection["id"])
        );
        assert_eq!(r["rows"][0]["title"], "乡土中国读书群");
        // Unfeaturing and removing write compensating rows.
        leader.send(Method::DELETE, &featured, None).await;
        member
            .send(Method::DELETE, &format!("{posts}/{}", other["id"]), None)
            .await;
        let r = this_year_record(&member, &me).await;
        assert_eq!(total(&r), 1, "{r}");
        assert_eq!(
            sources(&r)[3..],
            [
                ("reading_featured".into(), -2),
                ("reading_reflection".into(), -1)
            ]
        );

        // Finishing the plan scores once; taking a check-in back undoes it.
        for c in &f.chapters {
            member
                .send(
                    Method::PUT,
                    &format!("/api/v1/reading-groups/{g}/checkins/{c}"),
                    None,
                )
                .await;
        }
        member
            .send(
                Method::PUT,
                &format!("/api/v1/reading-groups/{g}/checkins/{}", f.chapters[0]),
                None,
            )
            .await;
        assert_eq!(total(&this_year_record(&member, &me).await), 3);
        member
            .send(
                Method::DELETE,
                &format!("/api/v1/reading-groups/{g}/checkins/{}", f.chapters[2]),
                None,
            )
            .await;
        assert_eq!(total(&this_year_record(&member, &me).await), 1);
    }
);

both_engines!(
    consultation_speeches_questions_and_suggestions_write_points,
    |app: TestApp| async move {
        let (admin, id, _, _) = crate::consultations::create(&app, "public").await;
        let base = format!("/api/v1/consultations/{id}");
        admin
            .post(&format!("{base}/state"), json!({"to": "published"}))
            .await;
        let member1 = account(&admin, "member1").await;
        // A colleague of member1's sector writes a speech.
        let (_, same) = admin
            .get("/api/v1/admin/accounts?role=member&limit=100")
            .await;
        let colleague = same["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| {
                a["sector_id"] == member1["sector_id"]
                    && a["username"] != "member1"
                    && a["username"] != "member2"
            })
            .cloned()
            .expect("a colleague");
        let speaker = app.signed_in("member1", DEMO_PASSWORD).await;
        let writer = app
            .signed_in(
                colleague["username"].as_str().expect("username"),
                DEMO_PASSWORD,
            )
            .await;
        let chair = app.signed_in("member2", DEMO_PASSWORD).await;
        let (s, _) = speaker
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "venue", "summary": "关于加装电梯补贴"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, _) = writer
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "written", "summary": "书面发言"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, floor) = chair.get(&format!("{base}/floor")).await;
        for p in floor["pending"].as_array().expect("pending") {
            let (s, f) = chair
                .post(
                    &format!("/api/v1/speeches/{}/decision", p["id"]),
                    json!({"accept": true}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{f}");
        }
        admin
            .post(&format!("{base}/state"), json!({"to": "live"}))
            .await;
        chair.post(&format!("{base}/floor/next"), json!({})).await;
        chair.post(&format!("{base}/floor/end"), json!({})).await;
        let (s, q) = speaker
            .post(
                &format!("{base}/posts"),
                json!({"kind": "question", "body": "补贴何时到位？"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        speaker
            .post(
                &format!("{base}/posts"),
                json!({"kind": "comment", "body": "赞成"}),
            )
            .await;
        let r = this_year_record(&admin, &member1["id"]).await;
        let mut got = sources(&r);
        got.sort();
        assert_eq!(
            got,
            vec![
                ("consultation_joined".into(), 1),
                ("question".into(), 1),
                ("speech".into(), 2)
            ],
            "{r}"
        );
        assert!(r["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|row| row["link"] == format!("/consultations/{id}")));
        let w = this_year_record(&admin, &colleague["id"]).await;
        assert_eq!(sources(&w), vec![("written_speech".into(), 2)]);

        // Staff tick a venue attendee on the roll, then correct it: the points follow.
        let member5 = account(&admin, "member5").await["id"].clone();
        for present in [true, false] {
            let (s, _) = admin
                .put(
                    &format!("{base}/attendance"),
                    json!({"account_id": member5, "present": present}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }
        let r5 = this_year_record(&admin, &member5).await;
        assert_eq!(
            sources(&r5),
            vec![
                ("consultation_joined".into(), 1),
                ("consultation_joined".into(), -1)
            ]
        );

        // An accepted micro-suggestion scores for its author.
        let (s, sug) = speaker
            .post(
                "/api/v1/suggestions",
                json!({"title": "学府路增设护学岗", "body": "上下学高峰车流大。", "public": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sug}");
        let official = account(&admin, "official1").await;
        let due = (chrono::Utc::now() + chrono::Duration::days(30))
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%d")
            .to_string();
        let (s, reviewed) = admin
            .post(
                &format!("/api/v1/suggestions/{}/review", sug["id"]),
                json!({"decision": "accept", "lead_department_id": official["department_id"], "due_date": due}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{reviewed}");
        let r = this_year_record(&admin, &member1["id"]).await;
        assert_eq!(total(&r), 7, "{r}");
    }
);
