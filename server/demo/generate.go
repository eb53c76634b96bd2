package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"titledesk/model"
)

// Options steer the generator.
type Options struct {
	Scale float64   // 1 gives about 5,000 applicants; 10 about 50,000
	Seed  uint64    // the same seed gives the same world
	Now   time.Time // zero: time.Now()
	// DemoShare is the fraction of applicants under the demo department's
	// subtree (0: 0.2), so its queues are full at every scale.
	DemoShare float64
}

// ApplicantsPerScale is how many applicants Scale 1 makes.
const ApplicantsPerScale = 5000

// Password is every seeded account's password (the README lists them).
const Password = DemoPassword

// gen carries the state of one generation.
type gen struct {
	r        *rand.Rand
	now      time.Time
	cal      *model.Calendar
	w        *World
	units    map[string]model.Unit
	persons  map[string]string // unit ID → the 经办人 who acts for it
	city     model.Unit
	depts    []deptTree
	ids      map[string]bool // ID numbers handed out
	files    struct{ publicity, postStatus, appointment FileSeed }
	nUnit    int
	nAccount int
}

// deptTree is a top-level department with every unit of its subtree.
type deptTree struct {
	spec    departmentSpec
	dept    model.Unit
	members []model.Unit // the department itself and all descendants that employ applicants
}

// Generate builds a world. It is deterministic for a given Options.
func Generate(opts Options) (*World, error) {
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	if opts.DemoShare <= 0 || opts.DemoShare >= 1 {
		opts.DemoShare = 0.2
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	g := &gen{
		r:       rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x7469746c656465)),
		now:     opts.Now.Truncate(time.Second),
		cal:     model.DefaultCalendar(),
		w:       &World{},
		units:   map[string]model.Unit{},
		persons: map[string]string{},
		ids:     map[string]bool{},
	}
	g.w.Calendar = g.cal.Entries()
	pub, post, appt := demoFiles()
	g.files.publicity, g.files.postStatus, g.files.appointment = pub, post, appt
	g.w.Files = []FileSeed{pub, post, appt}

	g.buildHierarchy()
	g.buildRegistrations()
	g.buildCommittees()
	g.buildExperts()
	n := int(math.Round(ApplicantsPerScale * opts.Scale))
	if err := g.buildApplications(n, opts.DemoShare); err != nil {
		return nil, err
	}
	g.markEconomics()
	g.buildMessages()
	g.buildStockComments()
	g.buildDeadlines()
	return g.w, nil
}

// buildDeadlines sets this year's dates so 首页 shows work at risk: 申报截止
// passed, 单位审核截止 in 12 days, 呈报截止 in 26 (BEY-6).
func (g *gen) buildDeadlines() {
	today := model.ChinaDate(g.now)
	g.w.Deadlines = []model.Deadlines{{Year: g.now.Year(), ApplyBy: today.AddDays(-10),
		UnitReviewBy: today.AddDays(12), SubmitBy: today.AddDays(26)}}
}

// Unit implements model.Units over the generated hierarchy.
func (g *gen) Unit(id string) (model.Unit, bool) { u, ok := g.units[id]; return u, ok }

func (g *gen) newID() string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", g.r.Uint32(), g.r.Uint32()&0xffff,
		g.r.Uint32()&0xfff, 0x8000|g.r.Uint32()&0x3fff, g.r.Uint64()&0xffffffffffff)
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// personName draws a realistic name; surnames are skewed towards common ones.
func (g *gen) personName(male bool) string {
	s := surnames[int(float64(len(surnames))*math.Pow(g.r.Float64(), 2.2))]
	given := givenFemale
	if male {
		given = givenMale
	}
	name := string(s) + string(given[g.r.IntN(len(given))])
	if g.r.IntN(10) < 7 {
		name += string(given[g.r.IntN(len(given))])
	}
	return name
}

func (g *gen) addUnit(u model.Unit) model.Unit {
	g.nUnit++
	if u.ID == "" {
		u.ID = g.newID()
	}
	prefix := map[model.UnitType]string{model.UnitTypeAgency: "11120000", model.UnitTypeInstitution: "12120000",
		model.UnitTypeEnterprise: "91120000", model.UnitTypeSocialOrg: "51120000", model.UnitTypeOther: "93120000"}[u.Type]
	u.CreditCode = model.MakeCreditCode(prefix + fmt.Sprintf("%09d", 100000000+g.nUnit*7919%900000000))
	u.Address = "天津市" + g.pick([]string{"和平区", "河西区", "南开区", "河东区", "河北区", "红桥区", "西青区", "津南区", "东丽区", "北辰区", "滨海新区"}) +
		g.pick([]string{"友谊路", "卫津路", "南京路", "解放北路", "黄河道", "复康路", "津塘路", "西青道"}) + fmt.Sprintf("%d号", 1+g.r.IntN(300))
	u.PostalCode = fmt.Sprintf("300%03d", g.r.IntN(400))
	male := g.r.IntN(2) == 0
	u.Contact = g.personName(male)
	u.Phone = fmt.Sprintf("022-%d", 23000000+g.r.IntN(6000000))
	u.Email = fmt.Sprintf("rsc%04d@example.tj.cn", g.nUnit)
	u.Version = 1
	u.UpdatedAt = g.now.AddDate(0, -6, 0)
	g.units[u.ID] = u
	g.persons[u.ID] = g.personName(!male)
	g.w.Units = append(g.w.Units, u)
	return u
}

func (g *gen) addAccount(username string, role model.Role, unitID, applicantID, name string) {
	g.nAccount++
	g.w.Accounts = append(g.w.Accounts, AccountSeed{
		Account: model.Account{ID: g.newID(), Username: username, Name: name, Role: role,
			UnitID: unitID, ApplicantID: applicantID},
		Password: Password,
	})
}
