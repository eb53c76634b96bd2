package sqlmig

import (
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	good := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("B")},
		"m/0001_init.sql": {Data: []byte("A")},
		"m/readme.txt":    {Data: []byte("ignored")},
	}
	ms, err := Load(good, "m")
	if err != nil || len(ms) != 2 || ms[0].Version != 1 || ms[1].Name != "0002_more.sql" || ms[1].SQL != "B" {
		t.Fatalf("Load = %+v, %v", ms, err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"no number":   {"m/init.sql": {}},
		"zero":        {"m/0000_x.sql": {}},
		"same number": {"m/0001_a.sql": {}, "m/1_b.sql": {}},
	} {
		if _, err := Load(fsys, "m"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMerge(t *testing.T) {
	a := []Migration{{Version: 1, Name: "0001_a.sql"}, {Version: 3, Name: "0003_c.sql"}}
	b := []Migration{{Version: 2, Name: "0002_b.sql"}}
	ms, err := Merge(a, b)
	if err != nil || len(ms) != 3 || ms[0].Version != 1 || ms[1].Version != 2 || ms[2].Version != 3 {
		t.Fatalf("Merge = %+v, %v", ms, err)
	}
	if _, err := Merge(a, []Migration{{Version: 3, Name: "0003_other.sql"}}); err == nil {
		t.Error("Merge accepted one version twice")
	}
}
