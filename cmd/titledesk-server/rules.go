package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"titledesk/model"
	"titledesk/server"
)

// rulesFlags reads `admin rules import FILE` and `admin rules show` (BEY-4).
func rulesFlags(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) (func(*server.Server) error, []string, error) {
	if len(args) == 0 {
		return nil, nil, fmt.Errorf("%w: admin rules import FILE | show", errUsage)
	}
	switch args[0] {
	case "import":
		path, rest, err := takeArg(fs, args[1:])
		if err != nil {
			return nil, nil, err
		}
		return func(s *server.Server) error {
			data, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("读取文件：%w", err)
			}
			sets, err := model.ParseRuleSets(data)
			if err != nil {
				return err
			}
			if err := s.ImportRuleSets(ctx, sets); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "已导入%d条资格规则；各客户端同步后生效\n", len(sets))
			return nil
		}, rest, nil
	case "show":
		return func(s *server.Server) error {
			sets, err := s.RuleSets(ctx)
			if err != nil {
				return err
			}
			for _, r := range sets {
				printRuleSet(stdout, r)
			}
			return nil
		}, args[1:], nil
	}
	return nil, nil, fmt.Errorf("%w: admin rules import FILE | show", errUsage)
}

// printRuleSet writes one rule set as admin rules show lists it: the
// document and article, the examination, each route with what the data
// cannot show, the note and where the wording was read.
func printRuleSet(w io.Writer, r model.RuleSet) {
	fmt.Fprintf(w, "%s %s（%s）\n  依据：%s\n", r.Series.Label(), r.Level.Label(), r.Title, r.Citation())
	if r.Exam != nil {
		fmt.Fprintf(w, "  评价方式：%s\n", r.Exam.Clause)
	}
	for _, p := range r.Paths {
		fmt.Fprintf(w, "  - %s\n", p.Clause)
		if p.Verify != "" {
			fmt.Fprintf(w, "    （另须人工核对：%s）\n", p.Verify)
		}
	}
	if r.Note != "" {
		fmt.Fprintf(w, "  说明：%s\n", r.Note)
	}
	for _, at := range r.ReadAt {
		fmt.Fprintf(w, "  原文见：%s\n", at)
	}
}

// deadlinesFlags reads `admin deadlines set --year Y [--apply-by D]
// [--unit-review-by D] [--submit-by D]` and `admin deadlines show --year Y` (BEY-6).
func deadlinesFlags(ctx context.Context, fs *flag.FlagSet, args []string, stdout io.Writer) (func(*server.Server) error, []string, error) {
	if len(args) == 0 || (args[0] != "set" && args[0] != "show") {
		return nil, nil, fmt.Errorf("%w: admin deadlines set|show --year YYYY", errUsage)
	}
	var d model.Deadlines
	fs.IntVar(&d.Year, "year", 0, "申报年度")
	applyBy := fs.String("apply-by", "", "申报截止 YYYY-MM-DD")
	unitBy := fs.String("unit-review-by", "", "单位审核截止 YYYY-MM-DD")
	submitBy := fs.String("submit-by", "", "呈报截止 YYYY-MM-DD")
	if args[0] == "show" {
		return func(s *server.Server) error {
			got, ok, err := s.Deadlines(ctx, d.Year)
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintf(stdout, "%d年尚未设置截止日期\n", d.Year)
				return nil
			}
			printDeadlines(stdout, got)
			return nil
		}, args[1:], nil
	}
	return func(s *server.Server) error {
		d.ApplyBy = model.Date(model.NormalizeInput(model.InputCode, *applyBy))
		d.UnitReviewBy = model.Date(model.NormalizeInput(model.InputCode, *unitBy))
		d.SubmitBy = model.Date(model.NormalizeInput(model.InputCode, *submitBy))
		if err := s.SetDeadlines(ctx, d); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "已设置截止日期；各客户端同步后生效")
		printDeadlines(stdout, d)
		return nil
	}, args[1:], nil
}

func printDeadlines(stdout io.Writer, d model.Deadlines) {
	var lines []string
	for _, x := range d.List() {
		lines = append(lines, fmt.Sprintf("%s %s", x.Name, x.Date))
	}
	fmt.Fprintf(stdout, "%d年：%s\n", d.Year, strings.Join(lines, "；"))
}
