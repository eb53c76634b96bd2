-- A message's title is free text (a phone number is often in it): it is
-- kept only in the sealed record from now on (store/changes_kinds.go), and
-- the readable copy is cleared. Conflicts' title, detail and entity name
-- are sealed by Go at the next unlock (store/conflicts.go).
UPDATE messages SET title = '';
