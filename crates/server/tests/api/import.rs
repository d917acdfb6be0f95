use crate::both_engines;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use yishi_api::{AccountSummary, Page};

const CSV: &str = "\u{feff}用户名,姓名,角色,手机号,界别,工作站\n\
    liu.yang,刘洋,委员,13700000001,教育界,\n\
    chen.jing,陈静,委员,13700000002,医药卫生界,\n\
    member1,重复的人,委员,13700000003,不存在的界别,\n";

both_engines!(
    preview_reports_rows_and_import_is_all_or_nothing,
    |app: TestApp| async move {
        let admin = app.admin().await;
        let (s, preview) = admin
            .post("/api/v1/admin/accounts/import/preview", json!({"csv": CSV}))
            .await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        assert_eq!(preview["valid_count"], 2);
        assert_eq!(preview["error_count"], 1);
        assert_eq!(preview["rows"][2]["line"], 4);
        assert_eq!(preview["rows"][2]["errors"]["username"], "taken");
        assert_eq!(preview["rows"][2]["errors"]["sector"], "unknown");

        // Without skip_invalid nothing is imported.
        let (s, b) = admin
            .post("/api/v1/admin/accounts/import", json!({"csv": CSV}))
            .await;
        assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "import_has_errors");
        let page: Page<AccountSummary> = admin.get_as("/api/v1/admin/accounts?q=liu.yang").await;
        assert_eq!(page.total, 0, "nothing half-imported");

        let (s, result) = admin
            .post(
                "/api/v1/admin/accounts/import",
                json!({"csv": CSV, "skip_invalid": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{result}");
        assert_eq!(result["skipped"], 1);
        let created = result["created"].as_array().expect("created");
        assert_eq!(created.len(), 2);
        let password = created[0]["one_time_password"].as_str().expect("password");
        let liu = app.signed_in("liu.yang", password).await;
        let (_, me) = liu.get("/api/v1/session").await;
        assert_eq!(me["user"]["must_change_password"], true);

        // Importing the same file again finds every row taken.
        let (_, again) = admin
            .post("/api/v1/admin/accounts/import/preview", json!({"csv": CSV}))
            .await;
        assert_eq!(again["valid_count"], 0);
    }
);

both_engines!(malformed_files_are_refused, |app: TestApp| async move {
    let admin = app.admin().await;
    let (s, b) = admin
        .post(
            "/api/v1/admin/accounts/import/preview",
            json!({"csv": "名字\n张三\n"}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(b["fields"]["csv"], "unknown_column");
    let (s, b) = admin
        .post(
            "/api/v1/admin/accounts/import",
            json!({"csv": "username,display_name,role\n", "skip_invalid": true}),
        )
        .await;
    assert_error(s, &b, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (s, b) = admin
        .post("/api/v1/admin/accounts/import/preview", json!({"csv": 42}))
        .await;
    assert_error(s, &b, StatusCode::BAD_REQUEST, "invalid_json");
});
