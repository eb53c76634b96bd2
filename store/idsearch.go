package store

import (
	"regexp"
	"strconv"
	"strings"

	"titledesk/model"
)

// Finding people by ID number without storing it readable: the search text
// is turned into the same keyed digests as the blind index (seal.go) and
// compared with the index column.

var (
	// idWhole is a GB 11643 citizen number: 17 digits and a check character.
	idWhole = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)
	// idMasked is a number as the lists show it: 1201**********123X.
	idMasked = regexp.MustCompile(`^([0-9]{4})\*+([0-9]{3}[0-9X])$`)
	// idFour is four characters a masked column shows at one end; X can
	// only be the last character of a number.
	idFour = regexp.MustCompile(`^[0-9]{3}[0-9X]$`)
)

// idQuery is the condition that finds text as an ID number in col, a blind
// index column (applications.id_index or applicants.id_index), with its
// arguments:
//
//   - a whole number matches that number;
//   - a masked number as a list shows it matches both of its ends;
//   - four characters match the first four or the last four (an X only
//     the last four).
//
// Other text is not an ID number: cond is "". The text is normalized like
// stored numbers (model.NormalizeIDNumber).
func idQuery(k *keyring, col, text string) (cond string, args []any) {
	n := model.NormalizeIDNumber(text)
	part := func(offset, size int) string {
		return `substr(` + col + `, ` + strconv.Itoa(offset+1) + `, ` + strconv.Itoa(size) + `) = ?`
	}
	first, last := part(idFirstOffset, idIndexPart), part(idLastOffset, idIndexPart)
	switch {
	case idWhole.MatchString(n):
		return part(0, idIndexFull), []any{k.index("id", n, idIndexFull)}
	case idMasked.MatchString(n):
		m := idMasked.FindStringSubmatch(n)
		return `(` + first + ` AND ` + last + `)`,
			[]any{k.index("id_first4", m[1], idIndexPart), k.index("id_last4", m[2], idIndexPart)}
	case idFour.MatchString(n) && !strings.HasSuffix(n, "X"):
		return `(` + first + ` OR ` + last + `)`,
			[]any{k.index("id_first4", n, idIndexPart), k.index("id_last4", n, idIndexPart)}
	case idFour.MatchString(n):
		return last, []any{k.index("id_last4", n, idIndexPart)}
	}
	return "", nil
}
