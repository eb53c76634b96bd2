-- Rules that catch problems before a person has to (BEY-3..6): documents the
-- server computes or the city office maintains, one JSON per id.
CREATE TABLE duplicate_flags (
    id      TEXT PRIMARY KEY,  -- the flagged application
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE TABLE deadlines (
    id      TEXT PRIMARY KEY,  -- the year
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE TABLE rule_sets (
    id      TEXT PRIMARY KEY,  -- series/level
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE TABLE return_reasons (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    data    TEXT NOT NULL
);
