-- migrate:up
CREATE VIEW open_tickets AS
    SELECT id, subject, labels ? 'urgent' AS urgent
    FROM tickets
    WHERE status <> 'closed';

-- migrate:down
DROP VIEW open_tickets;
