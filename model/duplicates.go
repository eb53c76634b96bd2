package model

// DuplicateFlag tells the departments that can see an application that its
// applicant — the same ID number — has another application under review in
// the same year somewhere in the city (BEY-5). It names nothing of the other
// application: not its unit, its series, its holder or its ID; only whether it
// sits in the same unit (本单位) or another (其他单位). The server computes it;
// clients only show it.
type DuplicateFlag struct {
	ApplicationID string `json:"application_id"`
	Year          int    `json:"year"`
	SameUnit      bool   `json:"same_unit"` // the other application is of the same unit
}

// Notice is the sentence the review view shows.
func (f DuplicateFlag) Notice() string {
	if f.SameUnit {
		return "该申报人本年度另有一份申报在审（本单位）"
	}
	return "该申报人本年度另有一份申报在审（其他单位）"
}

// UnderReview reports the stages in which an application counts for
// duplicates: submitted, not returned to the applicant and not finished.
func UnderReview(s Stage) bool {
	switch s {
	case StageDraft, StageReturned, StageCertified, "":
		return false
	}
	return true
}
