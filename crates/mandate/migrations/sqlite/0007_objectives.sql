-- Objectives (ISO/IEC 27001 6.2) and their measurements (9.1). Measurements are never edited or deleted: a
-- wrong one is withdrawn (withdrawn_at, withdrawn_by, withdraw_reason) and stays in the history.

create table objective (
    id integer primary key,
    org_id integer not null references organisation (id),
    statement text not null,
    kind text not null check (kind in ('organisational', 'personal')),
    -- The manager a personal objective belongs to; empty for organisational objectives.
    person_id integer references app_user (id),
    owner_id integer not null references app_user (id),
    target_value real not null,
    unit text not null,
    direction text not null check (direction in ('at_least', 'at_most', 'exactly')),
    due_on integer not null,
    resources text not null,
    evaluation_method text not null,
    frequency text not null check (frequency in ('monthly', 'quarterly', 'half_yearly', 'yearly', 'days')),
    -- The evaluation interval in days the status rule uses (also set for the named frequencies).
    frequency_days integer not null check (frequency_days between 1 and 730),
    -- The policy the objective serves. No foreign key yet: the policy table arrives in its own migration.
    policy_id integer,
    status text not null check (status in ('open', 'achieved', 'abandoned')),
    status_note text not null,
    created_by integer not null references app_user (id),
    created_at integer not null,
    updated_at integer not null,
    closed_at integer,
    check ((kind = 'personal') = (person_id is not null))
);
create index objective_org_due_idx on objective (org_id, status, due_on);
create index objective_owner_idx on objective (org_id, owner_id);
create index objective_person_idx on objective (org_id, person_id);

create table measurement (
    id integer primary key,
    org_id integer not null references organisation (id),
    objective_id integer not null references objective (id),
    value real not null,
    measured_on integer not null,
    note text not null,
    measured_by integer not null references app_user (id),
    recorded_at integer not null,
    withdrawn_at integer,
    withdrawn_by integer references app_user (id),
    withdraw_reason text,
    check ((withdrawn_at is null) = (withdrawn_by is null))
);
create index measurement_objective_idx on measurement (org_id, objective_id, measured_on);
