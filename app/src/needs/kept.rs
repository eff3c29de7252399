//! The needs board's rendering, kept per process under its [`BoardStamp`]: a page whose
//! stamp matches a kept one shows that rendering, without reading the needs, firms and
//! ring again or building their view. The stamp names the ring, the caller's view
//! (staff, or which member firm: drafts differ), the language and the filters, and
//! the database's change counter that every write to what the board shows moves; so
//! a write by anyone, in any process, shows on the next page, and no caller is shown
//! a board made for another view. Several processes on one PostgreSQL each keep
//! their own.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use super::BoardStamp;

/// How many boards a process keeps; past it, those of an older counter are dropped
/// (all of them, if every one is current). A board is some tens of KB.
const KEPT_AT_MOST: usize = 256;

/// A board as the page rendered it.
#[derive(Debug, Clone)]
pub struct KeptBoard {
    /// The page's title.
    pub title: String,
    /// The page's content under its title, as HTML.
    pub html: Arc<str>,
}

/// This process's kept boards, by key (one per server, shared by its requests).
#[derive(Debug, Clone, Default)]
pub struct KeptBoards(Arc<Mutex<HashMap<String, (i64, KeptBoard)>>>);

impl KeptBoards {
    /// The board kept under `stamp`, if its counter is the stamp's.
    pub fn get(&self, stamp: &BoardStamp) -> Option<KeptBoard> {
        self.lock()
            .get(&stamp.key)
            .filter(|(version, _)| *version == stamp.version)
            .map(|(_, board)| board.clone())
    }

    /// Keeps `board` under `stamp`, in place of an older one.
    pub fn keep(&self, stamp: &BoardStamp, board: KeptBoard) {
        let mut kept = self.lock();
        if kept.len() >= KEPT_AT_MOST && !kept.contains_key(&stamp.key) {
            kept.retain(|_, (version, _)| *version >= stamp.version);
            if kept.len() >= KEPT_AT_MOST {
                kept.clear();
            }
        }
        match kept.get(&stamp.key) {
            // A slower request of an older counter does not replace a newer board.
            Some((version, _)) if *version > stamp.version => {}
            _ => {
                kept.insert(stamp.key.clone(), (stamp.version, board));
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, KeptBoard)>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// This process's kept boards, from the request's context.
pub fn kept_boards() -> Option<KeptBoards> {
    leptos::prelude::use_context::<crate::ssr::AppState>().map(|state| state.boards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(key: &str, version: i64) -> BoardStamp {
        BoardStamp {
            key: key.to_owned(),
            version,
        }
    }

    fn board(title: &str) -> KeptBoard {
        KeptBoard {
            title: title.to_owned(),
            html: Arc::from(format!("<p>{title}</p>")),
        }
    }

    #[test]
    fn a_board_is_shown_only_under_its_own_key_and_counter() {
        let kept = KeptBoards::default();
        kept.keep(&stamp("ring 1 | firm 7", 3), board("a"));
        assert_eq!(
            kept.get(&stamp("ring 1 | firm 7", 3)).map(|b| b.title),
            Some("a".into())
        );
        assert!(
            kept.get(&stamp("ring 1 | firm 8", 3)).is_none(),
            "another firm's view"
        );
        assert!(
            kept.get(&stamp("ring 1 | firm 7", 4)).is_none(),
            "after a change"
        );
        // A slow page of the older counter does not replace the newer board.
        kept.keep(&stamp("ring 1 | firm 7", 5), board("new"));
        kept.keep(&stamp("ring 1 | firm 7", 4), board("old"));
        assert_eq!(
            kept.get(&stamp("ring 1 | firm 7", 5)).map(|b| b.title),
            Some("new".into())
        );
    }

    #[test]
    fn a_full_cache_drops_the_outdated_boards_first_and_stays_bounded() {
        let kept = KeptBoards::default();
        for i in 0..KEPT_AT_MOST - 1 {
            kept.keep(&stamp(&format!("old {i}"), 1), board("old"));
        }
        kept.keep(&stamp("current", 2), board("current"));
        assert_eq!(kept.lock().len(), KEPT_AT_MOST);
        kept.keep(&stamp("another", 2), board("another"));
        assert_eq!(kept.lock().len(), 2, "the boards of counter 1 went");
        assert!(kept.get(&stamp("current", 2)).is_some());
        for i in 0..KEPT_AT_MOST * 2 {
            kept.keep(&stamp(&format!("new {i}"), 2), board("new"));
        }
        assert!(kept.lock().len() <= KEPT_AT_MOST);
    }
}
