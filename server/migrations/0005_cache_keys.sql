-- Each account's cache key: random bytes (hex) the server hands out with
-- every successful login. The desktop keeps its cache's data key wrapped by
-- this key as well as by the password, so after the password is changed
-- here (an administrator's reset) the next online login still opens the
-- cache and re-wraps it under the new password. Only a password login
-- returns it.
CREATE TABLE cache_keys (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
