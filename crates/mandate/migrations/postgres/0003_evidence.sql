-- Evidence: metadata of files stored by SHA-256 in the blob store, attached to any record, with versions.

create table evidence (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    title text not null,
    filename text not null,
    media_type text not null,
    size bigint not null,
    sha256 text not null,
    record_type text,
    record_id text,
    expires_at bigint,
    uploaded_by bigint not null references app_user (id),
    uploaded_at bigint not null,
    supersedes bigint references evidence (id),
    superseded_by bigint references evidence (id)
);
create index evidence_org_idx on evidence (org_id, id);
create index evidence_record_idx on evidence (org_id, record_type, record_id);
create index evidence_expiry_idx on evidence (org_id, expires_at);
create index evidence_sha_idx on evidence (sha256);
