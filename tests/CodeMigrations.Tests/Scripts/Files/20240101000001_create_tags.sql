-- Up: Apply migration
CREATE TABLE tags (id serial PRIMARY KEY, names text[] NOT NULL, meta jsonb NOT NULL DEFAULT '{}');

CREATE FUNCTION tags_with(wanted text[]) RETURNS SETOF tags LANGUAGE plpgsql AS $$
BEGIN
    -- semicolons inside the body; operators that look like parameters
    RETURN QUERY SELECT * FROM tags WHERE names @> wanted OR meta ?| wanted;
END;
$$;

INSERT INTO tags (names, meta) VALUES (ARRAY['a', 'b'], '{"a": 1}')

-- Down: Revert migration
DROP FUNCTION tags_with(text[]);
DROP TABLE tags;
