package api

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"titledesk/model"
)

// The tests below read openapi.yaml as text (the module has no YAML
// dependency) and compare its enums with the Go constants, so the document
// cannot silently drift from the wire contract. They rely on the layout the
// file uses: schemas indented by four spaces under components/schemas, enums
// as block lists ("- value"), maps as "key: value" lines.

// modelCodes lists every model.Code* constant. A new code must be added here
// and to ProblemCode in openapi.yaml.
var modelCodes = []string{
	model.CodeInternal, model.CodeBadRequest, model.CodeValidation, model.CodeNotFound,
	model.CodeForbidden, model.CodeUnauthorized, model.CodeBadCredentials, model.CodeAccountLocked,
	model.CodeSessionExpired, model.CodeTooLarge, model.CodeVersionConflict, model.CodeInvalidTransition,
	model.CodeNotHolder, model.CodeOpinionRequired, model.CodeRecommendation, model.CodePostStatusForm,
	model.CodePublicityTooShort, model.CodeAppointment, model.CodeWithdrawTooLate,
	model.CodeCertificateRequired, model.CodeAttachmentMissing, model.CodeAttachmentHash,
	model.CodeAttachmentType, model.CodeIDNumber, model.CodeUnitForm, model.CodeExpertForm,
	model.CodeMessageForm, model.CodeLockedField, model.CodeDuplicate, model.CodeIdentityFrozen,
	model.CodeDeviceInUse, model.CodeRateLimited, model.CodeInvalidCharacters,
	model.CodeNothingToWithdraw, model.CodePublicityNotOver,
}

// transportCodes are problem codes the server emits that are not model
// codes (server.codeMethodNotAllowed); the document may list them too.
var transportCodes = []string{"method_not_allowed", CodeSeqReused, CodeCursorReset}

func readOpenAPI(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatalf("read openapi.yaml: %v", err)
	}
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// schemaBlock returns the lines of components/schemas/<name>.
func schemaBlock(t *testing.T, lines []string, name string) []string {
	t.Helper()
	inSchemas := false
	for i, l := range lines {
		switch {
		case l == "  schemas:":
			inSchemas = true
		case inSchemas && indentOf(l) < 4 && strings.TrimSpace(l) != "":
			inSchemas = false
		case inSchemas && l == "    "+name+":":
			end := i + 1
			for end < len(lines) && (strings.TrimSpace(lines[end]) == "" || indentOf(lines[end]) > 4) {
				end++
			}
			return lines[i+1 : end]
		}
	}
	t.Fatalf("openapi.yaml: schema %s not found under components/schemas", name)
	return nil
}

// nested returns the lines indented under the first line of block whose
// trimmed text is key (e.g. "enum:").
func nested(t *testing.T, block []string, schema, key string) []string {
	t.Helper()
	for i, l := range block {
		if strings.TrimSpace(l) != key {
			continue
		}
		ind, end := indentOf(l), i+1
		for end < len(block) && (strings.TrimSpace(block[end]) == "" || indentOf(block[end]) > ind) {
			end++
		}
		return block[i+1 : end]
	}
	t.Fatalf("openapi.yaml: schema %s has no %q", schema, key)
	return nil
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// enumOf returns the enum of a schema, in document order.
func enumOf(t *testing.T, lines []string, schema string) []string {
	t.Helper()
	var out []string
	for _, l := range nested(t, schemaBlock(t, lines, schema), schema, "enum:") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "- "); ok {
			out = append(out, unquote(v))
		}
	}
	if len(out) == 0 {
		t.Fatalf("openapi.yaml: schema %s has an empty enum", schema)
	}
	return out
}

// mapOf returns the "key: value" lines directly under key in a schema.
func mapOf(t *testing.T, lines []string, schema, key string) map[string]string {
	t.Helper()
	block := nested(t, schemaBlock(t, lines, schema), schema, key)
	out := map[string]string{}
	if len(block) == 0 {
		return out
	}
	ind := indentOf(block[0])
	for _, l := range block {
		if strings.TrimSpace(l) == "" || indentOf(l) != ind {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(l), ": ")
		if !ok {
			t.Fatalf("openapi.yaml: %s %s: unexpected line %q", schema, key, l)
		}
		out[unquote(k)] = unquote(v)
	}
	return out
}

// sameSet reports values missing from the document and values it has that
// Go does not know (extra may list values the document is allowed to add).
func sameSet(t *testing.T, what string, doc, want []string, extra ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(doc, w) {
			t.Errorf("openapi.yaml: %s is missing %q", what, w)
		}
	}
	for _, d := range doc {
		if !slices.Contains(want, d) && !slices.Contains(extra, d) {
			t.Errorf("openapi.yaml: %s lists %q, which the Go code does not define", what, d)
		}
	}
	if len(doc) != len(slicesCompact(doc)) {
		t.Errorf("openapi.yaml: %s lists a value twice: %v", what, doc)
	}
}

