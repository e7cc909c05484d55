-- ISMS roles and responsibilities (ISO/IEC 27001 5.3): the role catalogue, appointments made by top management
-- with deputies, the RACI matrix over ISMS processes, and segregation-of-duties rules.
-- References to people go through membership (org_id, user_id) and to roles and processes through (org_id, id),
-- so a row can never point into another organisation. Dates are whole days: seconds at midnight UTC.

create table catalogue_role (
    id integer primary key,
    org_id integer not null references organisation (id),
    name text not null,
    name_key text not null,
    description text not null,
    needs_deputy boolean not null,
    retired_at integer,
    created_at integer not null,
    updated_at integer not null
);
create unique index catalogue_role_org_id_key on catalogue_role (org_id, id);
create unique index catalogue_role_name_key on catalogue_role (org_id, name_key);

-- Organisations whose catalogue, processes and rules have been seeded (once, on first use).
create table role_catalogue_seed (
    org_id integer primary key references organisation (id),
    seeded_at integer not null
);

create table appointment (
    id integer primary key,
    org_id integer not null references organisation (id),
    role_id integer not null,
    user_id integer not null,
    appointed_by integer not null,
    appointed_on integer not null,
    decision_ref text,
    ends_on integer,
    ended_at integer,
    end_reason text,
    created_at integer not null,
    updated_at integer not null,
    foreign key (org_id, role_id) references catalogue_role (org_id, id),
    foreign key (org_id, user_id) references membership (org_id, user_id),
    foreign key (org_id, appointed_by) references membership (org_id, user_id)
);
create unique index appointment_org_id_key on appointment (org_id, id);
create index appointment_role_idx on appointment (org_id, role_id, appointed_on);
create index appointment_user_idx on appointment (org_id, user_id);

create table appointment_deputy (
    org_id integer not null references organisation (id),
    appointment_id integer not null,
    user_id integer not null,
    since integer not null,
    primary key (appointment_id, user_id),
    foreign key (org_id, appointment_id) references appointment (org_id, id),
    foreign key (org_id, user_id) references membership (org_id, user_id)
);
create index appointment_deputy_user_idx on appointment_deputy (org_id, user_id);

create table isms_process (
    id integer primary key,
    org_id integer not null references organisation (id),
    name text not null,
    name_key text not null,
    description text not null,
    retired_at integer,
    created_at integer not null,
    updated_at integer not null
);
create unique index isms_process_org_id_key on isms_process (org_id, id);
create unique index isms_process_name_key on isms_process (org_id, name_key);

create table raci_cell (
    org_id integer not null references organisation (id),
    process_id integer not null,
    role_id integer not null,
    letter text not null check (letter in ('R', 'A', 'C', 'I')),
    updated_at integer not null,
    primary key (process_id, role_id),
    foreign key (org_id, process_id) references isms_process (org_id, id),
    foreign key (org_id, role_id) references catalogue_role (org_id, id)
);
create index raci_cell_org_idx on raci_cell (org_id, process_id);
create index raci_cell_role_idx on raci_cell (org_id, role_id);

create table sod_rule (
    id integer primary key,
    org_id integer not null references organisation (id),
    role_a integer not null,
    role_b integer not null,
    reason text not null,
    active boolean not null,
    created_at integer not null,
    updated_at integer not null,
    check (role_a < role_b),
    foreign key (org_id, role_a) references catalogue_role (org_id, id),
    foreign key (org_id, role_b) references catalogue_role (org_id, id)
);
create unique index sod_rule_pair_key on sod_rule (org_id, role_a, role_b);
create index sod_rule_role_b_idx on sod_rule (org_id, role_b);
