-- The tamper-evident ledger: one append-only log per organisation, its head (size and Merkle frontier, locked
-- for each append), signed checkpoints, and the installation's checkpoint-signing keys (public halves only).

create table ledger_event (
    org_id integer not null references organisation (id),
    seq integer not null,
    at integer not null,
    actor text not null,
    role text not null,
    action text not null,
    object_type text not null,
    object_id text not null,
    state_hash text not null,
    request_id text not null,
    encoded blob not null,
    primary key (org_id, seq)
);

create trigger ledger_event_no_update before update on ledger_event
begin
    select raise(abort, 'ledger_event is append-only');
end;

create trigger ledger_event_no_delete before delete on ledger_event
begin
    select raise(abort, 'ledger_event is append-only');
end;

create table ledger_head (
    org_id integer primary key references organisation (id),
    origin text not null,
    size integer not null,
    frontier blob not null,
    updated_at integer not null
);

create table ledger_key (
    id integer primary key,
    name text not null,
    key_id text not null,
    verifier_key text not null,
    created_at integer not null,
    retired_at integer
);
create unique index ledger_key_verifier_key on ledger_key (verifier_key);

create table ledger_checkpoint (
    org_id integer not null references organisation (id),
    size integer not null,
    root text not null,
    note text not null,
    key_id text not null,
    created_at integer not null,
    primary key (org_id, size)
);

create table ledger_key_start (
    org_id integer not null references organisation (id),
    verifier_key text not null,
    from_seq integer not null,
    primary key (org_id, verifier_key)
);
