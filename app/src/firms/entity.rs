//! The `firms` and `outreach` tables.

pub mod firm {
    //! One firm: a ring member or a prospect.
    use sea_orm::entity::prelude::*;

    /// A firm.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "firms")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        #[sea_orm(unique)]
        pub org_number: String,
        pub employees: i32,
        pub sni_section: String,
        pub address: String,
        pub municipality_id: Option<i32>,
        pub contact_name: String,
        pub contact_email: String,
        pub contact_phone: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod outreach {
    //! One contact with a firm.
    use sea_orm::entity::prelude::*;

    /// A logged contact.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outreach")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub firm_id: i32,
        pub contacted_on: Date,
        pub channel: String,
        pub coordinator_id: i32,
        pub outcome: String,
        pub note: String,
        pub next_step: String,
        pub next_step_on: Option<Date>,
        pub followed_up_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
