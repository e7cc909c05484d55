-- Meetings of management (ISO/IEC 27001 5.1, 7.4, 9.3): who met, what was on the agenda (tagged with ISMS topics
-- and clause numbers), the minutes, the decisions taken and the actions that follow from them. Topics and clauses
-- are stored as comma-delimited lists with a leading and trailing comma (",incidents,risks,") so one pattern
-- finds a topic on both databases. People are referenced through membership (org_id, user_id) and records
-- through (org_id, id), so no row can point into another organisation. Dates are midnight UTC in seconds since the Unix epoch.

create table meeting (
    id integer primary key,
    org_id integer not null references organisation (id),
    kind text not null check (kind in ('management_team', 'isms_committee', 'board', 'other')),
    title text not null,
    held_on integer not null,
    place text not null,
    chair_id integer not null,
    minutes text not null,
    recorded_by integer not null,
    created_at integer not null,
    updated_at integer not null,
    foreign key (org_id, chair_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id)
);
create unique index meeting_org_id_key on meeting (org_id, id);
create index meeting_org_held_idx on meeting (org_id, held_on);

create table meeting_attendee (
    org_id integer not null references organisation (id),
    meeting_id integer not null,
    user_id integer not null,
    presence text not null check (presence in ('present', 'absent', 'excused')),
    primary key (meeting_id, user_id),
    foreign key (org_id, meeting_id) references meeting (org_id, id),
    foreign key (org_id, user_id) references membership (org_id, user_id)
);
create index meeting_attendee_user_idx on meeting_attendee (org_id, user_id);

create table agenda_item (
    id integer primary key,
    org_id integer not null references organisation (id),
    meeting_id integer not null,
    position integer not null,
    title text not null,
    topics text not null,
    clauses text not null,
    unique (meeting_id, position),
    foreign key (org_id, meeting_id) references meeting (org_id, id)
);
create unique index agenda_item_org_id_key on agenda_item (org_id, id);
create index agenda_item_org_idx on agenda_item (org_id, meeting_id);

create table decision (
    id integer primary key,
    org_id integer not null references organisation (id),
    meeting_id integer not null,
    agenda_item_id integer,
    text text not null,
    decided_by integer not null,
    topic text not null,
    decided_on integer not null,
    recorded_by integer not null,
    created_at integer not null,
    foreign key (org_id, meeting_id) references meeting (org_id, id),
    foreign key (org_id, agenda_item_id) references agenda_item (org_id, id),
    foreign key (org_id, decided_by) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id)
);
create unique index decision_org_id_key on decision (org_id, id);
create index decision_meeting_idx on decision (org_id, meeting_id);
create index decision_decider_idx on decision (org_id, decided_by);

create table meeting_action (
    id integer primary key,
    org_id integer not null references organisation (id),
    meeting_id integer not null,
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
    foreign key (org_id, meeting_id) references meeting (org_id, id),
    foreign key (org_id, decision_id) references decision (org_id, id),
    foreign key (org_id, owner_id) references membership (org_id, user_id),
    foreign key (org_id, recorded_by) references membership (org_id, user_id),
    check ((status = 'open') = (closed_at is null)),
    check ((closed_at is null) = (closed_by is null)),
    check (status <> 'cancelled' or cancel_reason is not null)
);
create index meeting_action_owner_idx on meeting_action (org_id, owner_id, status, due_on);
create index meeting_action_status_idx on meeting_action (org_id, status, due_on);
create index meeting_action_decision_idx on meeting_action (org_id, decision_id);
create index meeting_action_meeting_idx on meeting_action (org_id, meeting_id);

-- The decision behind a resource approval, an appointment and a policy version's approval, beside the free-text
-- references those records already carry. A column added later can only name the decision's id; the operations
-- check that the decision belongs to the same organisation.
alter table resource_commitment add column decision_id integer references decision (id);
alter table appointment add column decision_id integer references decision (id);
alter table policy_version add column decision_id integer references decision (id);
create index resource_commitment_decision_idx on resource_commitment (org_id, decision_id);
create index appointment_decision_idx on appointment (org_id, decision_id);
create index policy_version_decision_idx on policy_version (org_id, decision_id);
