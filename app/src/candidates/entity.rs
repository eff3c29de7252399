//! The candidate pool's tables.

pub mod candidate {
    //! One candidate (personal data; obstacles and health are in `health`).
    use sea_orm::entity::prelude::*;

    /// A row of `candidates`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub personnummer: String,
        pub email: String,
        pub phone: String,
        pub gender: String,
        pub birth_date: Date,
        pub permit_date: Option<Date>,
        pub enrolled_on: Date,
        pub sfi_course: String,
        pub sfi_path: Option<i16>,
        pub driving_licence: String,
        pub available_from: Option<Date>,
        pub hours: String,
        pub availability_note: String,
        pub job_ready_since: Option<Date>,
        pub swedish_rank: i16,
        pub criteria_met: i16,
        pub active: bool,
        pub version: i32,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod language {
    //! A language a candidate knows, at a level.
    use sea_orm::entity::prelude::*;

    /// A row of `candidate_languages`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidate_languages")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub language: String,
        pub level: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod education {
    //! One education.
    use sea_orm::entity::prelude::*;

    /// A row of `candidate_educations`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidate_educations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub isced: i16,
        pub field: String,
        pub country: String,
        pub years: i16,
        pub validated: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod experience {
    //! Work experience in an SSYK unit group.
    use sea_orm::entity::prelude::*;

    /// A row of `candidate_experiences`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidate_experiences")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub occupation_code: String,
        pub years: i16,
        pub country: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod preference {
    //! An occupation the candidate would like.
    use sea_orm::entity::prelude::*;

    /// A row of `candidate_preferences`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidate_preferences")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub occupation_code: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod health {
    //! Obstacles and health (Art. 9 data): read only through the audited service fn.
    use sea_orm::entity::prelude::*;

    /// A row of `candidate_health`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "candidate_health")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub candidate_id: i32,
        pub obstacles: String,
        pub health: String,
        pub updated_by: Option<i32>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assessment {
    //! One assessment of one job-ready criterion.
    use sea_orm::entity::prelude::*;

    /// A row of `assessments`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assessments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub criterion: String,
        pub met: bool,
        pub assessed_on: Date,
        pub assessor_id: Option<i32>,
        pub assessor_name: String,
        pub comment: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod plan_step {
    //! A dated step of the action plan.
    use sea_orm::entity::prelude::*;

    /// A row of `plan_steps`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "plan_steps")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub due_on: Date,
        pub description: String,
        pub done_on: Option<Date>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        /// The team member who sees to it; None: the coordinator.
        pub assignee_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    //! An entry in the timeline of activities and outcomes.
    use sea_orm::entity::prelude::*;

    /// A row of `activities`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub kind: String,
        pub firm_id: Option<i32>,
        pub need_id: Option<i32>,
        pub title: String,
        pub provider: String,
        pub start_on: Date,
        pub end_on: Option<Date>,
        pub completed: Option<bool>,
        pub employment_form: String,
        pub exit_reason: String,
        pub note: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod pool_entry {
    //! A candidate in a ring's pool.
    use sea_orm::entity::prelude::*;

    /// A row of `pool_entries`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pool_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub candidate_id: i32,
        pub note: String,
        pub added_by: Option<i32>,
        pub added_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod shortlist_entry {
    //! A candidate on a need's shortlist.
    use sea_orm::entity::prelude::*;

    /// A row of `shortlist_entries`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "shortlist_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub need_id: i32,
        pub candidate_id: i32,
        pub note: String,
        pub added_by: Option<i32>,
        pub added_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod team_member {
    //! Someone outside the municipality's staff who works with a candidate.
    use sea_orm::entity::prelude::*;

    /// A row of `team_members`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_members")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub role: String,
        pub name: String,
        pub organisation: String,
        pub phone: String,
        pub email: String,
        pub started_on: Date,
        pub ended_on: Option<Date>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod team_meeting {
    //! A meeting of the team around a candidate, with its notes.
    use sea_orm::entity::prelude::*;

    /// A row of `team_meetings`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub held_on: Date,
        pub notes: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod team_meeting_attendee {
    //! A team member who took part in a team meeting.
    use sea_orm::entity::prelude::*;

    /// A row of `team_meeting_attendees`.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "team_meeting_attendees")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub meeting_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub member_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
