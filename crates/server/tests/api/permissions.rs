//! The permission matrix: every route of the route table × every kind of caller, each cell's
//! status compared with `permissions.txt`. The objects are members-only and belong to
//! member1, so a column of an outsider shows that changing an id neither reveals nor changes
//! someone else's object. Besides the recorded cells, rules that must hold whatever the table
//! says are checked on their own (admin routes refuse everyone else; anonymous callers change
//! nothing; members-only objects never reach outsiders; no 5xx, no 405).
//!
//! After a deliberate change of rules: `YISHI_BLESS_PERMISSIONS=1 cargo test -p yishi-server
//! --test api permissions`, then review the diff of `permissions.txt` like code.

use crate::both_engines;
use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const TABLE: &str = "tests/api/permissions.txt";

/// The callers, in the order of the table's columns.
const ROLES: [(&str, &str); 7] = [
    ("anonymous", "no account"),
    (
        "member",
        "member1: invited, in the group, author of the objects",
    ),
    ("outsider", "a member of another sector, not in the group"),
    (
        "official",
        "official1: of the department the objects are addressed to",
    ),
    ("other_official", "official3: of another department"),
    (
        "chair",
        "member2: chair of the consultation, leader of the group",
    ),
    ("admin", "committee staff"),
];

/// The ids a row's path is filled with: one set of objects per caller, made fresh so that
/// what one caller may change cannot change what the next one sees.
struct Objects {
    consultation: i64,
    post: i64,
    recommendation: i64,
    speech: i64,
    group: i64,
    group_post: i64,
    chapter: i64,
    book: i64,
    micro: i64,
    suggestion: i64,
    follow_up: i64,
    activity: i64,
    word: i64,
    member: i64,
    /// Accounts staff act on (reset, suspend, edit): not a caller of the matrix.
    target_account: i64,
    sector: i64,
}

const MISSING: i64 = 999_999;

fn id(v: &Value) -> i64 {
    v["id"]
        .as_i64()
        .or_else(|| v["summary"]["id"].as_i64())
        .unwrap_or_else(|| panic!("id in {v}"))
}

