//! The browser bundle's and the stylesheet's file names. `scripts/build-site.sh` puts
//! a hash of each file's content in its name (`broar.3f9c…e1.wasm`) and lists the
//! hashes in `pkg/hashes.txt`; the page links those names, so a browser may keep the
//! files for a year without asking (`security::headers` marks them immutable), and a
//! new build is a new name. A site without the list (a build without the site, as in
//! the API tests) links the plain names.

use std::sync::OnceLock;

static ASSETS: OnceLock<Assets> = OnceLock::new();

/// The three files a page loads, as paths under the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// The JavaScript glue (an ES module exporting `default` and `hydrate`).
    pub js: String,
    /// The WebAssembly bundle.
    pub wasm: String,
    /// The stylesheet.
    pub css: String,
}

impl Assets {
    /// The names in `pkg/` for a `hashes.txt` with lines `js: HASH`, `wasm: HASH` and
    /// `css: HASH`; a file without a valid line keeps its plain name.
    pub fn from_hashes(hashes: &str) -> Self {
        let hash_of = |kind: &str| {
            hashes.lines().find_map(|line| {
                let (k, h) = line.split_once(':')?;
                let h = h.trim();
                (k.trim() == kind && is_hash(h)).then(|| h.to_owned())
            })
        };
        let name = |kind: &str| match hash_of(kind) {
            Some(h) => format!("/pkg/broar.{h}.{kind}"),
            None => format!("/pkg/broar.{kind}"),
        };
        Self {
            js: name("js"),
            wasm: name("wasm"),
            css: name("css"),
        }
    }

    /// The names for the site at `site_root`, read once per process (the server
    /// serves one site).
    pub fn for_site(site_root: &str) -> &'static Assets {
        ASSETS.get_or_init(|| {
            let list = std::path::Path::new(site_root).join("pkg/hashes.txt");
            Self::from_hashes(&std::fs::read_to_string(list).unwrap_or_default())
        })
    }

    /// The names read by `for_site`, for a page written outside the app (the 500
    /// page); the plain names before any was read.
    pub fn current() -> Assets {
        ASSETS
            .get()
            .cloned()
            .unwrap_or_else(|| Self::from_hashes(""))
    }

    /// The inline module that hydrates the page's islands. Only a page with an island
    /// (`<leptos-island>`, written by an `#[island]` component) fetches the bundle; the
    /// rest of every page is complete HTML from the server and needs none. Each island
    /// is hydrated by the function the bundle exports under its `data-component` name.
    /// `data-hydrated` on `<html>` then tells tests (and the curious) that the page is
    /// interactive.
    pub fn loader(&self) -> String {
        format!(
            "const islands = document.querySelectorAll(\"leptos-island\");\n\
             if (islands.length) {{\n\
             \x20 const m = await import({:?});\n\
             \x20 await m.default({{ module_or_path: {:?} }});\n\
             \x20 m.hydrate();\n\
             \x20 for (const el of islands) await m[el.dataset.component]?.(el);\n\
             }}\n\
             document.documentElement.dataset.hydrated = \"true\";",
            self.js, self.wasm
        )
    }
}

/// Whether `h` is a hash as build-site writes it: 16 lower-case hex digits.
fn is_hash(h: &str) -> bool {
    h.len() == 16
        && h.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether a path under `/pkg/` names a file with a content hash (which never changes).
pub fn is_hashed_path(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("broar"), Some(h), Some("js" | "wasm" | "css"), None) if is_hash(h)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_come_from_the_list_and_plain_names_without_one() {
        let a = Assets::from_hashes(
            "js: 0123456789abcdef\nwasm:fedcba9876543210\ncss: 00112233445566ff\n",
        );
        assert_eq!(a.js, "/pkg/broar.0123456789abcdef.js");
        assert_eq!(a.wasm, "/pkg/broar.fedcba9876543210.wasm");
        assert_eq!(a.css, "/pkg/broar.00112233445566ff.css");
        let plain = Assets::from_hashes("");
        assert_eq!(
            (plain.js.as_str(), plain.wasm.as_str(), plain.css.as_str()),
            ("/pkg/broar.js", "/pkg/broar.wasm", "/pkg/broar.css")
        );
        // A line that is not a hash is not trusted into a URL.
        assert_eq!(
            Assets::from_hashes("js: ../../x\"<\ncss: ABC").js,
            "/pkg/broar.js"
        );
    }

    #[test]
    fn only_hashed_bundle_files_count_as_hashed() {
        assert!(is_hashed_path("/pkg/broar.0123456789abcdef.wasm"));
        assert!(is_hashed_path("/pkg/broar.0123456789abcdef.css"));
        assert!(!is_hashed_path("/pkg/broar.wasm"));
        assert!(!is_hashed_path("/pkg/broar.0123456789abcdeg.js"));
        assert!(!is_hashed_path("/pkg/broar.0123456789abcdef.js.map"));
        assert!(!is_hashed_path("/favicon.svg"));
        assert!(!is_hashed_path("/pkg/other.0123456789abcdef.js"));
    }

    #[test]
    fn the_loader_fetches_the_bundle_only_for_a_page_with_islands() {
        let a = Assets::from_hashes("js: 0123456789abcdef\nwasm: fedcba9876543210");
        assert_eq!(
            a.loader(),
            "const islands = document.querySelectorAll(\"leptos-island\");\n\
             if (islands.length) {\n  \
             const m = await import(\"/pkg/broar.0123456789abcdef.js\");\n  \
             await m.default({ module_or_path: \"/pkg/broar.fedcba9876543210.wasm\" });\n  \
             m.hydrate();\n  \
             for (const el of islands) await m[el.dataset.component]?.(el);\n\
             }\n\
             document.documentElement.dataset.hydrated = \"true\";"
        );
    }
}
