-- Management review (ISO/IEC 27001 9.3): the schedule of reviews, each review with its period and state, the
-- inputs compiled from live data (a JSON snapshot of figures with the records behind them, frozen at close) with
-- the discussion notes that cover them, and the kind of each decision taken in it. A review is held in a meeting
-- row (kind 'other'), so attendance, decisions and actions use the meeting tables unchanged.

create table review_schedule (
    org_id integer primary key references organisation (id),
    every_months integer not null check (every_months between 1 and 24),
    chair_id integer not null,
    recorded_by integer not null,
    updated_at integer not null,
    foreign key (org_id, chair_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id)
);

create table review_schedule_attendee (
    org_id integer not null references review_schedule (org_id),
    user_id integer not null,
    primary key (org_id, user_id),
    foreign key (org_id, user_id) references membership (org_id, user_id)
);

create table management_review (
    id integer primary key,
    org_id integer not null references organisation (id),
    title text not null,
    planned_on integer not null,
    period_start integer not null,
    period_end integer not null,
    chair_id integer not null,
    status text not null check (status in ('planned', 'open', 'complete', 'closed')),
    meeting_id integer,
    opened_at integer,
    completed_at integer,
    closed_at integer,
    checkpoint_size integer,
    recorded_by integer not null,
    created_at integer not null,
    updated_at integer not null,
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
    id integer primary key,
    org_id integer not null references organisation (id),
    review_id integer not null,
    key text not null,
    position integer not null,
    heading text not null,
    required boolean not null,
    summary text not null,
    figures text not null,
    notes text not null,
    covered boolean not null,
    compiled_at integer not null,
    notes_by integer references app_user (id),
    unique (review_id, key),
    foreign key (org_id, review_id) references management_review (org_id, id)
);
create unique index review_input_org_id_key on review_input (org_id, id);

create table review_output (
    org_id integer not null references organisation (id),
    decision_id integer not null primary key,
    review_id integer not null,
    kind text not null check (kind in ('improvement', 'isms_change', 'resource_need')),
    foreign key (org_id, decision_id) references decision (org_id, id),
    foreign key (org_id, review_id) references management_review (org_id, id)
);
create index review_output_review_idx on review_output (org_id, review_id);