async fn created(c: &Client, path: &str, body: Value) -> Value {
    let (s, v) = c.post(path, body).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

async fn objects(app: &TestApp, n: usize) -> Objects {
    let (admin, consultation, _, _) = crate::consultations::create(app, "members").await;
    let path = format!("/api/v1/consultations/{consultation}");
    created(&admin, &format!("{path}/state"), json!({"to": "published"})).await;
    let member = app.signed_in("member1", DEMO_PASSWORD).await;
    let post = id(&created(
        &member,
        &format!("{path}/posts"),
        json!({"kind": "comment", "body": "建议增加夜间公交班次"}),
    )
    .await);
    created(
        &member,
        &format!("{path}/speeches"),
        json!({"mode": "venue", "summary": "关于公交线网的建议"}),
    )
    .await;
    let (_, floor) = admin.get(&format!("{path}/floor")).await;
    let speech = id(&floor["pending"][0]);
    let official = account(&admin, "official1").await;
    // Recommendations are listed after a meeting: a second consultation, concluded.
    let (_, concluded, _, _) = crate::consultations::create(app, "members").await;
    let concluded = format!("/api/v1/consultations/{concluded}");
    for to in ["published", "live", "concluded"] {
        created(&admin, &format!("{concluded}/state"), json!({ "to": to })).await;
    }
    let recommendation = id(&created(
        &admin,
        &format!("{concluded}/recommendations"),
        json!({"text": "优化公交线网", "department_id": official["department_id"]}),
    )
    .await[0]);
    let reading = crate::reading::fixture(app).await;
    let group_post = id(&crate::moderation::reflection(
        &member,
        reading.members_only,
        "读后感：基层治理要接地气",
    )
    .await);
    let micro = id(&created(
        &member,
        "/api/v1/micro-consultations",
        json!({"title": format!("小区停车难{n}"), "description": "光明社区停车位不足。",
               "location": "向阳区光明社区"}),
    )
    .await);
    let (_, _, suggestion, follow_up) = crate::followup::assigned_suggestion(app).await;
    let member_account = account(&admin, "member1").await;
    let activity = id(&created(
        &admin,
        "/api/v1/duty/activities",
        json!({"kind": "plenary", "title": "全体会议", "held_on": "2026-03-15", "half_days": 1,
               "invitee_ids": [member_account["id"]]}),
    )
    .await);
    let word_text = format!("违禁词{n}");
    let words = created(
        &admin,
        "/api/v1/moderation/words",
        json!({ "word": word_text }),
    )
    .await;
    let word = words
        .as_array()
        .and_then(|ws| ws.iter().find(|w| w["word"] == word_text.as_str()))
        .map(id)
        .expect("the new word is listed");
    Objects {
        consultation,
        post,
        recommendation,
        speech,
        group: reading.members_only,
        group_post,
        chapter: reading.chapters[0],
        book: reading.book,
        micro,
        suggestion,
        follow_up,
        activity,
        word,
        member: id(&member_account),
        target_account: id(&account(&admin, "member40").await),
        sector: member_account["sector_id"].as_i64().expect("sector"),
    }
}

/// The path of a row with its parameters filled in from the objects.
fn concrete(template: &str, o: &Objects) -> String {
    let segments: Vec<&str> = template.split('/').collect();
    let mut out = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let before = if i > 0 { segments[i - 1] } else { "" };
        let value = match (*seg, before) {
            ("{id}", "consultations") => o.consultation.to_string(),
            ("{id}", "posts") => o.post.to_string(),
            ("{id}", "recommendations") => o.recommendation.to_string(),
            ("{id}", "speeches") => o.speech.to_string(),
            ("{id}", "reading-groups") => o.group.to_string(),
            ("{post}", _) => o.group_post.to_string(),
            ("{chapter}", _) => o.chapter.to_string(),
            ("{id}", "books") => o.book.to_string(),
            ("{id}", "micro-consultations") => o.micro.to_string(),
            ("{id}", "suggestions") => o.suggestion.to_string(),
            ("{id}", "follow-ups") => o.follow_up.to_string(),
            ("{id}", "activities") => o.activity.to_string(),
            ("{id}", "words") => o.word.to_string(),
            ("{id}", "members") => o.member.to_string(),
            ("{account}", "records") => o.member.to_string(),
            ("{account}", _) => o.target_account.to_string(),
            ("{id}", "accounts") => o.target_account.to_string(),
            ("{kind}", "org") => "sectors".into(),
            ("{id}", "{kind}") if template.contains("/org/") => o.sector.to_string(),
            ("{id}", "{kind}") => o.consultation.to_string(),
            ("{date}", _) => "2026-12-31".into(),
            ("{kind}", "containers") => "consultation".into(),
            // Attachments and photos need uploads of their own: a missing id still shows
            // that the route answers every caller alike.
            ("{id}", "attachments" | "photos") => MISSING.to_string(),
            (s, _) if s.starts_with('{') => panic!("no value for {s} in {template}"),
            (s, _) => s.to_owned(),
        };
        out.push(value);
    }
    out.join("/")
}

/// A smallest body the schema accepts: required properties only, first enum values.
fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        return example(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema[key].as_array() {
            let first = variants
                .iter()
                .find(|v| v["type"] != "null")
                .unwrap_or(&Value::Null);
            return example(doc, first, depth + 1);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for p in parts {
            if let Value::Object(m) = example(doc, p, depth + 1) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_owned(),
        _ if schema["properties"].is_object() => "object".into(),
        _ => "null".into(),
    };
    match ty.as_str() {
        "object" => {
            let mut m = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                m.insert(
                    name.to_owned(),
                    example(doc, &schema["properties"][name], depth + 1),
                );
            }
            Value::Object(m)
        }
        "array" => {
            if schema["minItems"].as_u64().unwrap_or(0) > 0 {
                json!([example(doc, &schema["items"], depth + 1)])
            } else {
                json!([])
            }
        }
        "string" => match schema["format"].as_str() {
            Some("date") => json!("2026-12-31"),
            _ => json!("测试"),
        },
        "integer" | "number" => json!(schema["minimum"].as_i64().unwrap_or(1).max(1)),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

/// One row of the matrix: an operation of the OpenAPI document.
#[derive(Clone)]
struct Operation {
    method: Method,
    template: String,
    body: Option<(String, Value)>,
    query: Vec<(String, String)>,
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let method: Method = method.to_uppercase().parse().expect("method");
            let body = op["requestBody"]["content"].as_object().and_then(|c| {
                let (media, content) = c.iter().next()?;
                Some((media.clone(), example(doc, &content["schema"], 0)))
            });
            let query = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or_default().to_owned();
                    let value = match name.as_str() {
                        "q" => "停车".to_owned(),
                        "year" => "2026".to_owned(),
                        _ => match example(doc, &p["schema"], 0) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                    };
                    (name, value)
                })
                .collect();
            ops.push(Operation {
                method,
                template: path.clone(),
                body,
                query,
            });
        }
    }
    // Reads first, then changes, deletions last; ending one's own session comes at the very
    // end, or every later row would run signed out.
    let rank = |o: &Operation| match o.method {
        _ if o.template == "/api/v1/session/everywhere" => 3,
        Method::DELETE if o.template == "/api/v1/session" => 4,
        Method::GET => 0,
        Method::DELETE => 2,
        _ => 1,
    };
    ops.sort_by(|a, b| {
        (rank(a), &a.template, a.method.as_str()).cmp(&(rank(b), &b.template, b.method.as_str()))
    });
    ops
}

