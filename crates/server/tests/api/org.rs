use crate::both_engines;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

both_engines!(admin_manages_the_organisation, |app: TestApp| async move {
    let admin = app.admin().await;
    let (s, created) = admin
        .post("/api/v1/admin/org/sectors", json!({"name": "新闻出版界"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    let (s, b) = admin
        .post("/api/v1/admin/org/sectors", json!({"name": "新闻出版界"}))
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(b["fields"]["name"], "taken");
    let (s, b) = admin
        .post("/api/v1/admin/org/sectors", json!({"name": "  "}))
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (s, ws) = admin
        .post(
            "/api/v1/admin/org/workstations",
            json!({"name": "东山区委员工作站", "address": "东山区东山路8号"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(ws["address"], "东山区东山路8号");
    let (s, renamed) = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/admin/org/sectors/{id}"),
            Some(json!({"name": "新闻出版和传媒界"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{renamed}");
    let (s, b) = admin
        .post("/api/v1/admin/org/planets", json!({"name": "x"}))
        .await;
    assert_error(s, &b, StatusCode::NOT_FOUND, "not_found");

    let org: yishi_api::Organisation = app.client().await.get_as("/api/v1/org").await;
    assert!(org.sectors.iter().any(|s| s.name == "新闻出版和传媒界"));
    assert_eq!(org.departments.len(), 3);

    // A used sector cannot be removed; an unused one can.
    let used = org
        .sectors
        .iter()
        .find(|s| s.name == "经济界")
        .expect("demo sector")
        .id;
    let (s, b) = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/admin/org/sectors/{used}"),
            None,
        )
        .await;
    assert_error(s, &b, StatusCode::CONFLICT, "in_use");
    let (s, _) = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/admin/org/sectors/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/admin/org/sectors/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let (s, b) = member
        .post("/api/v1/admin/org/sectors", json!({"name": "越权界"}))
        .await;
    assert_error(s, &b, StatusCode::FORBIDDEN, "forbidden");
});
