package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	gosync "sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"titledesk/api"
)

// The contract drift check (issue 8 hole 11): every response any server
// test provokes passes through contractChecked and is held against
// api/openapi.yaml — its status must be one the operation lists (500 aside:
// `default`), a problem must be application/problem+json, and a JSON body
// must match the schema of that response, each feed change's data the
// schema its kind names. A server answering 400 where the contract says
// 422, a field the schema forbids, or Go's HTML redirect fails the test
// that provoked it.

const contractDoc = "https://titledesk.invalid/openapi.json"

type contract struct {
	doc     map[string]any
	schemas *jsonschema.Compiler
	paths   []contractPath
	mu      gosync.Mutex
	cache   map[string]*jsonschema.Schema
}

type contractPath struct {
	re   *regexp.Regexp
	item map[string]any
}

var loadContract = gosync.OnceValues(func() (*contract, error) {
	raw, err := os.ReadFile("../api/openapi.yaml")
	if err != nil {
		return nil, err
	}
	var y any
	if err := yaml.Unmarshal(raw, &y); err != nil {
		return nil, err
	}
	js, err := json.Marshal(y)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, err
	}
	c := &contract{doc: doc.(map[string]any), schemas: jsonschema.NewCompiler(), cache: map[string]*jsonschema.Schema{}}
	c.schemas.DefaultDraft(jsonschema.Draft2020)
	if err := c.schemas.AddResource(contractDoc, doc); err != nil {
		return nil, err
	}
	for p, item := range c.doc["paths"].(map[string]any) {
		c.paths = append(c.paths, contractPath{re: regexp.MustCompile("^" + pathPattern(p) + "$"), item: item.(map[string]any)})
	}
	return c, nil
})

// pathPattern turns /a/{x}/b into a regexp.
func pathPattern(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			continue
		}
		b.WriteString("/")
		if strings.HasPrefix(seg, "{") {
			b.WriteString(`[^/]+`)
		} else {
			b.WriteString(regexp.QuoteMeta(seg))
		}
	}
	return b.String()
}

func (c *contract) schema(ref string) (*jsonschema.Schema, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.cache[ref]; ok {
		return s, nil
	}
	s, err := c.schemas.Compile(contractDoc + ref)
	if err == nil {
		c.cache[ref] = s
	}
	return s, err
}

// resolve follows a local $ref of the document.
func (c *contract) resolve(v map[string]any) map[string]any {
	for {
		ref, ok := v["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = c.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		v = cur.(map[string]any)
	}
}

// check returns what is wrong with one answer, or nil.
func (c *contract) check(method, path string, status int, header http.Header, body []byte) error {
	var item map[string]any
	for _, p := range c.paths {
		if p.re.MatchString(path) {
			item = p.item
		}
	}
	ct, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if status >= 400 && ct != api.ProblemContentType {
		return fmt.Errorf("status %d with Content-Type %q, not a problem", status, header.Get("Content-Type"))
	}
	op, _ := item[strings.ToLower(method)].(map[string]any)
	if item == nil || op == nil {
		// Unknown paths answer 404 and known paths with another method 405,
		// both problems (the document's description of errors).
		if want := map[bool]int{true: 404, false: 405}[item == nil]; status != want {
			return fmt.Errorf("%s %s is not in the contract, answered %d (want %d)", method, path, status, want)
		}
		return c.validate("#/components/schemas/Problem", body)
	}
	responses := op["responses"].(map[string]any)
	resp, listed := responses[strconv.Itoa(status)].(map[string]any)
	if !listed {
		if status != http.StatusInternalServerError {
			return fmt.Errorf("%s %s answered %d, which the contract does not list for it", method, path, status)
		}
		resp = responses["default"].(map[string]any)
	}
	resp = c.resolve(resp)
	content, _ := resp["content"].(map[string]any)
	if content == nil || len(body) == 0 {
		return nil
	}
	media, ok := content[ct].(map[string]any)
	if !ok {
		if _, any := content["application/octet-stream"]; any || ct == "application/pdf" || strings.HasPrefix(ct, "image/") {
			return nil
		}
		return fmt.Errorf("%s %s %d: Content-Type %q not in the contract", method, path, status, ct)
	}
	sch, _ := media["schema"].(map[string]any)
	ref, _ := sch["$ref"].(string)
	if ref == "" {
		return nil
	}
	if err := c.validate(ref, body); err != nil {
		return fmt.Errorf("%s %s %d: %w", method, path, status, err)
	}
	if strings.HasSuffix(ref, "/ChangesResponse") {
		return c.checkChangeData(body)
	}
	return nil
}

func (c *contract) validate(ref string, body []byte) error {
	s, err := c.schema(ref)
	if err != nil {
		return fmt.Errorf("schema %s: %w", ref, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if err := s.Validate(v); err != nil {
		return fmt.Errorf("body does not match %s: %v", ref, err)
	}
	return nil
}

// checkChangeData validates each upsert's data against its kind's schema.
func (c *contract) checkChangeData(body []byte) error {
	var page api.ChangesResponse
	if err := json.Unmarshal(body, &page); err != nil {
		return err
	}
	byKind := c.resolve(c.doc["components"].(map[string]any)["schemas"].(map[string]any)["Change"].(map[string]any))["x-data-schema-by-kind"].(map[string]any)
	for _, ch := range page.Changes {
		if ch.Op != api.OpUpsert {
			continue
		}
		ref, ok := byKind[ch.Kind].(string)
		if !ok {
			return fmt.Errorf("change kind %q has no data schema", ch.Kind)
		}
		if err := c.validate(ref, ch.Data); err != nil {
			return fmt.Errorf("%s change %s: %w", ch.Kind, ch.ID, err)
		}
	}
	return nil
}

// contractChecked wraps h so that every answer is checked against the
// contract; a mismatch fails t. Benchmarks are not checked (cost).
func contractChecked(t testing.TB, h http.Handler) http.Handler {
	if _, bench := t.(*testing.B); bench {
		return h
	}
	c, err := loadContract()
	if err != nil {
		t.Fatalf("load api/openapi.yaml: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				body, err = io.ReadAll(zr)
			}
			if err != nil {
				t.Errorf("contract drift: %s %s: gzip body: %v", r.Method, r.URL.Path, err)
				return
			}
		}
		if err := c.check(r.Method, r.URL.Path, rec.status, rec.Header(), body); err != nil {
			t.Errorf("contract drift: %v", err)
		}
	})
}

// recordingWriter passes an answer through and keeps a copy of it.
type recordingWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
