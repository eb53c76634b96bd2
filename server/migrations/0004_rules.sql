-- Rules that catch problems before a person has to (BEY-3..6).

-- BEY-5: one row per application, the key of its applicant's ID number (a
-- SHA-256, never the number) and whether it is under review.
CREATE TABLE duplicate_keys (
    application_id TEXT PRIMARY KEY,
    id_key         TEXT NOT NULL,
    year           INTEGER NOT NULL,
    unit_id        TEXT NOT NULL,
    open           INTEGER NOT NULL
);
CREATE INDEX duplicate_keys_group ON duplicate_keys(id_key, year) WHERE open = 1;

-- BEY-5: the flag served to the viewers of the flagged application
-- (flagged = 0: withdrawn, announced as a delete).
CREATE TABLE duplicate_flags (
    id      TEXT PRIMARY KEY,  -- the application id
    unit_id TEXT NOT NULL,
    flagged INTEGER NOT NULL,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX duplicate_flags_unit ON duplicate_flags(unit_id);

-- BEY-6: a year's deadlines (id = the year).
CREATE TABLE deadlines (
    id      TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);

-- BEY-4: eligibility rule sets (id = series/level).
CREATE TABLE rule_sets (
    id      TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);

-- BEY-3: a department's 一次性告知 checklist items.
CREATE TABLE return_reasons (
    id      TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX return_reasons_unit ON return_reasons(unit_id);
