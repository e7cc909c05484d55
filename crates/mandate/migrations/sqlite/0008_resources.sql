-- Resources (ISO/IEC 27001 7.1): commitments of money and people's time, and what was spent against them.
-- Money is integer minor units of an ISO 4217 currency; time is integer hundredths of a person-day; dates are
-- midnight UTC in seconds since the Unix epoch. objective_id has no foreign key yet: objectives arrive later.

create table resource_commitment (
    id integer primary key,
    org_id integer not null references organisation (id),
    title text not null,
    purpose text not null,
    initiative text not null,
    objective_id integer,
    currency text not null,
    requested_minor integer not null check (requested_minor >= 0),
    requested_days_x100 integer not null check (requested_days_x100 >= 0),
    due_on integer not null,
    requested_by integer not null references app_user (id),
    status text not null check (status in ('requested', 'approved', 'refused', 'closed')),
    approved_minor integer check (approved_minor >= 0),
    approved_days_x100 integer check (approved_days_x100 >= 0),
    decided_by integer references app_user (id),
    decided_at integer,
    decision_ref text,
    refusal_reason text,
    closed_by integer references app_user (id),
    closed_at integer,
    unspent_minor integer,
    disposition text check (disposition in ('none', 'returned', 'redirected')),
    close_note text,
    created_at integer not null,
    updated_at integer not null
);
create index resource_commitment_org_idx on resource_commitment (org_id, id);
create index resource_commitment_status_idx on resource_commitment (org_id, status, due_on);

-- Entries are never edited: a counter-entry (reverses = the entry it undoes, amounts negated) corrects one.
create table resource_entry (
    id integer primary key,
    org_id integer not null references organisation (id),
    commitment_id integer not null references resource_commitment (id),
    spent_on integer not null,
    amount_minor integer not null,
    days_x100 integer not null,
    person_id integer not null references app_user (id),
    note text not null,
    reverses integer references resource_entry (id),
    recorded_by integer not null references app_user (id),
    recorded_at integer not null,
    check ((reverses is null and amount_minor >= 0 and days_x100 >= 0)
        or (reverses is not null and amount_minor <= 0 and days_x100 <= 0))
);
create index resource_entry_commitment_idx on resource_entry (org_id, commitment_id, spent_on);
create unique index resource_entry_reverses_key on resource_entry (reverses);

-- Per-organisation settings of the resources register; an organisation without a row uses the defaults.
create table resource_setting (
    org_id integer primary key references organisation (id),
    currency text not null,
    underspent_percent integer not null check (underspent_percent between 1 and 100),
    updated_at integer not null
);
