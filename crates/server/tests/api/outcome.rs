use crate::both_engines;
use crate::consultations::create;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

both_engines!(
    minutes_recommendations_and_attendance,
    |app: TestApp| async move {
        let (admin, id, _, official) = create(&app, "public").await;
        let base = format!("/api/v1/consultations/{id}");
        admin
            .post(&format!("{base}/state"), json!({"to": "published"}))
            .await;
        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let chair = app.signed_in("member2", DEMO_PASSWORD).await;
        member
            .post(
                &format!("{base}/speeches"),
                json!({"mode": "venue", "summary": "建议提高加装电梯补贴"}),
            )
            .await;
        let (_, floor) = chair.get(&format!("{base}/floor")).await;
        let speech = floor["pending"][0]["id"].as_i64().expect("pending speech");
        chair
            .post(
                &format!("/api/v1/speeches/{speech}/decision"),
                json!({"accept": true}),
            )
            .await;

        // Minutes cannot be written before the meeting ends.
        let (s, b) = admin
            .put(&format!("{base}/minutes"), json!({"body": "太早"}))
            .await;
        assert_error(s, &b, StatusCode::CONFLICT, "invalid_transition");

        chair
            .post(&format!("{base}/state"), json!({"to": "live"}))
            .await;
        let viewer = app.signed_in("member7", DEMO_PASSWORD).await;
        viewer.get(&base).await; // opening the live page records online attendance
        chair
            .post(&format!("{base}/segment"), json!({"segment": "speeches"}))
            .await;
        chair.post(&format!("{base}/floor/next"), json!({})).await;
        chair.post(&format!("{base}/floor/end"), json!({})).await;
        let (_, q) = member
            .post(
                &format!("{base}/posts"),
                json!({"kind": "question", "body": "补贴何时到位？"}),
            )
            .await;
        let official_client = app.signed_in("official1", DEMO_PASSWORD).await;
        assert_eq!(official["username"], "official1");
        official_client
            .post(
                &format!("{base}/posts"),
                json!({"kind": "answer", "body": "年内到位。", "parent_id": q["id"]}),
            )
            .await;
        admin
            .post(&format!("{base}/state"), json!({"to": "concluded"}))
            .await;

        // Attendance: the speaker and the online viewer, plus a venue tick by staff.
        let (s, _) = admin
            .put(
                &format!("{base}/attendance"),
                json!({"account_id": account(&admin, "member5").await["id"], "present": true}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, list) = chair.get(&format!("{base}/attendance")).await;
        assert_eq!(s, StatusCode::OK);
        let sources: Vec<(String, String)> = list
            .as_array()
            .expect("list")
            .iter()
            .map(|a| {
                (
                    a["name"].as_str().unwrap_or("").to_owned(),
                    a["source"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        assert!(
            sources.iter().any(|(n, s)| n == "张立新" && s == "speaker"),
            "{sources:?}"
        );
        assert!(sources.iter().any(|(_, s)| s == "online"), "{sources:?}");
        assert!(sources.iter().any(|(_, s)| s == "venue"), "{sources:?}");
        let (s, _) = viewer.get(&format!("{base}/attendance")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The roll call: the invitation list (member1's sector) with how each attended, plus
        // those recorded who were not invited.
        let (s, roll) = chair.get(&format!("{base}/roll")).await;
        assert_eq!(s, StatusCode::OK);
        let roll = roll.as_array().expect("roll").clone();
        let entry = |name: &str| {
            roll.iter()
                .find(|e| e["name"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("{name} on the roll: {roll:?}"))
        };
        let speaker = entry("张立新");
        assert_eq!(speaker["invited"], true);
        assert!(speaker["sources"]
            .as_array()
            .expect("sources")
            .contains(&json!("speaker")));
        let sector = speaker["sector_name"].clone();
        assert!(sector.is_string());
        let invited: Vec<&serde_json::Value> =
            roll.iter().filter(|e| e["invited"] == true).collect();
        assert!(invited.len() > 1, "the whole sector is invited");
        assert!(
            invited.iter().all(|e| e["sector_name"] == sector),
            "{invited:?}"
        );
        let absent = invited
            .iter()
            .filter(|e| e["sources"].as_array().is_some_and(|s| s.is_empty()))
            .count();
        assert!(absent > 0, "some of the sector did not come");
        let member5 = account(&admin, "member5").await["id"].clone();
        let ticked = roll
            .iter()
            .find(|e| e["account_id"] == member5)
            .cloned()
            .expect("member5 on the roll");
        assert_eq!(ticked["sources"], json!(["venue"]));
        // Unticking removes the venue record only.
        admin
            .put(
                &format!("{base}/attendance"),
                json!({"account_id": member5, "present": false}),
            )
            .await;
        let (_, roll) = admin.get(&format!("{base}/roll")).await;
        let roll = roll.as_array().expect("roll").clone();
        assert!(roll
            .iter()
            .all(|e| e["account_id"] != member5
                || e["sources"].as_array().is_some_and(|s| s.is_empty())));
        assert!(roll.iter().any(|e| e["name"] == "张立新"
            && e["sources"]
                .as_array()
                .is_some_and(|s| s.contains(&json!("speaker")))));
        // Someone who joined online and is also ticked at a venue keeps both.
        let member7 = account(&admin, "member7").await["id"].clone();
        admin
            .put(
                &format!("{base}/attendance"),
                json!({"account_id": member7, "present": true}),
            )
            .await;
        let (_, roll) = admin.get(&format!("{base}/roll")).await;
        let both = roll
            .as_array()
            .expect("roll")
            .iter()
            .find(|e| e["account_id"] == member7)
            .cloned()
            .expect("member7 on the roll");
        assert_eq!(both["sources"], json!(["online", "venue"]));
        let (_, list) = admin.get(&format!("{base}/attendance")).await;
        let once = list
            .as_array()
            .expect("list")
            .iter()
            .filter(|a| a["account_id"] == member7)
            .count();
        assert_eq!(once, 1, "the attendance list names each person once");
        let (s, _) = viewer.get(&format!("{base}/roll")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        admin
            .put(
                &format!("{base}/attendance"),
                json!({"account_id": member5, "present": true}),
            )
            .await;

        // The draft is assembled from the record.
        let (s, draft) = admin
            .post(&format!("{base}/minutes/draft"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK);
        let text = draft["body"].as_str().expect("draft").to_owned();
        for expected in [
            "会议纪要",
            "主持人：李淑华",
            "### 委员发言",
            "**张立新**（现场发言）：建议提高加装电梯补贴",
            "补贴何时到位？",
            "答：年内到位。",
            "出席：3 人",
        ] {
            assert!(text.contains(expected), "draft lacks {expected}:\n{text}");
        }
        let (s, none) = member.get(&format!("{base}/minutes")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(none.is_null(), "nothing saved yet");
        let (s, _) = admin
            .put(
                &format!("{base}/minutes"),
                json!({"body": format!("{text}\n会议要求各部门抓好落实。")}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, hidden) = member.get(&format!("{base}/minutes")).await;
        assert!(hidden.is_null(), "unpublished minutes are the staff's");
        let (_, review) = chair.get(&format!("{base}/minutes")).await;
        assert!(
            review["body"]
                .as_str()
                .is_some_and(|b| b.contains("抓好落实")),
            "the chair reviews them"
        );
        let (s, _) = member
            .put(&format!("{base}/minutes"), json!({"body": "改写"}))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, published) = admin
            .post(&format!("{base}/minutes/publish"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(published["published_at"].as_i64().is_some());
        let (s, public) = app.client().await.get(&format!("{base}/minutes")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(public["body_html"]
            .as_str()
            .is_some_and(|h| h.contains("会议要求各部门抓好落实")));

        // Recommendations: numbered, addressed to departments, shown once the outcome is published.
        let dept = official["department_id"].clone();
        for text in ["加快审批流程", "提高补贴标准", "建立维保机制"] {
            let (s, _) = admin
                .post(
                    &format!("{base}/recommendations"),
                    json!({"text": text, "department_id": dept}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let (s, b) = admin
            .post(
                &format!("{base}/recommendations"),
                json!({"text": "x", "department_id": 999_999}),
            )
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let (_, staff_view) = admin.get(&format!("{base}/recommendations")).await;
        let first = staff_view[0]["id"].as_i64().expect("id");
        let (s, _) = admin
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/recommendations/{first}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (_, before) = app
            .client()
            .await
            .get(&format!("{base}/recommendations"))
            .await;
        assert_eq!(
            before.as_array().map(Vec::len),
            Some(0),
            "not shown before the outcome is published"
        );
        admin
            .post(&format!("{base}/state"), json!({"to": "outcome_published"}))
            .await;
        let (_, after) = app
            .client()
            .await
            .get(&format!("{base}/recommendations"))
            .await;
        let numbered: Vec<(i64, &str)> = after
            .as_array()
            .expect("list")
            .iter()
            .map(|r| {
                (
                    r["number"].as_i64().unwrap_or(0),
                    r["text"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(numbered, vec![(1, "提高补贴标准"), (2, "建立维保机制")]);
        assert_eq!(after[0]["department_name"], "市住房和城乡建设局");
    }
);
