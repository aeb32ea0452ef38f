-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY tickets_subject_idx ON tickets (lower(subject));

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY tickets_subject_idx;
