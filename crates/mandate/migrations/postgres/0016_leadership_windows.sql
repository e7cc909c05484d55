-- The Leadership Evidence Index (ISO/IEC 27001 5.1): an organisation's own freshness window for a duty, where it
-- differs from the default in code. A duty without a row uses the default.

create table leadership_window (
    org_id bigint not null references organisation (id),
    duty text not null,
    window_days bigint not null check (window_days between 30 and 1095),
    updated_by bigint not null references app_user (id),
    updated_at bigint not null,
    primary key (org_id, duty)
);
