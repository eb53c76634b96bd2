package model

import (
	"reflect"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Input classes name how a string field is normalized before validation. A
// struct field chooses its class with the tag `input:"…"`; a field without
// one is free text, and a Date is InputCode.
const (
	InputText     = "text"        // free text: CleanText (opinions, reasons, messages, unit names…)
	InputName     = "name"        // a person's name: NormalizeName
	InputIDNumber = "id_number"   // 身份证号码: NormalizeIDNumber
	InputPhone    = "phone"       // phone number: NormalizePhone
	InputCode     = "code"        // codes, dates, e-mail, numbers as text: NFKC, one line, no spaces
	InputCredit   = "credit_code" // 统一社会信用代码: InputCode, upper-cased
	InputRaw      = "raw"         // bytes the program made (hashes, UUIDs, enum codes): checked, not changed
)

// NormalizeInput returns s in the normal form of its input class.
func NormalizeInput(class, s string) string {
	switch class {
	case InputName:
		return NormalizeName(s)
	case InputIDNumber:
		return NormalizeIDNumber(s)
	case InputPhone:
		return NormalizePhone(s)
	case InputCode:
		return strings.ReplaceAll(SingleLine(norm.NFKC.String(CleanText(s))), " ", "")
	case InputCredit:
		return strings.ToUpper(NormalizeInput(InputCode, s))
	case InputRaw:
		return s
	}
	return CleanText(s)
}

var dateType = reflect.TypeOf(Date(""))

// CleanInput normalizes, in place, every string reachable from v (a pointer
// to a struct, such as a command's decoded Args) by its field's input class,
// then refuses the whole value if any string still holds a character that
// TextProblem refuses. The error is a KindInvalid *Error with code
// CodeInvalidCharacters whose Fields are keyed by the JSON name of each
// offending field, so forms show the message beside the field. This is the
// one rule for every free-text field, run by api.DecodeArgs on the client
// before a command is queued and on the server before it is applied.
func CleanInput(v any) error {
	fe := FieldErrors{}
	walkInput(reflect.ValueOf(v), InputText, "text", fe)
	return fe.Err(CodeInvalidCharacters, "含有不允许的字符")
}

func walkInput(v reflect.Value, class, field string, fe FieldErrors) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkInput(v.Elem(), class, field, fe)
		}
	case reflect.Struct:
		walkStruct(v, fe)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // raw bytes (json.RawMessage): not text
		}
		for i := 0; i < v.Len(); i++ {
			walkInput(v.Index(i), class, field, fe)
		}
	case reflect.Map:
		walkMap(v, class, field, fe)
	case reflect.String:
		if v.Type() == dateType {
			class = InputCode
		}
		s := NormalizeInput(class, v.String())
		if v.CanSet() {
			v.SetString(s)
		}
		if p := TextProblem(s); p != "" {
			fe.Add(field, p)
		}
	}
}

func walkStruct(v reflect.Value, fe FieldErrors) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		class := f.Tag.Get("input")
		if class == "" {
			class = InputText
		}
		walkInput(v.Field(i), class, jsonName(f), fe)
	}
}

// walkMap normalizes map values in place (keys are checked, not changed).
func walkMap(v reflect.Value, class, field string, fe FieldErrors) {
	iter := v.MapRange()
	for iter.Next() {
		if k := iter.Key(); k.Kind() == reflect.String {
			if p := TextProblem(k.String()); p != "" {
				fe.Add(field, p)
			}
		}
		cp := reflect.New(iter.Value().Type()).Elem()
		cp.Set(iter.Value())
		walkInput(cp, class, field, fe)
		v.SetMapIndex(iter.Key(), cp)
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" || name == "-" {
		return strings.ToLower(f.Name)
	}
	return name
}
