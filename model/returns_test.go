package model

import (
	"errors"
	"strings"
	"testing"
)

// TestReturnListAndFixedMarks (BEY-3): a return lists its problems once; the
// resubmission marks which were fixed; marks outside the list are refused;
// an opinion is needed only when nothing is ticked.
func TestReturnListAndFixedMarks(t *testing.T) {
	app := draft("E", MethodExamInLieu)
	app.Stage, app.HolderUnitID = StageSubordinate, "D"
	problems := []ReturnProblem{{MaterialEducation, "学历证书不清晰"}, {MaterialPublicity, "公示材料缺少单位盖章"},
		{MaterialAchievements, "业绩材料与申报专业不符"}}
	if _, err := Apply(app, dept("D"), Transition{Action: ActionReject}, testEnv); err == nil {
		t.Fatal("a return with neither problems nor opinion")
	}
	dup := append(append([]ReturnProblem(nil), problems...), problems[0])
	if _, err := Apply(app, dept("D"), Transition{Action: ActionReject, Problems: dup}, testEnv); err == nil {
		t.Fatal("a repeated problem accepted")
	}
	returned, err := Apply(app, dept("D"), Transition{Action: ActionReject, Problems: problems}, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := returned.LastReturn()
	notice := ReturnNotice(last.Problems, last.Opinion)
	for i, p := range problems {
		if !strings.Contains(notice, p.Text) || !strings.Contains(notice, p.Material.Label()) {
			t.Fatalf("notice lacks problem %d: %s", i, notice)
		}
	}
	if !strings.HasPrefix(notice, "请一次性补正以下3个问题") {
		t.Fatalf("notice %q", notice)
	}
	if returned.ResubmissionMarks() != nil {
		t.Fatal("marks before a resubmission")
	}
	p1 := applicant("p1")
	if _, err := Apply(returned, p1, Transition{Action: ActionSubmit, Applicant: &Applicant{ID: "p1"}, Fixed: []int{3}}, testEnv); err == nil {
		t.Fatal("a mark outside the list accepted")
	}
	again, err := Apply(returned, p1, Transition{Action: ActionSubmit, Applicant: &Applicant{ID: "p1"}, Fixed: []int{0, 2}}, testEnv)
	if err != nil {
		t.Fatal(err)
	}
	marks := again.ResubmissionMarks()
	if len(marks) != 3 || !marks[0].Fixed || marks[1].Fixed || !marks[2].Fixed || marks[1].Problem != problems[1] {
		t.Fatalf("marks %+v", marks)
	}
	var e *Error
	if _, err := Apply(app, dept("D"), Transition{Action: ActionReject, Problems: []ReturnProblem{{"cooking", "x"}}}, testEnv); !errors.As(err, &e) || e.Fields["problems"] == "" {
		t.Fatalf("invalid material: %v", err)
	}
}
