DROP FUNCTION publish_post(int);