func slicesCompact(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestOpenAPICommandTypes(t *testing.T) {
	lines := readOpenAPI(t)
	sameSet(t, "CommandType enum", enumOf(t, lines, "CommandType"), AllCommands)

	// Every type maps to a variant whose args schema is the one NewArgs decodes.
	mapping := mapOf(t, lines, "Command", "mapping:")
	sameSet(t, "Command discriminator mapping", keys(mapping), AllCommands)
	for _, typ := range AllCommands {
		ref, ok := mapping[typ]
		if !ok {
			continue
		}
		variant, found := strings.CutPrefix(ref, "#/components/schemas/")
		if !found {
			t.Errorf("openapi.yaml: mapping of %s is %q, want a components/schemas ref", typ, ref)
			continue
		}
		block := strings.Join(schemaBlock(t, lines, variant), "\n")
		if !strings.Contains(block, "const: "+typ+"\n") {
			t.Errorf("openapi.yaml: %s does not pin type to %s", variant, typ)
		}
		args, err := NewArgs(typ)
		if err != nil {
			t.Errorf("NewArgs(%s): %v", typ, err)
			continue
		}
		argsName := strings.TrimPrefix(strings.TrimPrefix(fmt.Sprintf("%T", args), "*"), "api.")
		if !strings.Contains(block, "$ref: '#/components/schemas/"+argsName+"'") {
			t.Errorf("openapi.yaml: %s args should be %s", variant, argsName)
		}
		schemaBlock(t, lines, argsName) // the args schema exists
	}
}

func TestOpenAPIChangeKinds(t *testing.T) {
	lines := readOpenAPI(t)
	sameSet(t, "ChangeKind enum", enumOf(t, lines, "ChangeKind"), AllKinds)
	sameSet(t, "Change x-data-schema-by-kind", keys(mapOf(t, lines, "Change", "x-data-schema-by-kind:")), AllKinds)
	sameSet(t, "ChangeOp enum", enumOf(t, lines, "ChangeOp"), []string{OpUpsert, OpDelete, OpRemove})
	sameSet(t, "CommandStatus enum", enumOf(t, lines, "CommandStatus"),
		[]string{StatusApplied, StatusDuplicate, StatusRejected, StatusConflict, StatusSeqReused})
}

func TestOpenAPIProblemCodes(t *testing.T) {
	lines := readOpenAPI(t)
	sameSet(t, "ProblemCode enum", enumOf(t, lines, "ProblemCode"), modelCodes, transportCodes...)
	// Each code is also explained in the description table.
	desc := strings.Join(nested(t, schemaBlock(t, lines, "ProblemCode"), "ProblemCode", "description: |"), "\n")
	for _, c := range append(slices.Clone(modelCodes), transportCodes...) {
		if !strings.Contains(desc, "| `"+c+"` |") {
			t.Errorf("openapi.yaml: ProblemCode description does not explain %q", c)
		}
	}
}

// The model enums and their Chinese labels (x-enum-labels).
func TestOpenAPIModelEnums(t *testing.T) {
	lines := readOpenAPI(t)
	check := func(schema string, values []string, label func(string) string) {
		t.Helper()
		sameSet(t, schema+" enum", enumOf(t, lines, schema), values)
		labels := mapOf(t, lines, schema, "x-enum-labels:")
		sameSet(t, schema+" x-enum-labels", keys(labels), values)
		for _, v := range values {
			if got, want := labels[v], label(v); got != want {
				t.Errorf("openapi.yaml: %s label of %q is %q, want %q", schema, v, got, want)
			}
		}
	}
	check("Series", conv(model.AllSeries, func(s model.SeriesInfo) string { return string(s.Code) }),
		func(v string) string { return model.Series(v).Label() })
	check("Level", conv(model.AllLevels, func(l model.Level) string { return string(l) }),
		func(v string) string { return model.Level(v).Label() })
	check("EvaluationMethod", conv(model.AllMethods, func(m model.EvaluationMethod) string { return string(m) }),
		func(v string) string { return model.EvaluationMethod(v).Label() })
	check("UnitType", conv(model.AllUnitTypes, func(u model.UnitType) string { return string(u) }),
		func(v string) string { return model.UnitType(v).Label() })
	check("AttachmentKind", conv(model.AllAttachmentKinds, func(k model.AttachmentKind) string { return string(k) }),
		func(v string) string { return model.AttachmentKind(v).Label() })
	check("UnitKind", []string{string(model.UnitEmployer), string(model.UnitDepartment), string(model.UnitCityOffice)},
		func(v string) string { return model.UnitKind(v).Label() })
	check("Action", []string{string(model.ActionSubmit), string(model.ActionPass), string(model.ActionReject),
		string(model.ActionWithdraw), string(model.ActionCertify)},
		func(v string) string { return model.Action(v).Label() })
	check("Gender", []string{string(model.GenderMale), string(model.GenderFemale)},
		func(v string) string { return model.Gender(v).Label() })
	check("RegistrationStatus", []string{string(model.RegistrationPending), string(model.RegistrationApproved),
		string(model.RegistrationRejected)}, func(v string) string { return model.RegistrationStatus(v).Label() })
	check("ExpertStatus", []string{string(model.ExpertRecommended), string(model.ExpertAccepted),
		string(model.ExpertDeclined)}, func(v string) string { return model.ExpertStatus(v).Label() })

	stages := []model.Stage{model.StageDraft, model.StageUnitReview, model.StageOwnUnit, model.StageSubordinate,
		model.StageForward, model.StageSelfAppoint, model.StageExam, model.StageCommittee, model.StageCityOffice,
		model.StageCertified, model.StageReturned}
	check("Stage", conv(stages, func(s model.Stage) string { return string(s) }),
		func(v string) string { return model.Stage(v).Label() })

	roles := []string{string(model.RoleApplicant), string(model.RoleEmployer), string(model.RoleDepartment),
		string(model.RoleCityOffice)}
	sameSet(t, "Role enum", enumOf(t, lines, "Role"), roles)
	sameSet(t, "RecipientKind enum", enumOf(t, lines, "RecipientKind"),
		[]string{string(model.RecipientUnit), string(model.RecipientApplicant)})
	sameSet(t, "CalendarEntryKind enum", enumOf(t, lines, "CalendarEntryKind"),
		[]string{model.CalendarHoliday, model.CalendarWorkday})
}

func conv[T any](in []T, f func(T) string) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
