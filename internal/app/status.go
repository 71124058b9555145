package app

import (
	"context"
	"time"

	"github.com/newsflow/newsflow/bus"
	"github.com/newsflow/newsflow/internal/metrics"
	"github.com/newsflow/newsflow/store"
)

// Status is what `newsflow status` and GET /status report: the streams and
// consumers of the bus, the store's counts, the pipeline's counts, and this
// process's tally.
type Status struct {
	// Schema names the version of this document.
	Schema    string             `json:"schema"`
	Time      time.Time          `json:"time"`
	Namespace string             `json:"namespace,omitempty"`
	Streams   []bus.StreamInfo   `json:"streams"`
	Consumers []bus.ConsumerInfo `json:"consumers"`
	Dead      *bus.DeadCounts    `json:"dead,omitempty"`
	// Health is each source's canary.
	Health map[string]SourceHealth `json:"health,omitempty"`
	// FrontierStranded counts the fetch tasks no consumer will deliver
	// (see bus.Bus.Stranded); they age out of FRONTIER after a day.
	FrontierStranded uint64       `json:"frontier_stranded,omitempty"`
	Store            *store.Stats `json:"store,omitempty"`
	// Pipeline is the counts of every process of the pipeline, per source
	// too, from the stats bucket on the bus (see PipelineCounts); Process
	// is the tally of the process that answers.
	Pipeline *metrics.Summary `json:"pipeline,omitempty"`
	Process  *metrics.Summary `json:"process,omitempty"`
	Errors   []string         `json:"errors,omitempty"`
	// Rates is the acknowledged messages per second of each consumer
	// ("STREAM/consumer"), measured by `newsflow status` between two
	// samples; GET /status, a single sample, has none.
	Rates map[string]float64 `json:"ack_rates_per_second,omitempty"`
}

// StatusSchema is the version of the Status document, the same from GET
// /status and `newsflow status --json`.
const StatusSchema = "newsflow.status/v1"

// statusDeadLetters is how many of the latest dead letters Status lists.
const statusDeadLetters = 10

// Status gathers the status of what this App has open.
func (a *App) Status(ctx context.Context) Status {
	st := Status{Schema: StatusSchema, Time: time.Now().UTC()}
	if a.Bus != nil {
		st.Namespace = a.Bus.Names().Namespace
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
		if st.Pipeline, err = a.PipelineCounts(ctx); err != nil {
			st.Errors = append(st.Errors, "pipeline counts: "+err.Error())
		}
		if dc, err := a.Bus.CountDeadLetters(ctx, statusDeadLetters); err != nil {
			st.Errors = append(st.Errors, "dead letters: "+err.Error())
		} else {
			st.Dead = &dc
		}
	}
	if st.Health = a.Health(); st.Health == nil && a.Bus != nil {
		st.Health = a.storedHealth(ctx)
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
