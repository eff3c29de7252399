//! Ids of the things a function can take two of side by side (a ring and a firm, a
//! need and a candidate), where swapping them would compile as two plain numbers and
//! silently act on the wrong row. A number on the wire and in the database; a type of
//! its own in the code. Server functions take plain numbers (that is what a form
//! posts) and wrap them at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        #[cfg(feature = "ssr")]
        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> Self {
                id.0.into()
            }
        }
    };
}

id_type!(
    /// A recruitment ring's id.
    RingId
);
id_type!(
    /// A firm's id.
    FirmId
);
id_type!(
    /// A recruitment need's id.
    NeedId
);
id_type!(
    /// A candidate's id.
    CandidateId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_plain_number_on_the_wire_and_in_text() {
        assert_eq!(serde_json::to_string(&RingId(7)).expect("json"), "7");
        assert_eq!(
            serde_json::from_str::<FirmId>("12").expect("json"),
            FirmId(12)
        );
        assert_eq!(format!("ring {}", RingId(3)), "ring 3");
    }
}
