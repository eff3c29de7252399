//! Queries on municipalities.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{MunicipalityView, entity};
use crate::error::AppError;

/// Every municipality, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<MunicipalityView>, AppError> {
    let rows = entity::Entity::find()
        .order_by_asc(entity::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| MunicipalityView {
            name: m.name,
            code: m.code,
        })
        .collect())
}

/// Adds a municipality unless one with the same code exists; returns its id.
pub async fn ensure(db: &impl ConnectionTrait, name: &str, code: &str) -> Result<i32, AppError> {
    if let Some(existing) = entity::Entity::find()
        .filter(entity::Column::Code.eq(code))
        .one(db)
        .await?
    {
        return Ok(existing.id);
    }
    let row = entity::ActiveModel {
        name: Set(name.to_owned()),
        code: Set(code.to_owned()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}
