package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ErrRobotsDisallowed means robots.txt forbids the URL to our user agent.
// It comes wrapped in a *SkipError with Reason "robots".
var ErrRobotsDisallowed = errors.New("disallowed by robots.txt")

// ErrPrivateAddress means the host resolved to a loopback, private,
// link-local, unspecified or shared (CGNAT) address and the Fetcher does not
// allow private networks. It comes wrapped in a *SkipError with Reason
// "private_address".
var ErrPrivateAddress = errors.New("refusing to connect to a private network address")

// ErrBudgetSpent means the fetch budget of the source's round (see Budget)
// is spent. It comes wrapped in a *SkipError with Reason "budget".
var ErrBudgetSpent = errors.New("the fetch budget of this round is spent")

// Skip reasons: the values of SkipError.Reason. They are bounded, so they can
// label metrics.
const (
	ReasonRobots           = "robots"
	ReasonNotHTML          = "not_html"
	ReasonNotDocument      = "not_document"
	ReasonTooLarge         = "too_large"
	ReasonHTTP404          = "http_404"
	ReasonHTTP410          = "http_410"
	ReasonHTTP4xx          = "http_4xx"
	ReasonPrivateAddress   = "private_address"
	ReasonBadURL           = "bad_url"
	ReasonTooManyRedirects = "too_many_redirects"
	ReasonBudget           = "budget"
)

// SkipError is a permanent failure: fetching the URL again will not help, and
// the caller counts it as skipped rather than failed.
type SkipError struct {
	// Reason is one of the Reason* constants.
	Reason string
	// URL is the URL that was being fetched.
	URL string
	// Status is the HTTP status, when there was a response.
	Status int
	// Err is the underlying error, if any.
	Err error
}

// Error implements error.
func (e *SkipError) Error() string {
	msg := "crawler: skip " + e.URL + ": " + e.Reason
	if e.Status != 0 {
		msg += fmt.Sprintf(" (status %d)", e.Status)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *SkipError) Unwrap() error { return e.Err }

// RedirectError is a redirect that Fetch did not follow because
// Config.DeferRedirects is set: the caller queues To as a page of its own.
type RedirectError struct {
	From, To string
	Status   int
}

// Error implements error.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("crawler: %s redirects (%d) to %s", e.From, e.Status, e.To)
}

// HTTPError is a 5xx or 429 response that persisted through every retry.
type HTTPError struct {
	// Status is the last HTTP status seen.
	Status int
	// RetryAfter is what the server asked for in its last Retry-After
	// header, zero if none; a caller may use it as its redelivery delay.
	RetryAfter time.Duration
	// URL is the URL that was being fetched.
	URL string
}

// Error implements error.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("crawler: fetch %s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
}

// IsTransient reports whether a fetch error may go away if the caller tries
// again later: 5xx and 429 after retries, timeouts and connection errors.
// Skips, robots refusals, private addresses and context cancellation are not
// transient.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var skip *SkipError
	if errors.As(err, &skip) {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	var herr *HTTPError
	if errors.As(err, &herr) {
		return true
	}
	var terr *transientError
	if errors.As(err, &terr) {
		return true
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// SkipReason returns the reason of a *SkipError in err's chain, or "" when
// err is not a skip.
func SkipReason(err error) string {
	var skip *SkipError
	if errors.As(err, &skip) {
		return skip.Reason
	}
	return ""
}

// transientError marks a network-level failure (connection refused, reset,
// timeout, truncated body) after retries.
type transientError struct {
	url string
	err error
}

func (e *transientError) Error() string { return "crawler: fetch " + e.url + ": " + e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }
