use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use yishi_server::config::Config;
use yishi_server::Application;

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs a test body once per engine: `both_engines!(name, |app| async move { … });`
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Sqlite).await;
                ($body)(app).await;
            }
            #[tokio::test]
            async fn postgres() {
                if std::env::var_os("YISHI_SKIP_POSTGRES").is_some() {
                    eprintln!("SKIPPED: PostgreSQL not available (YISHI_SKIP_POSTGRES)");
                    return;
                }
                let app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

pub const ADMIN_PASSWORD: &str = yishi_server::demo::DEMO_ADMIN_PASSWORD;
pub const DEMO_PASSWORD: &str = yishi_server::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub base: String,
    pub engine: Engine,
    pub db: yishi_server::db::Db,
}

/// A browser-like client: its own cookie jar and the CSRF token from the session endpoint.
pub struct Client {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

pub async fn database_url(engine: Engine) -> String {
    let unique = format!("{}_{}", std::process::id(), rand_suffix());
    match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(format!("yishi-test-{unique}"));
            format!("sqlite://{}/yishi.db", dir.display())
        }
        Engine::Postgres => {
            let admin_url = std::env::var("YISHI_TEST_PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            sqlx::any::install_default_drivers();
            let name = format!("yishi_test_{unique}");
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("PostgreSQL must be running for the test suite (see ./test)");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (prefix, _) = admin_url.rsplit_once('/').expect("database URL has a path");
            format!("{prefix}/{name}")
        }
    }
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{nanos}_{}", N.fetch_add(1, Ordering::Relaxed))
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        Self::spawn_with(engine, |_| {}).await
    }

    pub async fn spawn_with(engine: Engine, adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on(database_url(engine).await, engine, adjust).await
    }

    /// A server on a given database (a private PostgreSQL instance, a restored backup).
    pub async fn spawn_on(
        url: String,
        engine: Engine,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let mut config = Config::for_tests(url);
        config.dist_dir = "/nonexistent-dist".into();
        adjust(&mut config);
        let hashing = config.password_hashing;
        let app = Application::build(config).await.expect("app builds");
        yishi_server::demo::load_if_empty(app.db(), hashing)
            .await
            .expect("demo data loads");
        let base = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        tokio::spawn(app.run());
        TestApp { base, engine, db }
    }

    /// A fresh anonymous client (own cookies), with a CSRF token fetched.
    pub async fn client(&self) -> Client {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let mut c = Client {
            http,
            base: self.base.clone(),
            csrf: String::new(),
        };
        c.refresh_csrf().await;
        c
    }

    pub async fn signed_in(&self, login: &str, password: &str) -> Client {
        let mut c = self.client().await;
        let (status, body) = c
            .send(
                Method::POST,
                "/api/v1/session",
                Some(serde_json::json!({"login": login, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "sign in as {login}: {body}");
        c.csrf = body["csrf_token"].as_str().expect("csrf token").to_owned();
        c
    }

    pub async fn admin(&self) -> Client {
        self.signed_in("admin", ADMIN_PASSWORD).await
    }
}

/// A fresh anonymous client of a server at `base` (another process), with a CSRF token.
pub async fn client_at(base: &str) -> Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let mut c = Client {
        http,
        base: base.to_owned(),
        csrf: String::new(),
    };
    c.refresh_csrf().await;
    c
}

impl Client {
    /// The same browser (cookies and CSRF token) talking to another server.
    pub fn at(&self, base: &str) -> Client {
        Client {
            http: self.http.clone(),
            base: base.to_owned(),
            csrf: self.csrf.clone(),
        }
    }

    pub async fn sign_in(&mut self, login: &str, password: &str) {
        let (status, body) = self
            .send(
                Method::POST,
                "/api/v1/session",
                Some(serde_json::json!({"login": login, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "sign in as {login}: {body}");
        self.csrf = body["csrf_token"].as_str().expect("csrf token").to_owned();
    }

    pub async fn refresh_csrf(&mut self) {
        let (_, body) = self.send(Method::GET, "/api/v1/session", None).await;
        self.csrf = body["csrf_token"].as_str().unwrap_or_default().to_owned();
    }

    pub fn set_csrf(&mut self, token: &str) {
        self.csrf = token.to_owned();
    }

    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// Sends a request with the CSRF header and returns status and JSON body (Null if none).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .header("X-CSRF-Token", &self.csrf);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, Some(body)).await
    }

    /// Opens an event stream on `topics`. Once the headers arrived, the server has fixed the
    /// stream's starting point, so later events are sure to be delivered.
    pub async fn stream(&self, topics: &str) -> reqwest::Response {
        let res = self
            .raw(Method::GET, &format!("/api/v1/events?topics={topics}"))
            .send()
            .await
            .expect("stream");
        assert_eq!(res.status(), StatusCode::OK, "stream on {topics}");
        res
    }

    /// A POST whose whole response (status, headers) the test looks at.
    pub async fn post_response(&self, path: &str, body: &Value) -> reqwest::Response {
        self.raw(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    /// A raw request builder for malformed-input tests.
    pub fn raw(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{}", self.base, path))
            .header("X-CSRF-Token", &self.csrf)
    }

    pub async fn get_as<T: DeserializeOwned>(&self, path: &str) -> T {
        let (status, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        serde_json::from_value(body).expect("decodes")
    }
}

/// Asserts the error shape and code of a response.
pub fn assert_error(status: StatusCode, body: &Value, expected_status: StatusCode, code: &str) {
    assert_eq!(status, expected_status, "body: {body}");
    assert_eq!(body["code"], code, "body: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message missing: {body}"
    );
}

/// An account as the admin list shows it, found by exact username.
pub async fn account(admin: &Client, username: &str) -> Value {
    let (_, page) = admin
        .get(&format!("/api/v1/admin/accounts?q={username}"))
        .await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["username"] == username)
        .expect("account")
        .clone()
}

/// A published public remote consultation every member may post in (all sectors invited).
pub async fn open_consultation(admin: &Client) -> i64 {
    let (_, org) = admin.get("/api/v1/org").await;
    let sectors: Vec<Value> = org["sectors"]
        .as_array()
        .expect("sectors")
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    let (s, c) = admin
        .post(
            "/api/v1/consultations",
            serde_json::json!({
                "kind": "remote", "title": "关于城区停车难的远程协商",
                "description": "请各位委员发表意见。", "visibility": "public",
                "starts_at": 1_800_000_000_000i64, "ends_at": 1_800_010_000_000i64,
                "invited_sectors": sectors,
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["summary"]["id"].as_i64().expect("consultation id");
    let (s, b) = admin
        .post(
            &format!("/api/v1/consultations/{id}/state"),
            serde_json::json!({"to": "published"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    id
}
