//! The occupation taxonomy (SSYK 2012) as people type it: a search by code or words
//! in either language, and the one resolution every form with an occupation uses.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{OccupationView, entity::occupation, model::SsykCode};
use crate::{error::AppError, i18n::Locale};

pub(crate) fn view(o: &occupation::Model, locale: Locale) -> OccupationView {
    OccupationView {
        code: o.code.clone(),
        name: match locale {
            Locale::Sv => o.name_sv.clone(),
            Locale::En => o.name_en.clone(),
        },
        level: o.level,
    }
}

/// A query word cut to a stem, so "undersköterska" finds "undersköterskor" and
/// "cooks" finds "cook" (Swedish and English plural and definite endings).
fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 4 {
        return word.to_owned();
    }
    for ending in [
        "orna", "arna", "erna", "or", "ar", "er", "es", "a", "s", "e",
    ] {
        if let Some(base) = word.strip_suffix(ending)
            && base.chars().count() >= 4
        {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// SSYK unit groups (level 4) matching `query`, best first, at most `limit`.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    locale: Locale,
    limit: usize,
) -> Result<Vec<OccupationView>, AppError> {
    let q = query.trim().to_lowercase();
    if q.is_empty() || q.chars().count() > 100 {
        return Ok(Vec::new());
    }
    let units = occupation::Entity::find()
        .filter(occupation::Column::Level.eq(4))
        .order_by_asc(occupation::Column::Code)
        .all(db)
        .await?;
    let digits: String = q.chars().take_while(char::is_ascii_digit).collect();
    let words: Vec<String> = q[digits.len()..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect();
    let mut hits: Vec<(u8, &occupation::Model)> = units
        .iter()
        .filter(|u| digits.is_empty() || u.code.starts_with(&digits))
        .filter_map(|u| {
            if words.is_empty() {
                return Some((0, u));
            }
            let own = match locale {
                Locale::Sv => u.name_sv.to_lowercase(),
                Locale::En => u.name_en.to_lowercase(),
            };
            let both = format!(
                "{own} {}",
                match locale {
                    Locale::Sv => u.name_en.to_lowercase(),
                    Locale::En => u.name_sv.to_lowercase(),
                }
            );
            words
                .iter()
                .all(|w| both.contains(w.as_str()))
                .then(|| (u8::from(!own.starts_with(words[0].as_str())) + 1, u))
        })
        .collect();
    hits.sort_by_key(|(rank, u)| (*rank, u.code.clone()));
    Ok(hits
        .into_iter()
        .take(limit)
        .map(|(_, u)| view(u, locale))
        .collect())
}

/// The unit group the need form's occupation field names: a code (alone or at the
/// start of a picked option), or words that match exactly one unit group.
pub(crate) async fn resolve_occupation(
    db: &impl ConnectionTrait,
    input: &str,
) -> Result<String, &'static str> {
    let input = input.trim();
    if input.is_empty() {
        return Err("field-required");
    }
    let lookup = async |code: &str| {
        occupation::Entity::find_by_id(code.to_owned())
            .one(db)
            .await
            .ok()
            .flatten()
            .filter(|o| o.level == 4)
    };
    if let Some(code) = SsykCode::leading_unit(input) {
        return match lookup(code.as_str()).await {
            Some(o) => Ok(o.code),
            None => Err("field-occupation-unknown"),
        };
    }
    let found = search(db, input, Locale::Sv, 2)
        .await
        .map_err(|_| "field-occupation-unknown")?;
    let found_en = search(db, input, Locale::En, 2)
        .await
        .map_err(|_| "field-occupation-unknown")?;
    match (found.as_slice(), found_en.as_slice()) {
        ([one], _) | ([], [one]) => Ok(one.code.clone()),
        ([], []) => Err("field-occupation-unknown"),
        _ => Err("field-occupation-ambiguous"),
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn query_words_are_cut_to_a_stem_that_matches_plural_names() {
        assert_eq!(stem("undersköterska"), "underskötersk");
        assert_eq!(stem("kockar"), "kock");
        assert_eq!(stem("cooks"), "cook");
        assert_eq!(stem("lagerarbetare"), "lagerarbetar");
        assert_eq!(stem("kock"), "kock");
    }
}
