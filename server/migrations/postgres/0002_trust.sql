-- Devices bound to accounts, command results per account, login failures
-- per username, and the tamper-evident audit log (SEC-2, SEC-3).

-- A device id belongs to the account that first used it; another account
-- presenting it is refused (device_in_use). Existing sessions and results
-- bind each device to its earliest account.
CREATE TABLE devices (
    device_id  TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX devices_account ON devices(account_id);

INSERT INTO devices(device_id, account_id, created_at)
    SELECT device_id, account_id, MIN(created_at) AS first FROM (
        SELECT device_id, account_id, created_at FROM command_results
        UNION ALL
        SELECT device_id, account_id, created_at FROM sessions) AS used
    GROUP BY device_id, account_id
    ORDER BY first
    ON CONFLICT DO NOTHING;

-- Results are kept per (account, device, seq), and a command id is answered
-- once per account whatever device or seq it arrives with.
CREATE TABLE command_results_v2 (
    account_id TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    command_id TEXT NOT NULL,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    result     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, device_id, seq)
);
CREATE UNIQUE INDEX command_results_command ON command_results_v2(account_id, command_id);
INSERT INTO command_results_v2(account_id, device_id, seq, command_id, type, status, result, created_at)
    SELECT account_id, device_id, seq, command_id, type, status, result, created_at
    FROM command_results ORDER BY created_at, seq
    ON CONFLICT DO NOTHING;
DROP TABLE command_results;
ALTER TABLE command_results_v2 RENAME TO command_results;
ALTER TABLE command_results RENAME CONSTRAINT command_results_v2_pkey TO command_results_pkey;

-- Wrong passwords are counted per username tried, whether or not an account
-- has it, so a missing account locks after five like a real one and nothing
-- tells them apart (issue 8, hole 7).
CREATE TABLE login_failures (
    username     TEXT PRIMARY KEY,
    failed       INTEGER NOT NULL,
    locked_until BIGINT NOT NULL, -- unix ms; 0 = not locked
    updated_at   BIGINT NOT NULL
);
CREATE INDEX login_failures_updated ON login_failures(updated_at);
INSERT INTO login_failures(username, failed, locked_until, updated_at)
    SELECT username, failed_logins, locked_until, created_at FROM accounts
    WHERE failed_logins > 0 OR locked_until > 0;
ALTER TABLE accounts DROP COLUMN failed_logins;
ALTER TABLE accounts DROP COLUMN locked_until;

-- The audit log: append-only, each row carrying the SHA-256 of the row
-- before it (server/audit.go), so `titledesk-server admin audit verify`
-- finds an edited, inserted or deleted row. Never an ID number, a password
-- or a token. The triggers stop accidental edits; a deliberate one (they
-- can be dropped) breaks the chain.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           BIGINT NOT NULL, -- unix ms
    event        TEXT NOT NULL,
    account_id   TEXT NOT NULL DEFAULT '',
    username     TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    device_id    TEXT NOT NULL DEFAULT '',
    command_type TEXT NOT NULL DEFAULT '',
    entity_id    TEXT NOT NULL DEFAULT '',
    result       TEXT NOT NULL DEFAULT '',
    code         TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT '',
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_account ON audit_log(account_id, seq);
CREATE INDEX audit_log_username ON audit_log(username, seq);
CREATE INDEX audit_log_entity ON audit_log(entity_id, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- The number of the newest entry: deleting the last rows shows as a gap
-- between it and the table.
INSERT INTO counters(name, value) VALUES ('audit_seq', 0);
