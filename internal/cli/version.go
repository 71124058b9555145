package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/extractor"
)

func init() {
	register(command{name: "version", summary: "print versions (also --version)", run: func(ctx context.Context, env Env, args []string) error {
		runVersion(env)
		return nil
	}})
}

// runVersion prints the versions of newsflow, its message schema and its
// extractor.
func runVersion(env Env) int {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(env.Stdout, "newsflow %s, schema %s, extractor %s\n", v, newsflow.Schema, extractor.Version)
	return ExitOK
}
