//! Chinese-aware search: words come from jieba (dictionary bundled). Documents are indexed with
//! its search mode, which adds the shorter dictionary words inside long ones, so 养老 finds
//! 社区养老服务中心; queries are cut in precise mode and every query word must be a term of the
//! document. Ranking and snippets are computed here, so SQLite and PostgreSQL answer the same.

use jieba_rs::Jieba;
use std::collections::BTreeSet;
use std::sync::LazyLock;
use yishi_api::SnippetPart;

/// The dictionary is large and read-only: built once, on first use.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Longest term kept (longer tokens are noise: URLs, hashes).
const MAX_TERM_CHARS: usize = 32;

/// Most query words used; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 8;

fn keep(word: &str) -> Option<String> {
    let word = word.trim();
    if word.is_empty() || word.chars().count() > MAX_TERM_CHARS {
        return None;
    }
    // Punctuation and spaces are not words.
    if !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(word.to_lowercase())
}

/// The terms a text is indexed under.
pub fn index_terms(text: &str) -> BTreeSet<String> {
    JIEBA
        .cut_for_search(text, false)
        .into_iter()
        .filter_map(|t| keep(t.word))
        .collect()
}

/// The words a query asks for, in query order, without repeats.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    JIEBA
        .cut(query, false)
        .into_iter()
        .filter_map(|t| keep(t.word))
        .filter(|w| seen.insert(w.clone()))
        .take(MAX_QUERY_TERMS)
        .collect()
}

/// Warms the dictionary at start-up so the first search does not pay for it.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Characters of context a snippet shows around the first match.
const SNIPPET_CHARS: usize = 90;

/// A short extract of `text` around the first query word, split into plain and matched parts
/// (the app shows matched parts highlighted, as text: no HTML crosses the wire here).
pub fn snippet(text: &str, terms: &[String]) -> Vec<SnippetPart> {
    let lower: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = text.chars().collect();
    // Lower-casing can change lengths (rare outside ASCII); fall back to no highlighting then.
    let comparable = lower.len() == chars.len();
    let terms: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.chars().collect())
        .filter(|t: &Vec<char>| !t.is_empty())
        .collect();
    let matches_at = |i: usize| -> Option<usize> {
        if !comparable {
            return None;
        }
        terms
            .iter()
            .filter(|t| lower[i..].starts_with(t))
            .map(Vec::len)
            .max()
    };
    let first = (0..chars.len()).find(|&i| matches_at(i).is_some());
    let start = first.map_or(0, |f| f.saturating_sub(SNIPPET_CHARS / 3));
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut parts: Vec<SnippetPart> = Vec::new();
    let push = |parts: &mut Vec<SnippetPart>, s: String, hit: bool| match parts.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(&s),
        _ => parts.push(SnippetPart { text: s, hit }),
    };
    if start > 0 {
        push(&mut parts, "…".into(), false);
    }
    let mut i = start;
    while i < end {
        match matches_at(i) {
            Some(len) => {
                let stop = (i + len).min(chars.len());
                push(&mut parts, chars[i..stop].iter().collect(), true);
                i = stop;
            }
            None => {
                push(&mut parts, chars[i].to_string(), false);
                i += 1;
            }
        }
    }
    if end < chars.len() {
        push(&mut parts, "…".into(), false);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_character_words_are_found_inside_longer_ones() {
        let terms = index_terms("建设社区养老服务中心，增加机械停车位");
        for word in ["养老", "停车", "社区"] {
            assert!(terms.contains(word), "{word} missing from {terms:?}");
        }
        assert_eq!(query_terms("养老"), vec!["养老".to_string()]);
        assert_eq!(query_terms("停车"), vec!["停车".to_string()]);
    }

    #[test]
    fn english_numbers_and_mixed_queries_work() {
        let terms = index_terms("Wi-Fi 覆盖 2025 年 5G 基站建设");
        assert!(terms.contains("wi"), "{terms:?}");
        assert!(terms.contains("2025"), "{terms:?}");
        let q = query_terms("5G 基站");
        assert!(q.iter().all(|t| terms.contains(t)), "{q:?} vs {terms:?}");
        assert!(query_terms("，。！ ").is_empty());
    }

    #[test]
    fn snippet_marks_matches_and_cuts_around_the_first() {
        let text = format!("{}关于社区养老的建议{}", "前".repeat(100), "后".repeat(100));
        let parts = snippet(&text, &["养老".to_string()]);
        assert!(parts.iter().any(|p| p.hit && p.text == "养老"));
        assert!(parts
            .first()
            .is_some_and(|p| !p.hit && p.text.starts_with('…')));
        assert!(parts.last().is_some_and(|p| p.text.ends_with('…')));
        let total: usize = parts.iter().map(|p| p.text.chars().count()).sum();
        assert!(total <= SNIPPET_CHARS + 2);
    }
}
