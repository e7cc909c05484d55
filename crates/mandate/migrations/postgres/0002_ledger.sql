-- The tamper-evident ledger: one append-only log per organisation, its head (size and Merkle frontier, locked
-- for each append), signed checkpoints, and the installation's checkpoint-signing keys (public halves only).

create table ledger_event (
    org_id bigint not null references organisation (id),
    seq bigint not null,
    at bigint not null,
    actor text not null,
    role text not null,
    action text not null,
    object_type text not null,
    object_id text not null,
    state_hash text not null,
    request_id text not null,
    encoded bytea not null,
    primary key (org_id, seq)
);

create function ledger_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger_event is append-only';
end
$$;

create trigger ledger_event_no_change before update or delete on ledger_event
    for each row execute function ledger_event_append_only();

create table ledger_head (
    org_id bigint primary key references organisation (id),
    origin text not null,
    size bigint not null,
    frontier bytea not null,
    updated_at bigint not null
);

create table ledger_key (
    id bigint generated always as identity primary key,
    name text not null,
    key_id text not null,
    verifier_key text not null,
    created_at bigint not null,
    retired_at bigint
);
create unique index ledger_key_verifier_key on ledger_key (verifier_key);

create table ledger_checkpoint (
    org_id bigint not null references organisation (id),
    size bigint not null,
    root text not null,
    note text not null,
    key_id text not null,
    created_at bigint not null,
    primary key (org_id, size)
);

create table ledger_key_start (
    org_id bigint not null references organisation (id),
    verifier_key text not null,
    from_seq bigint not null,
    primary key (org_id, verifier_key)
);
