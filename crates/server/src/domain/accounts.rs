//! Parse, don't validate: account fields become checked values or field problem codes.

use yishi_api::field_codes::*;
use yishi_api::{Organisation, Role, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

/// `zhangsan`, `member_12`, `li.ming`: 3–32 ASCII letters, digits, `_`, `.`, `-`.
pub fn parse_username(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(REQUIRED);
    }
    if s.len() < 3 {
        return Err(TOO_SHORT);
    }
    if s.len() > 32 {
        return Err(TOO_LONG);
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(INVALID);
    }
    Ok(s.to_owned())
}

/// A mainland mobile number: 11 digits starting with 1. Spaces and dashes are dropped.
pub fn parse_phone(raw: &str) -> Result<Option<String>, &'static str> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(digits))
    } else {
        Err(INVALID)
    }
}

/// Trimmed text of 1..=max characters (Chinese counts one per character).
pub fn parse_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(REQUIRED);
    }
    if s.chars().count() > max {
        return Err(TOO_LONG);
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(INVALID);
    }
    Ok(s.to_owned())
}

/// Multi-line text (a textarea): like `parse_text`, but line breaks and tabs are kept.
pub fn parse_long_text(raw: &str, max: usize) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(REQUIRED);
    }
    if s.chars().count() > max {
        return Err(TOO_LONG);
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(INVALID);
    }
    Ok(s.to_owned())
}

/// Optional text: blank means absent.
pub fn parse_optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse_text(s, max).map(Some),
    }
}

/// Passwords too common to accept, bundled (see the file's header).
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower)
}

pub fn check_new_password(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err(TOO_SHORT)
    } else if n > MAX_PASSWORD_CHARS {
        Err(TOO_LONG)
    } else if is_common(password) {
        Err(TOO_COMMON)
    } else {
        Ok(())
    }
}

pub const MAX_NAME_CHARS: usize = 40;
pub const MAX_TITLE_CHARS: usize = 100;

/// Which organisation links a role may carry: officials belong to exactly one department;
/// members and admins to none. Returns the field and problem of the first violation.
pub fn check_role_links(
    role: Role,
    has_department: bool,
) -> Result<(), (&'static str, &'static str)> {
    match (role, has_department) {
        (Role::Official, false) => Err(("department_id", REQUIRED)),
        (Role::Member | Role::Admin, true) => Err(("department_id", INVALID)),
        _ => Ok(()),
    }
}

/// Whether an id names an existing unit of the organisation.
pub fn org_has(org: &Organisation, field: &str, id: i64) -> bool {
    match field {
        "sector_id" => org.sectors.iter().any(|u| u.id.0 == id),
        "committee_id" => org.committees.iter().any(|u| u.id.0 == id),
        "department_id" => org.departments.iter().any(|u| u.id.0 == id),
        "workstation_id" => org.workstations.iter().any(|u| u.id.0 == id),
        _ => false,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(check_new_password("Password1234"), Err(TOO_COMMON));
        assert_eq!(check_new_password("ILoveYou1314"), Err(TOO_COMMON));
        assert_eq!(check_new_password("112233445566"), Err(TOO_COMMON));
        assert_eq!(check_new_password("新的登录密码2026abc"), Ok(()));
        // Shorter than the minimum: too short, whether common or not.
        assert_eq!(check_new_password("woaini1314"), Err(TOO_SHORT));
        assert_eq!(check_new_password("short"), Err(TOO_SHORT));
        assert!(is_common("woaini1314"));
        // The list's comments are not passwords.
        assert!(!is_common(
            "# one per line; lines starting with # are comments."
        ));
    }

    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(parse_username(" li.ming ").as_deref(), Ok("li.ming"));
        assert_eq!(parse_username(""), Err(REQUIRED));
        assert_eq!(parse_username("ab"), Err(TOO_SHORT));
        assert_eq!(parse_username("张三丰"), Err(INVALID));
        assert_eq!(parse_username(&"a".repeat(33)), Err(TOO_LONG));
    }

    #[test]
    fn phones() {
        assert_eq!(parse_phone("139 0468 0001"), Ok(Some("13904680001".into())));
        assert_eq!(parse_phone(""), Ok(None));
        assert_eq!(parse_phone("12345"), Err(INVALID));
        assert_eq!(parse_phone("2390468000a"), Err(INVALID));
    }

    #[test]
    fn texts_count_characters_not_bytes() {
        assert!(parse_text(&"政".repeat(40), 40).is_ok());
        assert_eq!(parse_text(&"政".repeat(41), 40), Err(TOO_LONG));
        assert_eq!(parse_text("a\u{0007}b", 40), Err(INVALID));
    }

    #[test]
    fn role_links() {
        assert!(check_role_links(Role::Official, true).is_ok());
        assert_eq!(
            check_role_links(Role::Official, false),
            Err(("department_id", REQUIRED))
        );
        assert_eq!(
            check_role_links(Role::Member, true),
            Err(("department_id", INVALID))
        );
    }
}
