-- Policies (5.2, 7.5): documents with versions, approvals pinned to the SHA-256 of the approved text, reviews,
-- acknowledgement campaigns with per-version acknowledgements kept forever, and exceptions.

create table policy (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    title text not null,
    owner_id bigint not null references app_user (id),
    review_months bigint not null,
    last_reviewed_at bigint,
    next_review_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);
create index policy_org_title_idx on policy (org_id, title);
create index policy_org_review_idx on policy (org_id, next_review_at);

create table policy_version (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    policy_id bigint not null references policy (id),
    number bigint not null,
    status text not null check (status in ('draft', 'in_review', 'approved', 'published', 'superseded', 'retired')),
    body text not null,
    document_id bigint references evidence (id),
    change_note text not null,
    content_sha256 text not null,
    created_by bigint not null references app_user (id),
    created_at bigint not null,
    updated_at bigint not null,
    submitted_at bigint,
    approved_by bigint references app_user (id),
    approved_at bigint,
    approved_sha256 text,
    approval_decision text,
    published_by bigint references app_user (id),
    published_at bigint,
    ended_at bigint
);
create unique index policy_version_number_key on policy_version (policy_id, number);
create index policy_version_org_status_idx on policy_version (org_id, status);

create table policy_review (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    policy_id bigint not null references policy (id),
    reviewed_by bigint not null references app_user (id),
    reviewed_at bigint not null,
    outcome text not null check (outcome in ('no_change', 'changes_needed')),
    note text not null
);
create index policy_review_policy_idx on policy_review (policy_id, reviewed_at);

create table ack_campaign (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    version_id bigint not null references policy_version (id),
    audience text not null,
    started_by bigint not null references app_user (id),
    started_at bigint not null,
    due_at bigint not null
);
create index ack_campaign_version_idx on ack_campaign (version_id);

create table acknowledgement (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    version_id bigint not null references policy_version (id),
    user_id bigint not null references app_user (id),
    campaign_id bigint references ack_campaign (id),
    requested_at bigint,
    due_at bigint,
    acknowledged_at bigint,
    acknowledged_sha256 text
);
create unique index acknowledgement_version_user_key on acknowledgement (version_id, user_id);
create index acknowledgement_user_open_idx on acknowledgement (org_id, user_id, acknowledged_at);

create table policy_exception (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    policy_id bigint not null references policy (id),
    summary text not null,
    reason text not null,
    requested_by bigint not null references app_user (id),
    requested_at bigint not null,
    expires_at bigint not null,
    status text not null check (status in ('requested', 'approved', 'refused', 'revoked')),
    decided_by bigint references app_user (id),
    decided_at bigint,
    decision_note text
);
create index policy_exception_policy_idx on policy_exception (policy_id, status);
