//! Uploaded files: the type is decided by the content, never by what the client claims.

/// The content type of an allowed file (PDF, Word, images), judged by its first bytes and,
/// for the Office formats that share a container, its name. `None` for anything else.
pub fn sniff(bytes: &[u8], filename: &str) -> Option<&'static str> {
    let name = filename.to_lowercase();
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"PK\x03\x04")
        && name.ends_with(".docx")
        && contains(bytes, b"word/")
    {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        && name.ends_with(".doc")
    {
        Some("application/msword")
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A file name safe to store and send back: no folders, no control characters, bounded.
pub fn clean_filename(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then_some(cleaned)
}

/// `filename*=UTF-8''…` for Content-Disposition (RFC 5987), so Chinese names survive.
pub fn content_disposition(filename: &str) -> String {
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "x.pdf"), Some("application/pdf"));
        assert_eq!(
            sniff(b"%PDF-1.7 ...", "renamed.txt"),
            Some("application/pdf")
        );
        assert_eq!(sniff(b"<html><script>", "evil.pdf"), None);
        assert_eq!(
            sniff(b"PK\x03\x04....word/document.xml", "材料.docx"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
        assert_eq!(sniff(b"PK\x03\x04....", "archive.zip"), None);
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "photo.jpg"),
            Some("image/jpeg")
        );
    }

    #[test]
    fn names_are_cleaned_and_encoded() {
        assert_eq!(
            clean_filename("C:\\docs\\协商材料.pdf").as_deref(),
            Some("协商材料.pdf")
        );
        assert_eq!(
            clean_filename("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(clean_filename("  "), None);
        assert_eq!(
            content_disposition("材料 1.pdf"),
            "attachment; filename*=UTF-8''%E6%9D%90%E6%96%99%201.pdf"
        );
    }
}
