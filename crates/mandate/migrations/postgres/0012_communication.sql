-- Communication (ISO/IEC 27001 7.4) and awareness training (7.2, 7.3): the communication plan, the
-- communications actually sent with their reach, and training campaigns whose audience is enrolled person by
-- person when they are launched. Rows are never deleted: a plan entry is retired, a completion stays recorded.

create table comm_plan_entry (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    subject text not null,
    description text not null,
    frequency text not null check (frequency in ('once', 'monthly', 'quarterly', 'half_yearly', 'yearly')),
    -- The date of a one-off communication, or when a recurring one is first due (midnight UTC).
    first_due_on bigint not null,
    -- Who communicates (a member); recorded_by is who wrote the entry down.
    communicator_id bigint not null references app_user (id),
    -- The audience as JSON (everyone, roles, departments, people) and as words for lists.
    audience text not null,
    audience_label text not null,
    channel text not null check (channel in ('email', 'intranet', 'town_hall', 'video', 'newsletter', 'meeting')),
    recorded_by bigint not null references app_user (id),
    created_at bigint not null,
    updated_at bigint not null,
    retired_at bigint,
    retired_by bigint references app_user (id),
    check ((retired_at is null) = (retired_by is null))
);
create index comm_plan_entry_org_idx on comm_plan_entry (org_id, retired_at);

create table communication (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    plan_entry_id bigint references comm_plan_entry (id),
    sent_on bigint not null,
    communicator_id bigint not null references app_user (id),
    recorded_by bigint not null references app_user (id),
    channel text not null check (channel in ('email', 'intranet', 'town_hall', 'video', 'newsletter', 'meeting')),
    subject text not null,
    summary text not null,
    audience_label text not null,
    -- Counted from the members when the audience is the organisation's own people; typed for outside audiences.
    audience_size bigint not null check (audience_size >= 0),
    audience_counted boolean not null,
    read_count bigint check (read_count between 0 and audience_size),
    acknowledged_count bigint check (acknowledged_count between 0 and audience_size),
    created_at bigint not null
);
create index communication_org_sent_idx on communication (org_id, sent_on);
create index communication_plan_idx on communication (org_id, plan_entry_id, sent_on);

create table training_campaign (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    title text not null,
    description text not null,
    audience text not null,
    audience_label text not null,
    due_on bigint not null,
    -- Who launched it (a member, often a manager sponsoring it); recorded_by is who entered it.
    launched_by bigint not null references app_user (id),
    recorded_by bigint not null references app_user (id),
    launched_at bigint not null
);
create index training_campaign_org_idx on training_campaign (org_id, launched_at);

create table training_enrolment (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    campaign_id bigint not null references training_campaign (id),
    user_id bigint not null references app_user (id),
    -- The person's department when they were enrolled, so rates per department do not move with later transfers.
    department text,
    enrolled_at bigint not null,
    completed_on bigint,
    score double precision check (score between 0 and 100),
    completion_recorded_by bigint references app_user (id),
    completion_recorded_at bigint,
    check ((completed_on is null) = (completion_recorded_by is null)),
    unique (campaign_id, user_id)
);
create index training_enrolment_campaign_idx on training_enrolment (org_id, campaign_id, completed_on);
create index training_enrolment_user_idx on training_enrolment (org_id, user_id, completed_on);
