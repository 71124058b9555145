// Package cli implements newsflow's subcommands, one file each. Every
// command takes --config and --data-dir, before or after its arguments;
// Main dispatches and maps errors to exit codes: 0 ok, 1 failed, 2 bad
// usage or configuration, 3 a --once run in which a source failed as a
// whole.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/internal/app"
	"github.com/newsflow/newsflow/store"
)

// Env is what a command reads and writes, so tests can run commands
// in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// usageError makes Main exit with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Exit statuses of Main.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitUsage  = 2
	// ExitSourceFailed is the status of a --once run that went to the end
	// but in which at least one source failed as a whole (every discovery
	// document, or every fetch, failed).
	ExitSourceFailed = 3
)

// sourceFailure makes Main exit with ExitSourceFailed.
type sourceFailure struct{ sources []string }

func (e sourceFailure) Error() string {
	return "source failed as a whole: " + strings.Join(e.sources, ", ")
}

// valueFlags are the common flags that take a value, so that Main can find
// the command name among flags given before it.
var valueFlags = map[string]bool{"--config": true, "--data-dir": true, "--log-level": true, "--namespace": true, "--nats": true}

// splitCommand finds the command name in args, which may follow common
// flags (`newsflow --data-dir d status`), and returns it and the other
// arguments in order.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "-") {
			if valueFlags[a] {
				i++
			}
			continue
		}
		rest := append(append([]string{}, args[:i]...), args[i+1:]...)
		return a, rest
	}
	return "", args
}

// Main runs the subcommand named in args and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	name, rest := splitCommand(args)
	if name == "" {
		for _, a := range args {
			switch a {
			case "--version", "-V":
				return runVersion(env)
			case "-h", "--help":
				printUsage(env.Stdout)
				return ExitOK
			}
		}
		printUsage(env.Stderr)
		return ExitUsage
	}
	if name == "help" {
		printUsage(env.Stdout)
		return ExitOK
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "newsflow: unknown command %q\n\n", name)
		printUsage(env.Stderr)
		return ExitUsage
	}
	err := c.run(ctx, env, rest)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "newsflow %s: %v\n", c.name, err)
	var ue usageError
	var ce configError
	var sf sourceFailure
	switch {
	case errors.As(err, &ue) || errors.As(err, &ce):
		return ExitUsage
	case errors.As(err, &sf):
		return ExitSourceFailed
	}
	return ExitFailed
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "newsflow: crawl news sources, extract articles, stream them through NATS JetStream into a store.")
	fmt.Fprintln(w, "\nUsage: newsflow COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-8s %-28s %s\n", n, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --config FILE (default newsflow.yaml), --data-dir DIR, --nats URL and --namespace NS, before or after its arguments;")
	fmt.Fprintln(w, "`newsflow COMMAND -h` lists its flags, `newsflow --version` prints versions.")
	fmt.Fprintln(w, "\nExit status: 0 ok, 1 failed, 2 bad usage or configuration, 3 a --once run in which a source failed.")
}

// common holds the flags every command has.
type common struct {
	config    string
	dataDir   string
	logLevel  string
	namespace string
	natsURL   string
	fs        *flag.FlagSet
}

func newFlags(name string, env Env) *common {
	c := &common{fs: flag.NewFlagSet("newsflow "+name, flag.ContinueOnError)}
	c.fs.SetOutput(env.Stderr)
	c.fs.SortFlags = false
	c.fs.StringVar(&c.config, "config", newsflow.DefaultConfigFile, "configuration file")
	c.fs.StringVar(&c.dataDir, "data-dir", "", "data directory (overrides data_dir)")
	c.fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	c.fs.StringVar(&c.namespace, "namespace", "", "NATS namespace (overrides nats.namespace)")
	c.fs.StringVar(&c.natsURL, "nats", "", "external NATS server URL(s) (overrides nats.url)")
	return c
}

// parse parses the flags; a flag error is a usage error.
func (c *common) parse(args []string) error {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// configError makes Main exit with status 2.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// load reads the configuration. A missing file is an error only when it was
// named with --config; otherwise the defaults apply. --data-dir overrides
// data_dir before defaults that depend on it are filled.
func (c *common) load() (*newsflow.Config, error) {
	explicit := false
	c.fs.Visit(func(f *flag.Flag) {
		if f.Name == "config" {
			explicit = true
		}
	})
	cfg := &newsflow.Config{}
	if _, err := os.Stat(c.config); err == nil || explicit || !errors.Is(err, os.ErrNotExist) {
		if cfg, err = newsflow.ReadConfig(c.config); err != nil {
			return nil, configError{err}
		}
	}
	if c.dataDir != "" {
		cfg.DataDir = c.dataDir
	}
	if c.namespace != "" {
		cfg.NATS.Namespace = c.namespace
	}
	if c.natsURL != "" {
		cfg.NATS.URL, cfg.NATS.Listen = c.natsURL, ""
	}
	if err := cfg.Prepare(); err != nil {
		return nil, configError{fmt.Errorf("config %s: %w", c.config, err)}
	}
	return cfg, nil
}

// open opens what a command needs of the configured pipeline, logging to
// stderr at the chosen level.
func (c *common) open(ctx context.Context, env Env, cfg *newsflow.Config, need app.Need) (*app.App, error) {
	log, err := c.logger(env)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg, log, need)
}

// openStore loads the configuration and opens its store, for a command
// that only reads it: an SQLite store that does not exist is an error, not
// a new empty one.
func (c *common) openStore(ctx context.Context) (store.Store, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	if cfg.Store.Driver == "sqlite" {
		if err := app.CheckDataDir(cfg.DataDir, false, cfg.Store.DSN); err != nil {
			return nil, err
		}
	}
	return app.OpenStoreReadOnly(ctx, cfg.Store)
}

// logger logs JSON when stderr is not a terminal, text when it is.
func (c *common) logger(env Env) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: readableDurations}
	if f, ok := env.Stderr.(*os.File); ok && isTerminal(f) {
		return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
}

// readableDurations writes durations as "1.5s", not as nanoseconds.
func readableDurations(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// jsonLines returns an encoder of the JSON Lines the commands print: one
// value a line, with <, > and & left as they are.
func jsonLines(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
