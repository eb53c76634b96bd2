-- Encryption at rest (store/seal.go). The data columns, ID numbers, queued
-- commands, conflicts, drafts and file names now hold sealed BLOBs (an
-- earlier version's plaintext is sealed by Go at the first unlock, see
-- store/legacy.go). ID numbers are found through a blind index: keyed
-- digests of the whole number and of its first and last four characters.
ALTER TABLE applicants ADD COLUMN id_index BLOB NOT NULL DEFAULT x'';
ALTER TABLE applications ADD COLUMN id_index BLOB NOT NULL DEFAULT x'';
