CREATE FUNCTION publish_post(p_id int) RETURNS boolean
LANGUAGE plpgsql AS $publish$
BEGIN
    UPDATE posts SET state = 'published' WHERE id = p_id AND state = 'draft';
    RETURN FOUND;
END;
$publish$;

DO $do$
DECLARE
    n int;
BEGIN
    SELECT count(*) INTO n FROM posts;
    RAISE NOTICE 'posts: %; ready', n;
END
$do$;
