package postgres

import (
	"database/sql"
	"encoding/json"
	"time"
)

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

func parseTime(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func parseList(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	var l []string
	if json.Unmarshal(b, &l) != nil {
		return nil
	}
	return l
}
