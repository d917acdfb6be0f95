//! CSV import of accounts: parse the file, check every row, report problems per row.
//! Nothing here touches the database; the caller supplies what already exists.

use super::accounts::*;
use std::collections::{BTreeMap, HashSet};
use yishi_api::field_codes::*;
use yishi_api::*;

/// A row that passed every check, ready to insert.
#[derive(Debug, Clone)]
pub struct ValidRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub sector_id: Option<SectorId>,
    pub committee_id: Option<CommitteeId>,
    pub department_id: Option<DepartmentId>,
    pub workstation_id: Option<WorkstationId>,
}

pub struct CheckedImport {
    pub preview: ImportPreview,
    pub valid: Vec<ValidRow>,
}

/// Column names accepted in the header, English or Chinese.
const COLUMNS: [(&str, &str); 9] = [
    ("username", "用户名"),
    ("display_name", "姓名"),
    ("role", "角色"),
    ("phone", "手机号"),
    ("title", "职务"),
    ("sector", "界别"),
    ("committee", "专委会"),
    ("workstation", "工作站"),
    ("department", "单位"),
];

/// A problem with the file as a whole (no header, unknown column, too many rows…).
#[derive(Debug, PartialEq, Eq)]
pub struct FileProblem(pub &'static str);

/// Checks a CSV file of accounts against the organisation and the logins already taken.
pub fn check(
    csv_text: &str,
    org: &Organisation,
    taken_usernames: &HashSet<String>,
    taken_phones: &HashSet<String>,
) -> Result<CheckedImport, FileProblem> {
    let text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| FileProblem("unreadable_header"))?
        .clone();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        let Some((name, _)) = COLUMNS.iter().find(|(en, zh)| *en == h || *zh == h) else {
            return Err(FileProblem("unknown_column"));
        };
        index.insert(name, i);
    }
    for required in ["username", "display_name", "role"] {
        if !index.contains_key(required) {
            return Err(FileProblem("missing_column"));
        }
    }

    let mut rows = Vec::new();
    let mut valid = Vec::new();
    let mut seen_usernames = HashSet::new();
    let mut seen_phones = HashSet::new();
    for (n, record) in reader.records().enumerate() {
        if n >= MAX_IMPORT_ROWS {
            return Err(FileProblem("too_many_rows"));
        }
        let line = u32::try_from(n + 2).unwrap_or(u32::MAX);
        let mut errors = BTreeMap::new();
        let Ok(record) = record else {
            errors.insert("row".to_owned(), INVALID.to_owned());
            rows.push(ImportRow {
                line,
                username: String::new(),
                display_name: String::new(),
                role: None,
                errors,
            });
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |col: &str| index.get(col).and_then(|&i| record.get(i)).unwrap_or("");
        let mut fail = |col: &str, problem: &str| {
            errors
                .entry(col.to_owned())
                .or_insert_with(|| problem.to_owned());
        };

        let username = parse_username(get("username"))
            .map_err(|p| fail("username", p))
            .ok();
        if let Some(u) = &username {
            if taken_usernames.contains(u) || !seen_usernames.insert(u.clone()) {
                fail("username", TAKEN);
            }
        }
        let display_name = parse_text(get("display_name"), MAX_NAME_CHARS)
            .map_err(|p| fail("display_name", p))
            .ok();
        let role = match get("role") {
            "" => {
                fail("role", REQUIRED);
                None
            }
            r => Role::parse(r).or_else(|| {
                fail("role", INVALID);
                None
            }),
        };
        let phone = parse_phone(get("phone"))
            .map_err(|p| fail("phone", p))
            .ok()
            .flatten();
        if let Some(p) = &phone {
            if taken_phones.contains(p) || !seen_phones.insert(p.clone()) {
                fail("phone", TAKEN);
            }
        }
        let title = parse_optional_text(Some(get("title")), MAX_TITLE_CHARS)
            .map_err(|p| fail("title", p))
            .ok()
            .flatten();
        let lookup = |name: &str, names: Vec<(&str, i64)>| -> Result<Option<i64>, ()> {
            match name.trim() {
                "" => Ok(None),
                n => names
                    .iter()
                    .find(|(candidate, _)| *candidate == n)
                    .map(|(_, id)| Some(*id))
                    .ok_or(()),
            }
        };
        let sector_id = lookup(
            get("sector"),
            org.sectors
                .iter()
                .map(|u| (u.name.as_str(), u.id.0))
                .collect(),
        )
        .map_err(|()| fail("sector", UNKNOWN))
        .ok()
        .flatten()
        .map(SectorId);
        let committee_id = lookup(
            get("committee"),
            org.committees
                .iter()
                .map(|u| (u.name.as_str(), u.id.0))
                .collect(),
        )
        .map_err(|()| fail("committee", UNKNOWN))
        .ok()
        .flatten()
        .map(CommitteeId);
        let workstation_id = lookup(
            get("workstation"),
            org.workstations
                .iter()
                .map(|u| (u.name.as_str(), u.id.0))
                .collect(),
        )
        .map_err(|()| fail("workstation", UNKNOWN))
        .ok()
        .flatten()
        .map(WorkstationId);
        let department_id = lookup(
            get("department"),
            org.departments
                .iter()
                .map(|u| (u.name.as_str(), u.id.0))
                .collect(),
        )
        .map_err(|()| fail("department", UNKNOWN))
        .ok()
        .flatten()
        .map(DepartmentId);
        if let Some(r) = role {
            if let Err((_, problem)) = check_role_links(r, department_id.is_some()) {
                if !get("department").is_empty() || problem == REQUIRED {
                    fail("department", problem);
                }
            }
        }

        let row = ImportRow {
            line,
            username: get("username").to_owned(),
            display_name: get("display_name").to_owned(),
            role,
            errors: errors.clone(),
        };
        if let (true, Some(username), Some(display_name), Some(role)) =
            (errors.is_empty(), username, display_name, role)
        {
            valid.push(ValidRow {
                username,
                display_name,
                role,
                phone,
                title,
                sector_id,
                committee_id,
                department_id,
                workstation_id,
            });
        }
        rows.push(row);
    }
    let error_count =
        u32::try_from(rows.iter().filter(|r| !r.errors.is_empty()).count()).unwrap_or(u32::MAX);
    let valid_count = u32::try_from(valid.len()).unwrap_or(u32::MAX);
    Ok(CheckedImport {
        preview: ImportPreview {
            rows,
            valid_count,
            error_count,
        },
        valid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Organisation {
        Organisation {
            sectors: vec![Sector {
                id: SectorId(1),
                name: "经济界".into(),
            }],
            committees: vec![],
            departments: vec![Department {
                id: DepartmentId(7),
                name: "市民政局".into(),
            }],
            workstations: vec![],
        }
    }

    #[test]
    fn reports_each_bad_row_and_keeps_good_ones() {
        let csv = "\u{feff}用户名,姓名,角色,手机号,界别,单位\n\
                   wang01,王建国,委员,13900000001,经济界,\n\
                   li02,李芳,official,,,市民政局\n\
                   x,,boss,123,不存在,\n\
                   wang01,重复,member,13900000001,,\n";
        let taken = HashSet::from(["admin".to_owned()]);
        let checked = check(csv, &org(), &taken, &HashSet::new()).expect("file parses");
        assert_eq!(checked.preview.valid_count, 2);
        assert_eq!(checked.preview.error_count, 2);
        let bad = &checked.preview.rows[2];
        assert_eq!(bad.line, 4);
        assert_eq!(
            bad.errors.get("username").map(String::as_str),
            Some(TOO_SHORT)
        );
        assert_eq!(
            bad.errors.get("display_name").map(String::as_str),
            Some(REQUIRED)
        );
        assert_eq!(bad.errors.get("role").map(String::as_str), Some(INVALID));
        assert_eq!(bad.errors.get("phone").map(String::as_str), Some(INVALID));
        assert_eq!(bad.errors.get("sector").map(String::as_str), Some(UNKNOWN));
        let dup = &checked.preview.rows[3];
        assert_eq!(dup.errors.get("username").map(String::as_str), Some(TAKEN));
        assert_eq!(dup.errors.get("phone").map(String::as_str), Some(TAKEN));
        assert_eq!(checked.valid[1].department_id, Some(DepartmentId(7)));
    }

    #[test]
    fn refuses_files_without_required_columns() {
        let r = check(
            "username,姓名\nabc,王\n",
            &org(),
            &HashSet::new(),
            &HashSet::new(),
        );
        assert_eq!(r.err(), Some(FileProblem("missing_column")));
        let r = check(
            "username,姓名,role,shoe_size\n",
            &org(),
            &HashSet::new(),
            &HashSet::new(),
        );
        assert_eq!(r.err(), Some(FileProblem("unknown_column")));
    }

    #[test]
    fn officials_need_a_department() {
        let csv = "username,display_name,role\nzhao03,赵强,official\n";
        let checked = check(csv, &org(), &HashSet::new(), &HashSet::new()).expect("parses");
        assert_eq!(
            checked.preview.rows[0]
                .errors
                .get("department")
                .map(String::as_str),
            Some(REQUIRED)
        );
    }
}
