package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"titledesk/model"
)

// DecodeStrict decodes exactly one JSON object into v, refusing anything
// else at the top (null included), unknown fields and trailing data, and
// turns every failure into a Chinese problem.
func DecodeStrict(data []byte, v any) error {
	// Every request body and command's args is an object: a bare null, a
	// number or a list would decode to the zero value and be judged on it.
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] != '{' {
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误",
			Detail: "请求内容应为 JSON 对象"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badJSON(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误",
			Detail: "JSON 之后还有多余内容"}
	}
	return nil
}

func badJSON(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	detail := "请求内容不是有效的 JSON"
	switch {
	case errors.As(err, &syntax):
		detail = fmt.Sprintf("JSON 格式错误（第%d字节）", syntax.Offset)
	case errors.As(err, &typ):
		detail = fmt.Sprintf("字段“%s”的类型错误，应为%s", typ.Field, typ.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		detail = "请求内容为空或不完整"
	case bytes.HasPrefix([]byte(err.Error()), []byte("json: unknown field")):
		detail = "包含未知字段：" + string(bytes.TrimPrefix([]byte(err.Error()), []byte("json: unknown field ")))
	}
	return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: detail}
}

// NewArgs returns a pointer to the zero Args value of a command type.
func NewArgs(typ string) (any, error) {
	switch typ {
	case CmdApplicationCreate:
		return &ApplicationCreateArgs{}, nil
	case CmdApplicationSubmit:
		return &SubmitArgs{}, nil
	case CmdApplicationWithdraw:
		return &ApplicationRefArgs{}, nil
	case CmdApplicationPass:
		return &PassArgs{}, nil
	case CmdApplicationReject:
		return &RejectArgs{}, nil
	case CmdApplicationCertify:
		return &CertifyArgs{}, nil
	case CmdUnitRegister:
		return &UnitRegisterArgs{}, nil
	case CmdUnitApproveRegistration, CmdUnitRejectRegistration:
		return &RegistrationDecisionArgs{}, nil
	case CmdUnitCreate, CmdUnitUpdate:
		return &UnitArgs{}, nil
	case CmdExpertCreate:
		return &ExpertCreateArgs{}, nil
	case CmdExpertRecommend:
		return &ExpertRecommendArgs{}, nil
	case CmdMessageSend:
		return &MessageSendArgs{}, nil
	case CmdMessageRead:
		return &MessageReadArgs{}, nil
	case CmdStockCommentSave:
		return &StockCommentArgs{}, nil
	case CmdStockCommentDelete:
		return &StockCommentDeleteArgs{}, nil
	case CmdReturnReasonSave:
		return &ReturnReasonArgs{}, nil
	case CmdReturnReasonDelete:
		return &ReturnReasonDeleteArgs{}, nil
	case CmdReturnReasonAdopt:
		return &ReturnReasonAdoptArgs{}, nil
	case CmdExportFullIDs:
		return &ExportArgs{}, nil
	}
	return nil, &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "未知的操作类型",
		Detail: fmt.Sprintf("不支持的操作类型：%.40q", typ)}
}

// DecodeArgs decodes a command's Args strictly into the type its Type names,
// then normalizes every text in it and refuses control and bidirectional
// characters (model.CleanInput). Client and server both decode through it,
// so a command is judged the same before it is queued and when it is applied.
func DecodeArgs(c Command) (any, error) {
	v, err := NewArgs(c.Type)
	if err != nil {
		return nil, err
	}
	if len(c.Args) == 0 {
		return nil, &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: "缺少操作参数"}
	}
	if err := DecodeStrict(c.Args, v); err != nil {
		return nil, err
	}
	if err := model.CleanInput(v); err != nil {
		return nil, err
	}
	return v, nil
}

// ValidateEnvelope checks the parts of a command every type shares.
func ValidateEnvelope(c Command) error {
	switch {
	case c.Seq <= 0:
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: "seq 必须为正整数"}
	case !ValidUUID(c.ID):
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: "命令 id 必须为 UUID"}
	case c.BaseVersion < 0:
		return &model.Error{Kind: model.KindInvalid, Code: model.CodeBadRequest, Title: "请求格式错误", Detail: "base_version 不能为负数"}
	}
	return nil
}

// ValidUUID reports the canonical 8-4-4-4-12 hex form.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}
