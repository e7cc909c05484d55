-- Façade detectors' findings: a finding is computed from the registers, never stored; what is stored is a
-- dismissal (with its reason, kept while the same detector still finds the same subject) and the action a finding
-- was turned into. Actions may now come from a finding instead of a meeting, so meeting_action.meeting_id becomes
-- optional.

create table finding_dismissal (
    id bigint generated always as identity primary key,
    org_id bigint not null references organisation (id),
    detector text not null,
    subject text not null,
    reason text not null check (length(trim(reason)) > 0),
    dismissed_by bigint not null,
    dismissed_at bigint not null,
    unique (org_id, detector, subject),
    foreign key (org_id, dismissed_by) references membership (org_id, user_id)
);
create unique index finding_dismissal_org_id_key on finding_dismissal (org_id, id);

alter table meeting_action alter column meeting_id drop not null;
alter table meeting_action add column finding_detector text;
alter table meeting_action add column finding_subject text;
alter table meeting_action add constraint meeting_action_finding_pair
    check ((finding_detector is null) = (finding_subject is null));
alter table meeting_action add constraint meeting_action_origin
    check (meeting_id is not null or finding_detector is not null);
create index meeting_action_finding_idx on meeting_action (org_id, finding_detector, finding_subject);
