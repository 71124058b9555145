// Package cli implements newsflow's subcommands, one file each. Every
// command takes --config and --data-dir; Main dispatches and maps errors to
// exit codes (0 ok, 1 failed, 2 bad usage or configuration).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"

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

// Main runs the subcommand named by args[0] and returns the exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "newsflow: unknown command %q\n\n", args[0])
		printUsage(env.Stderr)
		return 2
	}
	err := c.run(ctx, env, args[1:])
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(env.Stderr, "newsflow %s: %v\n", c.name, err)
	var ue usageError
	var ce configError
	if errors.As(err, &ue) || errors.As(err, &ce) {
		return 2
	}
	return 1
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
	fmt.Fprintln(w, "\nEvery command takes --config FILE (default newsflow.yaml) and --data-dir DIR; `newsflow COMMAND -h` lists its flags.")
}

// common holds the flags every command has.
type common struct {
	config   string
	dataDir  string
	logLevel string
	fs       *flag.FlagSet
}

func newFlags(name string, env Env) *common {
	c := &common{fs: flag.NewFlagSet("newsflow "+name, flag.ContinueOnError)}
	c.fs.SetOutput(env.Stderr)
	c.fs.StringVar(&c.config, "config", newsflow.DefaultConfigFile, "configuration file")
	c.fs.StringVar(&c.dataDir, "data-dir", "", "data directory (overrides data_dir)")
	c.fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn, error")
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

// openStore loads the configuration and opens its store.
func (c *common) openStore(ctx context.Context) (store.Store, error) {
	cfg, err := c.load()
	if err != nil {
		return nil, err
	}
	return app.OpenStore(ctx, cfg.Store)
}

// logger logs JSON when stderr is not a terminal, text when it is.
func (c *common) logger(env Env) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level: %v", err)}
	}
	opts := &slog.HandlerOptions{Level: level}
	if f, ok := env.Stderr.(*os.File); ok && isTerminal(f) {
		return slog.New(slog.NewTextHandler(env.Stderr, opts)), nil
	}
	return slog.New(slog.NewJSONHandler(env.Stderr, opts)), nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
