package store

import (
	"strconv"

	"titledesk/model"
)

// Finding people by ID number without storing it readable: the search text
// is turned into the same keyed digests as the blind index (seal.go) and
// compared with the index column.

// idQuery is the condition that finds text as an ID number in col, a blind
// index column (applications.id_index or applicants.id_index), with its
// arguments, by the one search rule model.ParseIDQuery (a whole number; both
// ends of a masked number; four characters at either end). Other text is
// not an ID number: cond is "".
func idQuery(k *keyring, col, text string) (cond string, args []any) {
	q, ok := model.ParseIDQuery(text)
	if !ok {
		return "", nil
	}
	part := func(offset, size int) string {
		return `substr(` + col + `, ` + strconv.Itoa(offset+1) + `, ` + strconv.Itoa(size) + `) = ?`
	}
	first, last := part(idFirstOffset, idIndexPart), part(idLastOffset, idIndexPart)
	firstArg := func() any { return k.index("id_first4", q.First, idIndexPart) }
	lastArg := func() any { return k.index("id_last4", q.Last, idIndexPart) }
	switch {
	case q.Whole != "":
		return part(0, idIndexFull), []any{k.index("id", q.Whole, idIndexFull)}
	case q.Both:
		return `(` + first + ` AND ` + last + `)`, []any{firstArg(), lastArg()}
	case q.First != "":
		return `(` + first + ` OR ` + last + `)`, []any{firstArg(), lastArg()}
	}
	return last, []any{lastArg()}
}
