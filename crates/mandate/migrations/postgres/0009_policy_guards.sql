-- At most one version of a policy in force, and at most one being worked on, whatever the timing of requests.
create unique index policy_version_one_published_key on policy_version (policy_id) where status = 'published';
create unique index policy_version_one_open_key on policy_version (policy_id)
    where status in ('draft', 'in_review', 'approved');
