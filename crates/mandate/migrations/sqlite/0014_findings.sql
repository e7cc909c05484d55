-- Façade detectors' findings: a finding is computed from the registers, never stored; what is stored is a
-- dismissal (with its reason, kept while the same detector still finds the same subject) and the action a finding
-- was turned into. Actions may now come from a finding instead of a meeting, so meeting_action.meeting_id becomes
-- optional; SQLite cannot drop a NOT NULL constraint, so the table is rebuilt with the same rows and indexes.

create table finding_dismissal (
    id integer primary key,
    org_id integer not null references organisation (id),
    detector text not null,
    subject text not null,
    reason text not null check (length(trim(reason)) > 0),
    dismissed_by integer not null,
    dismissed_at integer not null,
    unique (org_id, detector, subject),
    foreign key (org_id, dismissed_by) references membership (org_id, user_id)
);
create unique index finding_dismissal_org_id_key on finding_dismissal (org_id, id);

create table meeting_action_new (
    id integer primary key,
    org_id integer not null references organisation (id),
    meeting_id integer,
    decision_id integer,
    title text not null,
    owner_id integer not null,
    due_on integer not null,
    status text not null check (status in ('open', 'done', 'cancelled')),
    completion_note text not null,
    cancel_reason text,
    closed_by integer references app_user (id),
    closed_at integer,
    recorded_by integer not null,
    created_at integer not null,
    updated_at integer not null,
    finding_detector text,
    finding_subject text,
    foreign key (org_id, meeting_id) references meeting (org_id, id),
    foreign key (org_id, decision_id) references decision (org_id, id),
    foreign key (org_id, owner_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id),
    check ((status = 'open') = (closed_at is null)),
    check ((closed_at is null) = (closed_by is null)),
    check (status <> 'cancelled' or cancel_reason is not null),
    check ((finding_detector is null) = (finding_subject is null)),
    check (meeting_id is not null or finding_detector is not null)
);
insert into meeting_action_new (id, org_id, meeting_id, decision_id, title, owner_id, due_on, status, completion_note,
    cancel_reason, closed_by, closed_at, recorded_by, created_at, updated_at)
    select id, org_id, meeting_id, decision_id, title, owner_id, due_on, status, completion_note, cancel_reason,
    closed_by, closed_at, recorded_by, created_at, updated_at from meeting_action;
drop table meeting_action;
alter table meeting_action_new rename to meeting_action;
create index meeting_action_owner_idx on meeting_action (org_id, owner_id, status, due_on);
create index meeting_action_status_idx on meeting_action (org_id, status, due_on);
create index meeting_action_decision_idx on meeting_action (org_id, decision_id);
create index meeting_action_meeting_idx on meeting_action (org_id, meeting_id);
create index meeting_action_finding_idx on meeting_action (org_id, finding_detector, finding_subject);
