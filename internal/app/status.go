package app

import (
	"context"
	"time"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/metrics"
	"github.com/newsflow/newsflow/store"
)

// Status is what `newsflow status` and GET /status report: the streams and
// consumers of the bus, the store's counts, and this process's tally.
type Status struct {
	Time      time.Time          `json:"time"`
	Streams   []bus.StreamInfo   `json:"streams"`
	Consumers []bus.ConsumerInfo `json:"consumers"`
	// FrontierStranded counts the fetch tasks no consumer will deliver
	// (see bus.Bus.Stranded); they age out of FRONTIER after a day.
	FrontierStranded uint64           `json:"frontier_stranded,omitempty"`
	Store            *store.Stats     `json:"store,omitempty"`
	Process          *metrics.Summary `json:"process,omitempty"`
	Errors           []string         `json:"errors,omitempty"`
}

// Status gathers the status of what this App has open.
func (a *App) Status(ctx context.Context) Status {
	st := Status{Time: time.Now().UTC()}
	if a.Bus != nil {
		var err error
		if st.Streams, err = a.Bus.Streams(ctx); err != nil {
			st.Errors = append(st.Errors, "streams: "+err.Error())
		}
		if st.Consumers, err = a.Bus.Consumers(ctx); err != nil {
			st.Errors = append(st.Errors, "consumers: "+err.Error())
		}
		if st.FrontierStranded, err = a.Bus.Stranded(ctx); err != nil {
			st.Errors = append(st.Errors, "frontier: "+err.Error())
		}
	}
	if a.Store != nil {
		s, err := a.Store.Stats(ctx)
		if err != nil {
			st.Errors = append(st.Errors, "store: "+err.Error())
		} else {
			st.Store = &s
		}
	}
	return st
}
