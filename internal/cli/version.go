package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/extractor"
)

func init() {
	register(command{name: "version", summary: "print versions", run: func(ctx context.Context, env Env, args []string) error {
		v := "devel"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		fmt.Fprintf(env.Stdout, "newsflow %s, schema %s, extractor %s\n", v, newsflow.Schema, extractor.Version)
		return nil
	}})
}
