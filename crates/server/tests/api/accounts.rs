use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use yishi_api::{AccountSummary, Organisation, Page};

both_engines!(
    admin_lists_searches_and_pages_accounts,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let first: Page<AccountSummary> = admin.get_as("/api/v1/admin/accounts?limit=10").await;
        assert_eq!(first.items.len(), 10);
        assert_eq!(first.total, 44);
        let cursor = first.next_cursor.clone().expect("more pages");
        let second: Page<AccountSummary> = admin
            .get_as(&format!("/api/v1/admin/accounts?limit=10&cursor={cursor}"))
            .await;
        assert!(
            second.items[0].id > first.items[9].id,
            "pages continue in order"
        );
        let officials: Page<AccountSummary> =
            admin.get_as("/api/v1/admin/accounts?role=official").await;
        assert_eq!(officials.total, 3);
        let by_name: Page<AccountSummary> = admin
            .get_as("/api/v1/admin/accounts?q=%E5%BC%A0%E7%AB%8B%E6%96%B0")
            .await;
        assert_eq!(by_name.items.len(), 1);
        assert_eq!(by_name.items[0].username, "member1");
        let (s, b) = admin.get("/api/v1/admin/accounts?limit=0").await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let (s, b) = admin.get("/api/v1/admin/accounts?cursor=garbage").await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let (s, b) = admin.get("/api/v1/admin/accounts?limit=abc").await;
        assert_error(s, &b, StatusCode::BAD_REQUEST, "bad_request");

        let member = app.signed_in("member1", DEMO_PASSWORD).await;
        let (s, b) = member.get("/api/v1/admin/accounts").await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
    }
);

both_engines!(
    created_member_must_change_one_time_password,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let org: Organisation = admin.get_as("/api/v1/org").await;
        let sector = org.sectors[2].id;
        let (s, b) = admin.post("/api/v1/admin/accounts", json!({"username": "zhao.min", "display_name": "赵敏", "role": "member", "phone": "13812345678", "sector_id": sector})).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let password = b["one_time_password"]
            .as_str()
            .expect("one-time password")
            .to_owned();
        let id = b["account"]["id"].as_i64().expect("id");
        assert_eq!(b["account"]["must_change_password"], true);

        let (s, b) = admin.post("/api/v1/admin/accounts", json!({"username": "zhao.min", "display_name": "重名", "role": "member", "phone": "13812345678"})).await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["username"], "taken");
        assert_eq!(b["fields"]["phone"], "taken");
        let (s, b) = admin
            .post(
                "/api/v1/admin/accounts",
                json!({"username": "official9", "display_name": "无单位", "role": "official"}),
            )
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert_eq!(b["fields"]["department_id"], "required");
        let (s, b) = admin
            .post(
                "/api/v1/admin/accounts",
                json!({"username": "x9", "display_name": "", "role": "boss"}),
            )
            .await;
        assert_error(s, &b, StatusCode::BAD_REQUEST, "invalid_json");

        let new = app.signed_in("zhao.min", &password).await;
        let (_, me) = new.get("/api/v1/session").await;
        assert_eq!(me["user"]["must_change_password"], true);
        let (s, b) = new.get("/api/v1/me/activity").await;
        assert_error(s, &b, StatusCode::FORBIDDEN, "password_change_required");
        let (s, b) = new
            .post(
                "/api/v1/me/password",
                json!({"current_password": password, "new_password": "赵敏的新登录密码2026年"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["user"]["must_change_password"], false);
        let new = app.signed_in("zhao.min", "赵敏的新登录密码2026年").await;
        let (s, activity) = new.get("/api/v1/me/activity").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(activity["profile"]["display_name"], "赵敏");
        assert_eq!(activity["profile"]["sector"], org.sectors[2].name.as_str());

        // Profiles are for signed-in users only.
        let (s, _) = app
            .client()
            .await
            .get(&format!("/api/v1/members/{id}"))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, p) = app
            .signed_in("member2", DEMO_PASSWORD)
            .await
            .get(&format!("/api/v1/members/{id}"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(p["display_name"], "赵敏");
        let (s, _) = new.get("/api/v1/members/abc").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
);

both_engines!(deactivation_and_reset, |app: TestApp| async move {
    let admin = app.admin().await;
    let member = app.signed_in("member6", DEMO_PASSWORD).await;
    let page: Page<AccountSummary> = admin.get_as("/api/v1/admin/accounts?q=member6").await;
    let account = page
        .items
        .into_iter()
        .find(|a| a.username == "member6")
        .expect("member6");
    let mut edit = json!({
        "display_name": account.display_name, "role": "member", "phone": account.phone,
        "title": account.title, "sector_id": account.sector_id, "committee_id": account.committee_id,
        "department_id": null, "workstation_id": account.workstation_id, "active": false
    });
    let (s, b) = admin
        .put(
            &format!("/api/v1/admin/accounts/{}", account.id),
            edit.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["active"], false);
    let inactive: Page<AccountSummary> = admin.get_as("/api/v1/admin/accounts?active=false").await;
    assert_eq!(inactive.total, 1);
    assert_eq!(inactive.items[0].username, "member6");
    let active: Page<AccountSummary> = admin
        .get_as("/api/v1/admin/accounts?active=true&role=member")
        .await;
    assert_eq!(active.total, 39);
    let (_, me) = member.get("/api/v1/session").await;
    assert!(me["user"].is_null(), "deactivation ends sessions");
    let c = app.client().await;
    let (s, b) = c
        .post(
            "/api/v1/session",
            json!({"login": "member6", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_error(s, &b, StatusCode::FORBIDDEN, "account_disabled");

    edit["active"] = json!(true);
    admin
        .put(&format!("/api/v1/admin/accounts/{}", account.id), edit)
        .await;
    let (s, b) = admin
        .post(
            &format!("/api/v1/admin/accounts/{}/reset-password", account.id),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let fresh = b["one_time_password"]
        .as_str()
        .expect("password")
        .to_owned();
    let (s, _) = c
        .post(
            "/api/v1/session",
            json!({"login": "member6", "password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "old password replaced");
    let again = app.signed_in("member6", &fresh).await;
    let (_, me) = again.get("/api/v1/session").await;
    assert_eq!(me["user"]["must_change_password"], true);

    // An admin cannot deactivate themselves.
    let (_, me) = admin.get("/api/v1/session").await;
    let my_id = me["user"]["id"].as_i64().expect("id");
    let (s, b) = admin
        .put(
            &format!("/api/v1/admin/accounts/{my_id}"),
            json!({"display_name": "王琳", "role": "admin", "active": false}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (s, _) = admin
        .post("/api/v1/admin/accounts/999999/reset-password", json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});
