//! Links, the current path and going to another page, for the pages every build shares.
//!
//! The whole app and the reading reader route with leptos_router. The consultation reader has
//! one page and no router (its download 36 KB smaller; docs/performance.md §1): there a link
//! is a plain anchor and going elsewhere is a page load, which brings what the server sends
//! for that address, as a reader's link to a page it lacks always did.

#[cfg(not(feature = "reader-consultations"))]
mod routed {
    use leptos::prelude::*;

    pub use leptos_router::components::A;

    /// The current path, following in-app navigation.
    pub fn use_pathname() -> Signal<String> {
        leptos_router::hooks::use_location().pathname.into()
    }

    /// Goes to `href` within the app.
    pub fn use_go() -> impl Fn(&str) + Clone + 'static {
        let navigate = leptos_router::hooks::use_navigate();
        move |href| navigate(href, Default::default())
    }
}
#[cfg(not(feature = "reader-consultations"))]
pub use routed::*;

#[cfg(feature = "reader-consultations")]
mod unrouted {
    use leptos::prelude::*;

    /// The path the page was loaded at; without a router it never changes.
    fn pathname() -> String {
        window().location().pathname().unwrap_or_default()
    }

    /// leptos_router's `A` as a plain anchor: the same props, and `aria-current="page"` on a
    /// link to where the page is (the navigation's highlight), by the same rule.
    #[component]
    pub fn A(
        #[prop(into)] href: String,
        #[prop(optional)] exact: bool,
        children: Children,
    ) -> impl IntoView {
        let current = super::is_current(&href, &pathname(), exact).then_some("page");
        view! { <a href=href aria-current=current>{children()}</a> }
    }

    pub fn use_pathname() -> Signal<String> {
        Signal::stored(pathname())
    }

    pub fn use_go() -> impl Fn(&str) + Clone + 'static {
        |href| {
            let _ = window().location().set_href(href);
        }
    }
}
#[cfg(feature = "reader-consultations")]
pub use unrouted::*;

/// Whether a link to `href` points at the page at `path`: the same page, or with `exact`
/// unset a page under it (`/consultations` for `/consultations/7`); the home page only itself.
#[cfg_attr(not(any(test, feature = "reader-consultations")), allow(dead_code))]
fn is_current(href: &str, path: &str, exact: bool) -> bool {
    let href = href.split(['?', '#']).next().unwrap_or_default();
    let (href, path) = (href.trim_end_matches('/'), path.trim_end_matches('/'));
    href == path
        || (!exact
            && !href.is_empty()
            && path.starts_with(href)
            && path[href.len()..].starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn a_link_is_current_on_its_page_and_below_it_unless_exact() {
        assert!(is_current("/consultations", "/consultations/7", false));
        assert!(is_current("/consultations", "/consultations", true));
        assert!(is_current("/consultations/7", "/consultations/7/", false));
        assert!(!is_current("/consultations", "/consultations/7", true));
        assert!(!is_current("/consultations", "/consultations-old", false));
        assert!(!is_current("/reading-groups", "/consultations/7", false));
        assert!(!is_current("/", "/consultations/7", false));
        assert!(is_current("/", "/", true));
        assert!(!is_current(
            "/signin?next=/consultations/7",
            "/consultations/7",
            false
        ));
        assert!(is_current("/signin?next=/x", "/signin", false));
    }
}
