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

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// jsonList encodes a list for a jsonb column; an empty list is NULL.
func jsonList(l []string) sql.NullString {
	if len(l) == 0 {
		return sql.NullString{}
	}
	b, _ := json.Marshal(l)
	return sql.NullString{String: string(b), Valid: true}
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
