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
