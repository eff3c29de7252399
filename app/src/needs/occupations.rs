//! The occupation taxonomy (SSYK 2012): read once per process, as people type it (a
//! search by code or words in either language), and the one resolution every form with
//! an occupation uses.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

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

/// Every SSYK group (levels 1–4, about 600), in code order. The `occupations` table is
/// written once, by its migration from the shipped CSV, and never changes, so a
/// process reads it on first use and keeps it: pages name occupations, fill the
/// board's group filter and search as people type without a query each time.
pub struct Taxonomy {
    groups: Vec<occupation::Model>,
    by_code: HashMap<String, usize>,
}

static TAXONOMY: tokio::sync::OnceCell<Taxonomy> = tokio::sync::OnceCell::const_new();

/// The taxonomy, read from `db` by the process's first caller.
pub async fn taxonomy(db: &impl ConnectionTrait) -> Result<&'static Taxonomy, AppError> {
    TAXONOMY
        .get_or_try_init(|| async {
            let groups = occupation::Entity::find()
                .order_by_asc(occupation::Column::Code)
                .all(db)
                .await?;
            let by_code = groups
                .iter()
                .enumerate()
                .map(|(i, o)| (o.code.clone(), i))
                .collect();
            Ok::<_, AppError>(Taxonomy { groups, by_code })
        })
        .await
}

impl Taxonomy {
    /// The group with `code`, if SSYK has one.
    pub fn get(&self, code: &str) -> Option<&occupation::Model> {
        self.by_code.get(code).map(|&i| &self.groups[i])
    }

    /// The group with `code` named in `locale`.
    pub fn view(&self, code: &str, locale: Locale) -> Option<OccupationView> {
        self.get(code).map(|o| view(o, locale))
    }

    /// The groups of `codes` that SSYK has, by code, named in `locale`.
    pub fn views<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
        locale: Locale,
    ) -> HashMap<String, OccupationView> {
        codes
            .into_iter()
            .filter_map(|c| self.view(c, locale))
            .map(|v| (v.code.clone(), v))
            .collect()
    }

    /// The groups at `level` or above (1 is the top), in code order.
    pub fn down_to(&self, level: i16) -> impl Iterator<Item = &occupation::Model> {
        self.groups.iter().filter(move |o| o.level <= level)
    }

    /// The unit groups (level 4), in code order.
    pub fn units(&self) -> impl Iterator<Item = &occupation::Model> {
        self.groups.iter().filter(|o| o.level == 4)
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
    let taxonomy = taxonomy(db).await?;
    let digits: String = q.chars().take_while(char::is_ascii_digit).collect();
    let words: Vec<String> = q[digits.len()..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect();
    let mut hits: Vec<(u8, &occupation::Model)> = taxonomy
        .units()
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
    hits.sort_by(|(a, x), (b, y)| (a, &x.code).cmp(&(b, &y.code)));
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
    if let Some(code) = SsykCode::leading_unit(input) {
        let taxonomy = taxonomy(db).await.map_err(|_| "field-occupation-unknown")?;
        return match taxonomy.get(code.as_str()).filter(|o| o.level == 4) {
            Some(o) => Ok(o.code.clone()),
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
