package app

import (
	"strconv"
	"strings"

	"titledesk/model"
)

// Forms travel between the UI and the services as the text typed into each
// field (key → text), so a draft keeps exactly what was typed, half-typed
// numbers included. The keys are model's field keys, so the state machine's
// field messages land under the right field.

// Recommendation form keys (单位推荐和公示, REV-5) in form order.
var RecommendationKeys = []string{"publicity_start", "publicity_end", "publicity_method", "publicity_place",
	"publicity_result", "group_opinion", "group_size", "votes_for", "votes_against", "votes_abstain"}

// Appointment form keys (聘任信息, REV-11) in form order.
var AppointmentKeys = []string{"appoint_date", "post", "post_level", "term_years", "document_no"}

// FieldLabels are the Chinese labels of the review forms' fields.
var FieldLabels = map[string]string{
	"publicity_start": "公示开始日期", "publicity_end": "公示结束日期", "publicity_method": "公示方式",
	"publicity_place": "公示地点", "publicity_result": "公示结果", "group_opinion": "推荐小组意见",
	"group_size": "推荐小组人数", "votes_for": "赞成票", "votes_against": "反对票", "votes_abstain": "弃权票",
	"attachments": "附件", "appoint_date": "聘任时间", "post": "聘任岗位", "post_level": "岗位等级",
	"term_years": "聘期(年)", "document_no": "聘任文号", "opinion": "审核意见",
}

// ParseRecommendation reads the typed form. Numbers that are not numbers
// are reported per field; everything else is the model's to judge.
func ParseRecommendation(f map[string]string, files []model.Attachment) (model.Recommendation, map[string]string) {
	bad := map[string]string{}
	r := model.Recommendation{
		PublicityStart:  model.Date(text(f, "publicity_start")),
		PublicityEnd:    model.Date(text(f, "publicity_end")),
		PublicityMethod: text(f, "publicity_method"),
		PublicityPlace:  text(f, "publicity_place"),
		PublicityResult: text(f, "publicity_result"),
		GroupOpinion:    text(f, "group_opinion"),
		GroupSize:       number(f, "group_size", bad),
		VotesFor:        number(f, "votes_for", bad),
		VotesAgainst:    number(f, "votes_against", bad),
		VotesAbstain:    number(f, "votes_abstain", bad),
		Attachments:     files,
	}
	if len(bad) == 0 {
		bad = nil
	}
	return r, bad
}

// RecommendationFields is the typed form of r (a conflict put back into a draft).
func RecommendationFields(r model.Recommendation) map[string]string {
	return map[string]string{
		"publicity_start": string(r.PublicityStart), "publicity_end": string(r.PublicityEnd),
		"publicity_method": r.PublicityMethod, "publicity_place": r.PublicityPlace,
		"publicity_result": r.PublicityResult, "group_opinion": r.GroupOpinion,
		"group_size": itoa(r.GroupSize), "votes_for": itoa(r.VotesFor),
		"votes_against": itoa(r.VotesAgainst), "votes_abstain": itoa(r.VotesAbstain),
	}
}

// ParseAppointment reads the typed 聘任信息 form.
func ParseAppointment(f map[string]string) (model.Appointment, map[string]string) {
	bad := map[string]string{}
	a := model.Appointment{
		AppointDate: model.Date(text(f, "appoint_date")),
		Post:        text(f, "post"),
		PostLevel:   text(f, "post_level"),
		TermYears:   number(f, "term_years", bad),
		DocumentNo:  text(f, "document_no"),
	}
	if len(bad) == 0 {
		bad = nil
	}
	return a, bad
}

// AppointmentFields is the typed form of a.
func AppointmentFields(a model.Appointment) map[string]string {
	return map[string]string{"appoint_date": string(a.AppointDate), "post": a.Post, "post_level": a.PostLevel,
		"term_years": itoa(a.TermYears), "document_no": a.DocumentNo}
}

func text(f map[string]string, k string) string { return strings.TrimSpace(f[k]) }

func number(f map[string]string, k string, bad map[string]string) int {
	s := text(f, k)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		bad[k] = FieldLabels[k] + "应为非负整数"
		return 0
	}
	return n
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// FormError turns per-field messages found before the model was asked into
// the same kind of error the model returns.
func FormError(fields map[string]string) error {
	return model.FieldErrors(fields).Err(model.CodeValidation, "表单填写有误")
}
