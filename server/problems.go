package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"titledesk/api"
	"titledesk/model"
)

// codeMethodNotAllowed answers a known path asked with the wrong method. It
// is transport-only, so it lives here rather than among the model's codes.
const codeMethodNotAllowed = "method_not_allowed"

// errNotFound is the one answer for anything missing or outside the caller's
// subtree, so the two cannot be told apart (SRV-2).
func errNotFound(what string) error {
	return &model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound, Title: "未找到",
		Detail: what + "不存在或无权访问"}
}

func errBadRequest(detail string) error {
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: detail}
}

func errForbidden(detail string) error {
	return &model.Error{Kind: model.KindForbidden, Code: model.CodeForbidden, Title: "无权执行此操作", Detail: detail}
}

func errValidation(field, msg string) error {
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeValidation, Title: "填写的信息有误", Detail: msg,
		Fields: map[string]string{field: msg}}
}

func errConflict(code, title, detail string) error {
	return &model.Error{Kind: model.KindConflict, Code: code, Title: title, Detail: detail}
}

func errUnauthorized() error {
	return &model.Error{Kind: model.KindAuth, Code: model.CodeUnauthorized, Title: "请先登录", Detail: "登录信息无效，请重新登录"}
}

// errTooLarge names the limit in MiB or KiB, whichever reads better.
func errTooLarge(limit int64) error {
	size := fmt.Sprintf("%d KB", limit>>10)
	if limit >= 1<<20 {
		size = fmt.Sprintf("%d MB", limit>>20)
	}
	return &model.Error{Kind: model.KindTooLarge, Code: model.CodeTooLarge, Title: "内容过大",
		Detail: "上传内容超过了" + size + "的上限"}
}

// problemFor is api.ProblemOf: the status follows the error's kind, as
// api/openapi.yaml says (bad_request included: 422, like every invalid
// input).
func problemFor(err error) *api.Problem { return api.ProblemOf(err) }

// writeProblem answers err as an RFC 9457 problem. Errors that are not ours
// are logged with the route only (never bodies, tokens or personal data)
// and shown as a generic message.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	var me *model.Error
	if !errors.As(err, &me) || me.Kind == model.KindInternal {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", r.Pattern, "err", err)
	}
	p := problemFor(err)
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="titledesk"`)
	}
	if secs, ok := retryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	writeProblemValue(w, p)
}

func writeProblemValue(w http.ResponseWriter, p *api.Problem) {
	w.Header().Set("Content-Type", api.ProblemContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// readJSON decodes the request body strictly into v: at most api.MaxJSONBody
// bytes, one JSON value, no unknown fields.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxJSONBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge(mbe.Limit)
		}
		return errBadRequest("读取请求内容失败")
	}
	return api.DecodeStrict(body, v)
}

// notFoundHandler answers unknown routes.
func notFoundHandler(w http.ResponseWriter, r *http.Request) {
	writeProblemValue(w, api.ProblemOf(&model.Error{Kind: model.KindNotFound, Code: model.CodeNotFound,
		Title: "未找到", Detail: "请求的接口不存在"}))
}

// methodNotAllowed answers a known path asked with another method.
func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeProblemValue(w, &api.Problem{Type: "urn:titledesk:problem:" + codeMethodNotAllowed,
			Title: "不支持的请求方法", Status: http.StatusMethodNotAllowed,
			Detail: "该接口不支持 " + r.Method + " 请求", Code: codeMethodNotAllowed})
	}
}