fn row_key(op: &Operation) -> String {
    format!("{} {}", op.method, op.template)
}

async fn call(client: &Client, op: &Operation, o: &Objects) -> u16 {
    let mut path = concrete(&op.template, o);
    if op.template == "/api/v1/events" {
        path = format!("{path}?topics=consultation:{}", o.consultation);
    } else if !op.query.is_empty() {
        let q: Vec<String> = op.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        path = format!("{path}?{}", q.join("&"));
    }
    let mut req = client.raw(op.method.clone(), &path);
    if let Some((media, body)) = &op.body {
        req = if media == "application/json" {
            req.json(body)
        } else {
            req.header("content-type", media.as_str()).body(Vec::new())
        };
    }
    // Event streams never end: the status is all that is read.
    let res = req.send().await.expect("request");
    res.status().as_u16()
}

/// Signs in every caller; the outsider is the first member of another sector than member1's.
async fn callers(app: &TestApp) -> Vec<Client> {
    let admin = app.admin().await;
    let sector = account(&admin, "member1").await["sector_id"].clone();
    let mut outsider = None;
    for n in 3..=40 {
        let name = format!("member{n}");
        if account(&admin, &name).await["sector_id"] != sector {
            outsider = Some(name);
            break;
        }
    }
    let outsider = outsider.expect("a member of another sector");
    vec![
        app.client().await,
        app.signed_in("member1", DEMO_PASSWORD).await,
        app.signed_in(&outsider, DEMO_PASSWORD).await,
        app.signed_in("official1", DEMO_PASSWORD).await,
        app.signed_in("official3", DEMO_PASSWORD).await,
        app.signed_in("member2", DEMO_PASSWORD).await,
        admin,
    ]
}

/// Paths of `.route("…")` calls in the server's HTTP modules: the route table itself.
fn routed_paths() -> BTreeSet<String> {
    let mut paths = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from("src/http")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/http") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for part in text.split(".route(").skip(1) {
                let literal = part.trim_start().strip_prefix('"').and_then(|rest| {
                    let end = rest.find('"')?;
                    Some(rest[..end].to_owned())
                });
                if let Some(p) = literal {
                    paths.insert(p);
                }
            }
        }
    }
    paths
}

both_engines!(
    every_route_answers_every_kind_of_caller_as_recorded,
    |app: TestApp| async move {
        let anonymous = app.client().await;
        let (_, doc) = anonymous.get("/api/v1/openapi.json").await;
        let ops = operations(&doc);

        // The document covers the route table: every routed API path is a row.
        let documented: BTreeSet<String> = ops
            .iter()
            .map(|o| o.template.trim_start_matches("/api/v1").to_owned())
            .collect();
        let outside_the_api = [
            "/healthz",
            "/readyz",
            "/openapi.json",
            "/bench/baseline",
            "/health",
        ];
        for path in routed_paths() {
            if outside_the_api.contains(&path.as_str()) || path == "/api/v1" {
                continue;
            }
            assert!(
                documented.contains(&path),
                "route {path} is not in the OpenAPI document, so not in the matrix"
            );
        }

        // Parameters are documented where they are sent: a path parameter is in the path.
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap_or_default();
                    if p["in"] == "path" {
                        assert!(
                            path.contains(&format!("{{{name}}}")),
                            "{method} {path}: `{name}` is documented as a path parameter"
                        );
                    }
                }
            }
        }

        let callers = callers(&app).await;
        let mut observed: BTreeMap<String, Vec<u16>> = BTreeMap::new();
        for (column, caller) in callers.iter().enumerate() {
            let objects = objects(&app, column).await;
            for op in &ops {
                let status = call(caller, op, &objects).await;
                observed.entry(row_key(op)).or_default().push(status);
            }
        }

        check_rules(&observed);
        compare_with_table(&observed);
    }
);

