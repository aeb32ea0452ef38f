DROP FUNCTION discounted(numeric, int);
