package sqljson

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

func TestLoad(t *testing.T) {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE t (id TEXT, data TEXT); INSERT INTO t VALUES ('a', '{"n":1}'), ('bad', '{');`); err != nil {
		t.Fatal(err)
	}
	var v struct{ N int }
	if ok, err := Load(ctx, db, &v, `SELECT data FROM t WHERE id = ?`, "a"); !ok || err != nil || v.N != 1 {
		t.Fatalf("existing row: %v %v %+v", ok, err, v)
	}
	if ok, err := Load(ctx, db, &v, `SELECT data FROM t WHERE id = ?`, "none"); ok || err != nil {
		t.Fatalf("missing row: %v %v", ok, err)
	}
	if _, err := Load(ctx, db, &v, `SELECT data FROM t WHERE id = ?`, "bad"); err == nil {
		t.Fatal("broken JSON accepted")
	}
}