/// Rules that hold whatever the recorded table says.
fn check_rules(observed: &BTreeMap<String, Vec<u16>>) {
    let public_changes = [
        "POST /api/v1/session",
        "DELETE /api/v1/session",
        "POST /api/v1/password-resets",
        "POST /api/v1/password-resets/confirm",
        "POST /api/v1/micro-consultations/public",
    ];
    let refused = |s: u16| matches!(s, 401 | 403 | 404);
    for (row, cells) in observed {
        let (method, path) = row.split_once(' ').expect("row");
        for (i, &s) in cells.iter().enumerate() {
            let who = ROLES[i].0;
            assert!(s < 500, "{row} as {who}: {s}");
            assert!(s != 405, "{row} as {who}: routed but not for this method");
        }
        let staff_only = path.starts_with("/api/v1/admin/")
            || path.starts_with("/api/v1/moderation/")
            || path.starts_with("/api/v1/audit")
            || path.starts_with("/api/v1/duty/overview");
        if staff_only {
            for (i, &s) in cells.iter().enumerate().take(6) {
                assert!(refused(s), "{row} is for staff, yet {} got {s}", ROLES[i].0);
            }
            assert!(!refused(cells[6]), "{row}: staff refused ({})", cells[6]);
        }
        if method != "GET" && !public_changes.contains(&row.as_str()) {
            assert!(
                refused(cells[0]),
                "{row}: an anonymous caller got {}",
                cells[0]
            );
        }
        // The objects are members-only: an anonymous caller never reads them.
        let object_read = method == "GET"
            && ["/consultations/{id}", "/reading-groups/{id}", "/posts/{id}"]
                .iter()
                .any(|p| path.contains(p));
        if object_read {
            assert!(refused(cells[0]), "{row}: anonymous read got {}", cells[0]);
        }
    }
}

fn render(observed: &BTreeMap<String, Vec<u16>>) -> String {
    let mut out = String::from(
        "# The permission matrix (tests/api/permissions.rs): the status each kind of caller\n\
         # gets from each route, on members-only objects of member1's. Columns:\n",
    );
    for (name, meaning) in ROLES {
        out.push_str(&format!("#   {name:<15} {meaning}\n"));
    }
    out.push_str(&format!(
        "# {:<62} {}\n",
        "route",
        ROLES
            .iter()
            .map(|(n, _)| format!("{:>4}", &n[..4.min(n.len())]))
            .collect::<Vec<_>>()
            .join("")
    ));
    for (row, cells) in observed {
        let cells: Vec<String> = cells.iter().map(|s| format!("{s:>4}")).collect();
        out.push_str(&format!("{row:<64} {}\n", cells.join("")));
    }
    out
}

fn compare_with_table(observed: &BTreeMap<String, Vec<u16>>) {
    let rendered = render(observed);
    if std::env::var_os("YISHI_BLESS_PERMISSIONS").is_some() {
        std::fs::write(TABLE, &rendered).expect("write the table");
        return;
    }
    let expected = std::fs::read_to_string(TABLE).expect("tests/api/permissions.txt");
    let rows = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (key, cells) = l.split_at(64.min(l.len()));
                (key.trim().to_owned(), cells.trim().to_owned())
            })
            .collect()
    };
    let (want, got) = (rows(&expected), rows(&rendered));
    let mut differences = Vec::new();
    for key in want.keys().chain(got.keys()).collect::<BTreeSet<_>>() {
        let (w, g) = (want.get(key), got.get(key));
        if w != g {
            differences.push(format!(
                "{key}\n    expected {}\n    got      {}",
                w.map_or("(no row)", String::as_str),
                g.map_or("(no row)", String::as_str)
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "the permission matrix changed ({} rows); columns: {}\n{}",
        differences.len(),
        ROLES.map(|r| r.0).join(" "),
        differences.join("\n")
    );
}
