-- Management review (ISO/IEC 27001 9.3): the schedule of reviews, each review with its period and state, the
-- inputs compiled from live data (a JSON snapshot of figures with the records behind them, frozen at close) with
-- the discussion notes that cover them, and the kind of each decision taken in it. A review is held in a meeting
-- row (kind 'other'), so attendance, decisions and actions use the meeting tables unchanged.

create table review_schedule (
    org_id bigint primary key references organisation (id),
    every_months bigint not null check (every_months between 1 and 24),
    chair_id bigint not null,
    recorded_by bigint not null,
    updated_at bigint not null,
    foreign key (org_id, chair_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id)
);

create table review_schedule_attendee (
    org_id bigint not null references review_schedule (org_id),
    user_id bigint not null,
    primary key (org_id, user_id),
    foreign key (org_id, user_id) references membership (org_id, user_id)
);

create table management_review (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    title text not null,
    planned_on bigint not null,
    period_start bigint not null,
    period_end bigint not null,
    chair_id bigint not null,
    status text not null check (status in ('planned', 'open', 'complete', 'closed')),
    meeting_id bigint,
    opened_at bigint,
    completed_at bigint,
    closed_at bigint,
    checkpoint_size bigint,
    recorded_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null,
    foreign key (org_id, chair_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id),
    foreign key (org_id, meeting_id) references meeting (org_id, id),
    check ((status = 'planned') = (meeting_id is null)),
    check ((status = 'closed') = (closed_at is not null and checkpoint_size is not null))
);
create unique index management_review_org_id_key on management_review (org_id, id);
create index management_review_org_status_idx on management_review (org_id, status, planned_on);
create unique index management_review_meeting_key on management_review (org_id, meeting_id);

create table review_input (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    review_id bigint not null,
    key text not null,
    position bigint not null,
    heading text not null,
    required boolean not null,
    summary text not null,
    figures text not null,
    notes text not null,
    covered boolean not null,
    compiled_at bigint not null,
    notes_by bigint references app_user (id),
    unique (review_id, key),
    foreign key (org_id, review_id) references management_review (org_id, id)
);
create unique index review_input_org_id_key on review_input (org_id, id);

create table review_output (
    org_id bigint not null references organisation (id),
    decision_id bigint primary key,
    review_id bigint not null,
    kind text not null check (kind in ('improvement', 'isms_change', 'resource_need')),
    foreign key (org_id, decision_id) references decision (org_id, id),
    foreign key (org_id, review_id) references management_review (org_id, id)
);
create index review_output_review_idx on review_output (org_id, review_id);
