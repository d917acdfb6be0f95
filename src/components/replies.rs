//! A thread's flat list of posts as its top-level posts, each with its replies.

use yishi_api::Post;

/// Groups `all` into its top-level posts, in their order, each with its replies in theirs.
/// A live room regroups on every arrival and may hold thousands of posts: kept in id order
/// (as the pages keep them), a reply's parent is found by binary search; in any other order
/// by a scan, so the result is the same. A reply whose parent is not in the list (or is a
/// reply itself) is left out, as the pages always did.
pub fn with_replies(all: &[Post]) -> Vec<(Post, Vec<Post>)> {
    let mut tops: Vec<(Post, Vec<Post>)> = all
        .iter()
        .filter(|p| p.parent_id.is_none())
        .map(|p| (p.clone(), Vec::new()))
        .collect();
    for reply in all {
        let Some(parent) = reply.parent_id else {
            continue;
        };
        let at = tops
            .binary_search_by_key(&parent, |(p, _)| p.id)
            .ok()
            .or_else(|| tops.iter().position(|(p, _)| p.id == parent));
        if let Some(at) = at {
            tops[at].1.push(reply.clone());
        }
    }
    tops
}

#[cfg(test)]
mod tests {
    use super::with_replies;
    use yishi_api::{AccountId, Post, PostKind};

    fn post(id: i64, parent_id: Option<i64>) -> Post {
        Post {
            id,
            author_id: AccountId(1),
            author_name: "委员".into(),
            kind: if parent_id.is_some() {
                PostKind::Reply
            } else {
                PostKind::Comment
            },
            body_html: format!("<p>{id}</p>"),
            parent_id,
            like_count: 0,
            featured: false,
            created_at: id,
            edited_at: None,
            chapter_id: None,
            quote: None,
            deleted: false,
            pending: false,
            hidden: false,
        }
    }

    fn shape(grouped: &[(Post, Vec<Post>)]) -> Vec<(i64, Vec<i64>)> {
        grouped
            .iter()
            .map(|(p, replies)| (p.id, replies.iter().map(|r| r.id).collect()))
            .collect()
    }

    #[test]
    fn replies_go_under_their_post_in_order() {
        let all = [
            post(1, None),
            post(2, None),
            post(3, Some(1)),
            post(4, None),
            post(5, Some(2)),
            post(6, Some(1)),
        ];
        assert_eq!(
            shape(&with_replies(&all)),
            vec![(1, vec![3, 6]), (2, vec![5]), (4, vec![])]
        );
    }

    #[test]
    fn out_of_order_lists_group_the_same() {
        // A post the author just sent is appended before the list is sorted again.
        let all = [
            post(4, None),
            post(1, None),
            post(6, Some(1)),
            post(2, None),
            post(5, Some(4)),
            post(3, Some(2)),
        ];
        assert_eq!(
            shape(&with_replies(&all)),
            vec![(4, vec![5]), (1, vec![6]), (2, vec![3])]
        );
    }

    #[test]
    fn replies_without_a_top_level_parent_are_left_out() {
        let all = [
            post(1, None),
            post(2, Some(1)),
            post(3, Some(2)),
            post(4, Some(9)),
        ];
        assert_eq!(shape(&with_replies(&all)), vec![(1, vec![2])]);
    }
}
