-- Phishing simulations (ISO/IEC 27001 7.3) with their results imported from GoPhish, and the log of what each top
-- manager did in person (5.1). A simulation keeps who approved it and who recorded it; its results are replaced
-- as a whole by each import, whose counts are kept on the simulation so registers read no result rows.

create table phishing_simulation (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    name text not null,
    gophish_campaign_id bigint,
    launched_on bigint not null,
    audience text not null,
    approved_by bigint not null references app_user (id),
    approved_on bigint not null,
    recorded_by bigint not null references app_user (id),
    created_at bigint not null,
    -- The latest import: when, by whom, the SHA-256 of the file, and its counts.
    imported_at bigint,
    imported_by bigint references app_user (id),
    import_sha256 text,
    result_count bigint not null default 0,
    matched_count bigint not null default 0,
    sent_count bigint not null default 0,
    opened_count bigint not null default 0,
    clicked_count bigint not null default 0,
    submitted_count bigint not null default 0,
    reported_count bigint not null default 0
);
create index phishing_simulation_org_idx on phishing_simulation (org_id, launched_on);

create table phishing_result (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    simulation_id bigint not null references phishing_simulation (id),
    -- The line of the imported file the row came from, and GoPhish's own result id.
    line bigint not null,
    gophish_id text not null,
    email text not null,
    first_name text not null,
    last_name text not null,
    position text not null,
    -- GoPhish's status as written, and the furthest stage it means (-1 failed, 0 not sent, 1 sent, 2 opened,
    -- 3 clicked, 4 submitted data).
    status text not null,
    stage bigint not null check (stage between -1 and 4),
    reported bigint not null check (reported in (0, 1)),
    sent_at bigint,
    modified_at bigint,
    -- The member the e-mail address belongs to, and their department at import time.
    user_id bigint references app_user (id),
    department text
);
create index phishing_result_simulation_idx on phishing_result (org_id, simulation_id, line);

create table management_involvement (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    manager_id bigint not null references app_user (id),
    kind text not null check (kind in ('joined_audit', 'workplace_visit', 'led_improvement', 'opened_training',
        'chaired_review', 'spoke_about_security', 'sponsored_campaign', 'other')),
    occurred_on bigint not null,
    place text not null,
    notes text not null,
    -- The record the involvement belongs to (any record type of db/records.rs), checked when it is logged.
    record_type text,
    record_id bigint,
    recorded_by bigint not null references app_user (id),
    recorded_at bigint not null,
    check ((record_type is null) = (record_id is null))
);
create index management_involvement_manager_idx on management_involvement (org_id, manager_id, occurred_on);
create index management_involvement_date_idx on management_involvement (org_id, occurred_on);
