-- Acknowledgement tallies and "still to acknowledge" lists read one version's rows by state from this index alone.
create index acknowledgement_version_state_idx on acknowledgement (org_id, version_id, acknowledged_at, requested_at, due_at);
