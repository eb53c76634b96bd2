package server

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"titledesk/api"
	"titledesk/model"
)

const maxStockCommentRunes = 500

// ownStockComment loads one of the caller's stock comments; other accounts'
// comments are not found.
func (x *command) ownStockComment(ctx context.Context, id string) (model.StockComment, bool, error) {
	var (
		c     model.StockComment
		owner string
		data  []byte
	)
	err := x.t.tx.QueryRowContext(ctx, `SELECT account_id, data FROM stock_comments WHERE id = ?`, id).Scan(&owner, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	if owner != x.c.AccountID {
		return c, false, errNotFound("常用意见")
	}
	return c, true, decodeJSON(data, &c)
}

// stockCommentSave creates or edits one of the caller's 常用意见 (REV-3).
func (x *command) stockCommentSave(ctx context.Context) (outcome, error) {
	in := x.args.(*api.StockCommentArgs).Comment
	if !api.ValidUUID(in.ID) {
		return outcome{}, errValidation("id", "常用意见标识无效")
	}
	text := strings.TrimSpace(in.Text)
	if text == "" || utf8.RuneCountInString(text) > maxStockCommentRunes {
		return outcome{}, errValidation("text", "常用意见应为1至500个字")
	}
	if in.Position < 0 {
		return outcome{}, errValidation("position", "排序位置无效")
	}
	cur, exists, err := x.ownStockComment(ctx, in.ID)
	var nf *model.Error
	if errors.As(err, &nf) && nf.Kind == model.KindNotFound {
		return outcome{}, takenElsewhere(false, in.ID, "") // another account's comment
	}
	if err != nil {
		return outcome{}, err
	}
	if exists {
		if err := checkVersion(cur.Version, x.base); err != nil {
			return outcome{}, err
		}
	}
	next := model.StockComment{ID: in.ID, Text: text, Position: in.Position, Version: cur.Version + 1}
	if err := x.t.putStockComment(ctx, x.c.AccountID, next); err != nil {
		return outcome{}, err
	}
	return outcome{next.ID, next.Version}, nil
}

// stockCommentDelete deletes one of the caller's 常用意见; the feed carries a delete.
func (x *command) stockCommentDelete(ctx context.Context) (outcome, error) {
	id := x.args.(*api.StockCommentDeleteArgs).CommentID
	cur, exists, err := x.ownStockComment(ctx, id)
	if err != nil {
		return outcome{}, err
	}
	if !exists {
		return outcome{}, errNotFound("常用意见")
	}
	if err := checkVersion(cur.Version, x.base); err != nil {
		return outcome{}, err
	}
	if err := x.t.exec(ctx, `DELETE FROM stock_comments WHERE id = ?`, id); err != nil {
		return outcome{}, err
	}
	version := cur.Version + 1
	if err := x.t.emit(ctx, api.KindStockComment, id, api.OpDelete, version, []string{accountViewer(x.c.AccountID)}); err != nil {
		return outcome{}, err
	}
	return outcome{id, version}, nil
}
