use crate::both_engines;
use crate::consultations::create;
use crate::consultations::create_published;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

both_engines!(materials_upload_and_download, |app: TestApp| async move {
    let (admin, id, _, _) = create(&app, "public").await;
    admin
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            json!({"to": "published"}),
        )
        .await;
    let url = format!(
        "/api/v1/consultations/{id}/attachments?filename=%E5%8D%8F%E5%95%86%E6%9D%90%E6%96%99.pdf"
    );
    let res = admin
        .raw(Method::POST, &url)
        .body(PDF.to_vec())
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::CREATED);
    let list: serde_json::Value = res.json().await.expect("list");
    assert_eq!(list[0]["filename"], "协商材料.pdf");
    assert_eq!(list[0]["content_type"], "application/pdf");
    let file_id = list[0]["id"].as_i64().expect("id");

    // The type comes from the content: a page of HTML named .pdf is refused.
    let res = admin
        .raw(
            Method::POST,
            &format!("/api/v1/consultations/{id}/attachments?filename=x.pdf"),
        )
        .body("<html><script>alert(1)</script>")
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .raw(
            Method::POST,
            &format!("/api/v1/consultations/{id}/attachments?filename=big.pdf"),
        )
        .body(vec![b'%'; 10 * 1024 * 1024 + 10])
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = res.json().await.expect("error shape");
    assert_eq!(body["code"], "payload_too_large");
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let res = member
        .raw(Method::POST, &url)
        .body(PDF.to_vec())
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Anyone may download a public consultation's materials.
    let visitor = app.client().await;
    let res = visitor
        .raw(Method::GET, &format!("/api/v1/attachments/{file_id}"))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .contains("UTF-8''%E5%8D%8F"));
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
    let res = visitor
        .raw(Method::GET, &format!("/api/v1/attachments/{file_id}"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    let (s, _) = admin
        .send(
            Method::DELETE,
            &format!("/api/v1/attachments/{file_id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, list) = visitor
        .get(&format!("/api/v1/consultations/{id}/attachments"))
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0));
});

both_engines!(
    members_only_materials_stay_private,
    |app: TestApp| async move {
        let (admin, id) = create_published(&app, "members").await;
        let res = admin
            .raw(
                Method::POST,
                &format!("/api/v1/consultations/{id}/attachments?filename=a.pdf"),
            )
            .body(PDF.to_vec())
            .send()
            .await
            .expect("upload");
        let list: serde_json::Value = res.json().await.expect("list");
        let file_id = list[0]["id"].as_i64().expect("id");
        let (s, _) = app
            .client()
            .await
            .get(&format!("/api/v1/attachments/{file_id}"))
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let res = app
            .signed_in("member3", DEMO_PASSWORD)
            .await
            .raw(Method::GET, &format!("/api/v1/attachments/{file_id}"))
            .send()
            .await
            .expect("download");
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()["cache-control"]
            .to_str()
            .expect("header")
            .starts_with("private"));
    }
);
