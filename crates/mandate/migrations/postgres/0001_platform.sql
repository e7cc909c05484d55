-- Organisations, people, memberships, sessions, API tokens and sign-in attempts.
-- Timestamps are seconds since the Unix epoch (UTC) on both backends.

create table organisation (
    id bigint generated always as identity primary key,
    slug text not null,
    name text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create unique index organisation_slug_key on organisation (slug);

create table app_user (
    id bigint generated always as identity primary key,
    email text not null,
    name text not null,
    password_hash text,
    created_at bigint not null,
    updated_at bigint not null
);
create unique index app_user_email_key on app_user (email);

create table membership (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    user_id bigint not null references app_user (id),
    role text not null check (role in ('admin', 'isms_manager', 'top_management', 'auditor', 'employee')),
    expires_at bigint,
    disabled_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);
create unique index membership_org_user_key on membership (org_id, user_id);
create index membership_user_idx on membership (user_id);

create table user_session (
    id bigint generated always as identity primary key,
    token_hash text not null,
    user_id bigint not null references app_user (id),
    org_id bigint references organisation (id),
    csrf_token text not null,
    created_at bigint not null,
    last_seen_at bigint not null
);
create unique index user_session_token_key on user_session (token_hash);
create index user_session_user_idx on user_session (user_id);

create table api_token (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    user_id bigint not null references app_user (id),
    name text not null,
    token_hash text not null,
    role text not null check (role in ('admin', 'isms_manager', 'top_management', 'auditor', 'employee')),
    created_at bigint not null,
    last_used_at bigint,
    revoked_at bigint
);
create unique index api_token_hash_key on api_token (token_hash);
create index api_token_org_idx on api_token (org_id);

create table login_attempt (
    id bigint generated always as identity primary key,
    email text not null,
    ip text not null,
    succeeded boolean not null,
    at bigint not null
);
create index login_attempt_email_idx on login_attempt (email, at);
create index login_attempt_ip_idx on login_attempt (ip, at);

create table setup_token (
    token_hash text primary key,
    created_at bigint not null
);
