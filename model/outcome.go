package model

// Outcome is where a submitted application stands as one department's
// statistics count it (查询统计, STAT-1): the result column of
// 历年申报人员情况. Every application of the department's subtree that was
// submitted at least once (Stage ≠ StageDraft) is in exactly one outcome,
// decided from its current Stage, HolderUnitID and flow, relative to the
// department D whose statistics they are:
//
//   - OutcomeCertified (取得证书): Stage is StageCertified — 市职称办 issued
//     the certificate.
//   - OutcomePassed (通过): a review stage held by a unit outside D's subtree
//     (StageCommittee, StageCityOffice, or a superior department's
//     StageSubordinate): D passed it upward (呈报 / 报送市职称办) and the
//     levels above have not decided yet.
//   - OutcomeInReview (在审): a review stage held by D or a unit of its
//     subtree (StageUnitReview … StageExam): not through D's review yet.
//   - OutcomeRejected (不通过): Stage is StageReturned and the newest
//     ActionReject step of the flow is D's own 【不通过】.
//   - OutcomeReturned (退回): Stage is StageReturned by anyone else — an
//     employer unit or subordinate department below D, or a superior
//     department, the review committee side or 市职称办 above it.
//
// A resubmitted application leaves StageReturned and counts where it is now.
// The outcome is D's even when the statistics are narrowed to a subordinate
// unit's subtree.
type Outcome string

const (
	OutcomePassed    Outcome = "passed"    // 通过
	OutcomeRejected  Outcome = "rejected"  // 不通过
	OutcomeReturned  Outcome = "returned"  // 退回
	OutcomeInReview  Outcome = "in_review" // 在审
	OutcomeCertified Outcome = "certified" // 取得证书
)

// AllOutcomes in report order: the department's own decisions first.
var AllOutcomes = []Outcome{OutcomePassed, OutcomeRejected, OutcomeReturned, OutcomeInReview, OutcomeCertified}

var outcomeLabels = map[Outcome]string{
	OutcomePassed:    "通过",
	OutcomeRejected:  "不通过",
	OutcomeReturned:  "退回",
	OutcomeInReview:  "在审",
	OutcomeCertified: "取得证书",
}

// Valid reports whether o is one of AllOutcomes.
func (o Outcome) Valid() bool { _, ok := outcomeLabels[o]; return ok }

// Label is the Chinese column heading, or the raw code for an unknown one.
func (o Outcome) Label() string {
	if l, ok := outcomeLabels[o]; ok {
		return l
	}
	return string(o)
}
