-- Objectives (ISO/IEC 27001 6.2) and their measurements (9.1). Measurements are never edited or deleted: a
-- wrong one is withdrawn (withdrawn_at, withdrawn_by, withdraw_reason) and stays in the history.

create table objective (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    statement text not null,
    kind text not null check (kind in ('organisational', 'personal')),
    -- The manager a personal objective belongs to; empty for organisational objectives.
    person_id bigint references app_user (id),
    owner_id bigint not null references app_user (id),
    target_value double precision not null,
    unit text not null,
    direction text not null check (direction in ('at_least', 'at_most', 'exactly')),
    due_on bigint not null,
    resources text not null,
    evaluation_method text not null,
    frequency text not null check (frequency in ('monthly', 'quarterly', 'half_yearly', 'yearly', 'days')),
    -- The evaluation interval in days the status rule uses (also set for the named frequencies).
    frequency_days bigint not null check (frequency_days between 1 and 730),
    -- The policy the objective serves. No foreign key yet: the policy table arrives in its own migration.
    policy_id bigint,
    status text not null check (status in ('open', 'achieved', 'abandoned')),
    status_note text not null,
    created_by bigint not null references app_user (id),
    created_at bigint not null,
    updated_at bigint not null,
    closed_at bigint,
    check ((kind = 'personal') = (person_id is not null))
);
create index objective_org_due_idx on objective (org_id, status, due_on);
create index objective_owner_idx on objective (org_id, owner_id);
create index objective_person_idx on objective (org_id, person_id);

create table measurement (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    objective_id bigint not null references objective (id),
    value double precision not null,
    measured_on bigint not null,
    note text not null,
    measured_by bigint not null references app_user (id),
    recorded_at bigint not null,
    withdrawn_at bigint,
    withdrawn_by bigint references app_user (id),
    withdraw_reason text,
    check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index measurement_objective_idx on measurement (org_id, objective_id, measured_on);
