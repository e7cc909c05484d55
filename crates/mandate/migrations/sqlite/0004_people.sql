-- The department a member works in: campaigns, imports and reports group people by it.
alter table membership add column department text;
create index membership_org_department_idx on membership (org_id, department);
